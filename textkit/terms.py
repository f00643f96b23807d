"""Lexical terms for BM25 and for support checks, in English and Chinese.

English: lower-cased words, stop-words removed, stemmed (Snowball English).
Chinese: jieba's search-mode segmentation, punctuation and function words removed.
The same function serves indexing and queries so both sides agree.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from textkit.language import CJK_RUN, has_cjk

WORD = re.compile(  # an English word; inner dots, hyphens and apostrophes join
    r"[a-z0-9]+(?:[.\-'’][a-z0-9]+)*")

EN_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    this that these those it its it's their there they them we our you your he she his her
    what which who whom whose when where why how do does did doing done can could should would
    will shall may might must has have had having not no nor so than too very any all each
    such into about over under again further then once also more most other some only own same
    just up down out off between through during before after above below while both few many
    much per via i me my us one said says say""".split()
)
ZH_STOP = frozenset(
    """的 了 和 与 及 是 在 有 对 为 等 将 把 被 就 也 都 而 或 之 其 于 以 并 这 那 哪 什么 怎么 怎样 如何 哪些
    吗 呢 啊 吧 个 中 上 下 来 去 要 会 能 可以 应该 一个 没有 还 又 从 向 到 由 让 使""".split()
)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """An English word's stem (Snowball's Porter2, as search engines stem), so that the
    forms of a word meet: 'trades'/'traded'/'trade'/'trading', 'zones'/'zone',
    'cooperation'/'cooperate', "China's"/'China'. The suffix-stripping it replaces left
    'trade' apart from 'trades' ('trad') and 'China's' as "china'", which no text matched.
    'catalogue' is also 'catalog'."""
    with _STEMMING:  # a Snowball stemmer keeps its state on itself while it works
        stem = _english_stemmer().stemWord(word.replace("’", "'"))
    return stem[:-1] if stem.endswith("gu") else stem


_STEMMING = threading.Lock()


@lru_cache(maxsize=1)
def _english_stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def jieba_segmenter():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def chinese_names(text: str) -> list[str]:
    """The Chinese words jieba tags as proper names of things, places, people or
    organisations (世界杯, 浙江省): names a question can use that the collection may never
    mention."""
    from jieba import posseg

    jieba_segmenter()
    return [w for run in CJK_RUN.findall(text) for w, tag in posseg.lcut(run) if tag in _NAME_TAGS and len(w) > 1]


_NAME_TAGS = frozenset({"nz", "ns", "nr", "nt"})


def chinese_words(text: str) -> list[str]:
    """jieba words of the CJK runs in ``text`` (search mode, so compounds also yield parts)."""
    words: list[str] = []
    for run in CJK_RUN.findall(text):
        words.extend(w for w in jieba_segmenter().lcut_for_search(run) if w not in ZH_STOP)
    return words


def terms(text: str) -> list[str]:
    lowered = text.lower().replace("\u2019", "'")  # it’s is it's, a stop-word
    out = [fold(w) for w in WORD.findall(lowered) if w not in EN_STOP]
    if has_cjk(text):
        out.extend(chinese_words(text))
    return out
