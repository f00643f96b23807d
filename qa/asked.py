"""What kind of fact a question asks for (a figure, a date) and whether a sentence gives one.

Shared by the sentence ranker (a sentence of the asked kind ranks higher) and the
answerability decision (a figure question whose best sentence states none is a near
miss); both must read questions the same way, so the patterns live here once.
"""

from __future__ import annotations

import re

from textkit.language import has_cjk
from textkit.terms import fold

_ASKS_FIGURE = re.compile(
    r"\bhow (many|much)\b"
    r"|\bwhat (is|was|are|were) the (number|amount|rate|share|percentage|proportion|value|size|total)"
    r"|\b(tax|tariff|duty|fee|interest) rate\b|\bwhat (percentage|share|proportion|amount|rate)\b"
    r"|多少|几[个家项列批年次条]|比例|税率|金额|额度|数量|规模",
    re.I,
)
_ASKS_DATE = re.compile(
    r"\bwhen\b|\bwhat (year|date|month)\b|\bwhich (year|date|month)\b|何时|什么时候|哪一?年|几月|哪天|日期", re.I)
_NUMBER = r"(?:\d[\d,.]*|[一二三四五六七八九十两百千万亿]+)"
# The thing counted: "how many cities" -> cities; "多少家企业" -> 家.
_EN_COUNTED = re.compile(r"\bhow many ([a-z-]+)", re.I)
_ZH_COUNTED = re.compile(r"(?:多少|几)([个家项列批次条名位种座所件艘辆人])")
_MONEY_OR_SHARE = re.compile(r"%|percent|per cent|成\b|[亿万]?元|美元|dollar|yuan|\$|九成|半数|half", re.I)
_ASKS_MONEY_OR_SHARE = re.compile(
    r"\bhow much\b|rate\b|percentage|share\b|proportion|amount|金额|额度|税率|比例|多少钱|费率", re.I)
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\d{4}年|\d{1,2}月|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
# A day's date says when something was announced, not which year a figure is for.
_FULL_DATE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}", re.I)


def asks_figure(question: str) -> bool:
    return bool(_ASKS_FIGURE.search(question))


def asks_date(question: str) -> bool:
    return bool(_ASKS_DATE.search(question))


def gives_date(text: str) -> bool:
    return bool(_DATE.search(text))


def gives_figure(question: str, text: str) -> bool:
    """A figure of the asked kind: a sum or share when one is asked for, a count of the
    counted thing ("多少家" needs a number with 家; "how many cities" a number in a
    sentence about cities)."""
    if _ASKS_MONEY_OR_SHARE.search(question):
        return bool(_MONEY_OR_SHARE.search(text))
    counted = _ZH_COUNTED.search(question)
    if counted and has_cjk(text):
        return bool(re.search(_NUMBER + r"\s*" + counted.group(1), text))
    english = _EN_COUNTED.search(question)
    if english and not has_cjk(text):
        noun = english.group(1).lower()
        said = {fold(w) for w in re.findall(r"[a-z-]+", text.lower())}
        return bool(re.search(_NUMBER, text)) and fold(noun) in said
    return bool(re.search(_NUMBER, text))


def gives_asked(question: str, text: str) -> bool:
    """The sentence states the kind of fact the question asks for (False when it asks for none)."""
    return (asks_figure(question) and gives_figure(question, text)) or (asks_date(question) and gives_date(text))


def years_without_facts(question: str, text: str) -> tuple[str, ...]:
    """Years the question names that ``text`` gives no fact for (a full date there only
    says when something was announced)."""
    return tuple(y for y in dict.fromkeys(_YEAR.findall(question)) if y not in _FULL_DATE.sub(" ", text))
