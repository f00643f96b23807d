"""Which language a text is in. The product serves English and Chinese; a text with any
Han character counts as Chinese (a Chinese question often quotes an English name)."""

from __future__ import annotations

import re

CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
# A text ending in a CJK character or full-width punctuation joins the next without a space.
CJK_END = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]\s*$")
# Chinese and full-width punctuation (not full-width digits or letters).
ZH_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def has_cjk(text: str) -> bool:
    return bool(CJK_CHAR.search(text))


def language_of(text: str) -> str:
    """``zh`` or ``en``."""
    return "zh" if has_cjk(text) else "en"


def in_language(texts: tuple[str, str], lang: str) -> str:
    """The (English, Chinese) pair's text for a reader of ``lang``: messages the service
    writes itself (reasons, fallbacks) speak the asker's language."""
    return texts[1] if lang == "zh" else texts[0]
