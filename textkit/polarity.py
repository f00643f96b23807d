"""Negation and direction words in English and Chinese, as data plus two readers.

A claim that says "not" where its source does not, or "fewer" where the source says
"more", reuses the source's words and so passes a word-overlap check; these tables let
verification see the flip. Directions are grouped by concept ("size", "stance", …) with
a ``+`` and a ``-`` side, the same concept in both languages, so a Chinese claim saying
减少 about an English sentence saying "increase" is caught too. The adversarial
evaluation swaps a word for its aligned opposite (``increased`` -> ``decreased``).
"""

from __future__ import annotations

import re
from functools import lru_cache

_EN_NEGATION = re.compile(r"\b(?:not|no(?!\.\s*\d)|never|without|none|nor|neither|cannot)\b|n't\b", re.I)
_ZH_NEGATION = re.compile(r"没有|不得|禁止|不|未|没|无|非|勿")
# Words that contain a negation character but deny nothing.
ZH_NOT_NEGATION = ("不断", "不仅", "不少", "不同", "不久", "不过", "不论", "未来", "非洲", "非常", "无论",
                   "否则", "是否", "无纸", "并不限于")

# concept -> [(+ form, - form)]: English forms aligned by inflection, then Chinese words.
DIRECTIONS: dict[str, list[tuple[str, str]]] = {
    "size": [
        ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"), ("increasing", "decreasing"),
        ("rise", "fall"), ("rose", "fell"), ("rises", "falls"), ("risen", "fallen"), ("grow", "shrink"),
        ("grew", "shrank"), ("growth", "decline"), ("expand", "reduce"), ("expanded", "reduced"),
        ("expanding", "reducing"), ("expansion", "reduction"), ("raise", "cut"), ("raised", "lowered"),
        ("boost", "curb"), ("boosted", "curbed"), ("up", "down"),
        ("增长", "下降"), ("增加", "减少"), ("上升", "下滑"), ("扩大", "缩小"), ("提高", "降低"), ("加大", "减小"),
        ("增多", "减少"),
        ("more", "fewer"), ("higher", "lower"), ("larger", "smaller"), ("greater", "smaller"), ("largest", "smallest"),
        ("biggest", "smallest"), ("most", "least"), ("above", "below"), ("exceeds", "trails"), ("maximum", "minimum"),
        ("超过", "低于"), ("高于", "低于"), ("以上", "以下"), ("最大", "最小"), ("最多", "最少"), ("多于", "少于"),
    ],
    "stance": [
        ("encourage", "discourage"), ("encouraged", "discouraged"), ("encourages", "discourages"),
        ("promote", "restrict"), ("promoted", "restricted"), ("promoting", "restricting"), ("support", "oppose"),
        ("supported", "opposed"), ("facilitate", "hinder"), ("facilitated", "hindered"), ("allow", "prohibit"),
        ("allowed", "prohibited"), ("allows", "prohibits"), ("loosened", "tightened"), ("loosen", "tighten"),
        ("ease", "tighten"), ("eased", "tightened"), ("relax", "tighten"), ("fewer restrictions", "more restrictions"),
        ("鼓励", "限制"), ("支持", "反对"), ("促进", "阻碍"), ("推动", "抑制"), ("放宽", "收紧"), ("允许", "禁止"),
    ],
    "openness": [
        ("open", "close"), ("opened", "closed"), ("opens", "closes"), ("opening", "closing"), ("online", "offline"),
        ("开放", "封闭"), ("开幕", "闭幕"), ("线上", "线下"),
    ],
    "quality": [
        ("improve", "worsen"), ("improved", "worsened"), ("strengthen", "weaken"), ("strengthened", "weakened"),
        ("strengthening", "weakening"), ("enhance", "weaken"), ("enhanced", "weakened"), ("stable", "unstable"),
        ("加强", "削弱"), ("改善", "恶化"), ("增强", "减弱"), ("稳定", "动荡"),
    ],
    "trade": [
        ("import", "export"), ("imports", "exports"), ("imported", "exported"), ("importers", "exporters"),
        ("进口", "出口"),
    ],
    "time": [
        ("before", "after"), ("early", "late"), ("earlier", "later"), ("began", "ended"), ("start", "end"),
        ("之前", "之后"), ("提前", "推迟"), ("开始", "结束"), ("首次", "再次"),
    ],
    # Paying or being let off: "需要缴纳展位费" about "Exhibitors were exempted from fees"
    # has no negation word on either side, yet says the opposite.
    "charge": [
        ("charge", "exempt"), ("charged", "exempted"), ("charges", "exempts"), ("levy", "waive"),
        ("levied", "waived"), ("pay", "waive"),
        ("缴纳", "免缴"), ("交纳", "免交"), ("收取", "免收"), ("征收", "免征"), ("收费", "免费"),
    ],
    "membership": [
        ("join", "leave"), ("joined", "left"), ("joining", "leaving"), ("signed", "rejected"),
        ("passed", "rejected"), ("adopted", "rejected"), ("positive", "negative"),
        ("加入", "退出"), ("签署", "拒签"), ("正面", "负面"),
    ],
}
# Words that state a direction only before a figure ("up 56 percent", not "set up").
BEFORE_FIGURE = frozenset({"up", "down"})
# Phrases that name both sides at once: neither side is asserted.
BOTH_SIDES = re.compile(r"进出口|import and export|imports and exports|online and offline|线上线下"
                        r"|开放.{0,4}封闭|封闭.{0,4}开放", re.I)


@lru_cache(maxsize=8192)
def negations(text: str) -> int:
    """How many negators ``text`` has (English words, Chinese characters and words)."""
    count = len(_EN_NEGATION.findall(text))
    for match in _ZH_NEGATION.finditer(text):
        if not any(text.startswith(word, i) for word in ZH_NOT_NEGATION
                   for i in range(max(0, match.start() - len(word) + 1), match.start() + 1)):
            count += 1
    return count


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, tuple[str, str]], re.Pattern]:
    table: dict[str, tuple[str, str]] = {}
    for concept, pairs in DIRECTIONS.items():
        for plus, minus in pairs:
            table[plus.lower()] = (concept, "+")
            table[minus.lower()] = (concept, "-")
    words = sorted(table, key=len, reverse=True)
    english = "|".join((r"(?<!set )" + w + r"(?=\s+(?:by\s+)?\d)" if w in BEFORE_FIGURE else re.escape(w))
                       for w in words if w.isascii())
    chinese = "|".join(re.escape(w) for w in words if not w.isascii())
    return table, re.compile(rf"\b(?:{english})\b|{chinese}", re.I)


def direction_words(text: str) -> list[re.Match]:
    """The direction words of ``text`` outside phrases that name both sides."""
    both = [m.span() for m in BOTH_SIDES.finditer(text)]
    return [m for m in _lookup()[1].finditer(text) if not any(a <= m.start() < b for a, b in both)]


@lru_cache(maxsize=8192)
def directions(text: str) -> dict[tuple[str, str], int]:
    """(concept, side) -> how often ``text`` says it, e.g. {("size", "+"): 2}."""
    table = _lookup()[0]
    found: dict[tuple[str, str], int] = {}
    for match in direction_words(text):
        key = table[match.group(0).lower()]
        found[key] = found.get(key, 0) + 1
    return found


def opposites() -> dict[str, str]:
    """Each direction word -> its aligned opposite (both ways): what an antonym swap uses."""
    pairs = [pair for group in DIRECTIONS.values() for pair in group]
    return {**{a: b for a, b in pairs}, **{b: a for a, b in pairs}}
