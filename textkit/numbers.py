"""Figures in English and Chinese text, normalised so the two languages compare.

"1.14 million", "114万" and "1,140,000" are one number; "九成", "90%" and "90 percent" one
percentage; "2020年11月4日", "4 November 2020" and "November 4, 2020" one date. Claim
verification asks whether every figure of a claim is among its passage's figures; the
adversarial evaluation uses the spans to change one. Only figures are read here: what a
figure counts ("trips", "列") is left to the lexical checks, except currency and a few
units whose change alters the figure's meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import cast

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MONTHS = {m[:3].lower(): i for i, m in enumerate(MONTH_NAMES, 1)}
EN_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
            "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
EN_ORDINALS = {w: i for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth"], 1)}
EN_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
# Units whose change changes the claim: money and measures. Anything else a number counts
# is a word, and the lexical checks see it.
UNITS = {
    "usd": r"(?:US\s+)?dollars?|USD|US\$|美元",
    "cny": r"yuan|RMB|renminbi|元|人民币",
    "teu": r"TEU|twenty-foot equivalent units?|个?(?:20|二十)英尺(?:标准)?集装箱|标准(?:集装)?箱",
    "m2": r"square met(?:re|er)s?|平方米",
    "tonne": r"tonnes?|tons?|吨",
}
# A unit written as a word ("TEUs", "RMB"): a measure, not a name of anyone.
UNIT_WORD = re.compile(rf"(?:{'|'.join(UNITS.values())})s?", re.I)
# A Chinese numeral is a figure only before one of these (so 一带一路, 统一, 进一步 are not).
ZH_MEASURES = "个年月日天周列家项国届类章名次条部批种大人辆台座份所件倍成"
# 一 before one of these and a noun is the indefinite article a translation adds ("建立一个
# 机制", "a mechanism"), as English "one" is left out; before a time (一年, 一个月), 倍, 成
# or 届, or ending a phrase ("共展示…一项。"), it stays a figure.
ZH_ARTICLE = re.compile("(?:个(?!月|小时|星期|工作日)|[批种项类家部份件名条座所台辆列国章人])[\u4e00-\u9fff]")
# 一 after these says which one, not how many: 上一年 "the year before", 同一 "the same", 每一 "each".
_ZH_WHICH_ONE = re.compile("[上下前同每另]$")

# "one" and "zero" are left out: "one of the measures" states no figure.
_EN_NUM = "|".join(sorted([w for w in EN_UNITS if w not in ("one", "zero")] + list(EN_TENS), key=len, reverse=True))
# A month's name, case kept even in a case-blind pattern ("may" is no month).
MONTH = (r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December"
         r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?))")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_NUMERAL = r"[零〇一二两三四五六七八九十百千万亿]+"
_NOT_AFTER_WORD = r"(?<![A-Za-z0-9.,])(?<![A-Za-z]-)"
PATTERN = re.compile(
    rf"(?P<zhdate>(?:(?P<zy>\d{{4}})年)?(?P<zm>\d{{1,2}})月(?:(?P<zd>\d{{1,2}})[日号])?)"
    rf"|(?P<zday>(?<![\d月])(?P<zdd>\d{{1,2}})[日号])"
    rf"|(?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b)"
    rf"|(?P<drange>\b(?P<r1>\d{{1,2}})\s*(?:to|-|–|and)\s*(?P<r2>\d{{1,2}})\s+(?P<rm>{MONTH})(?:,?\s+(?P<ry>\d{{4}}))?\b)"
    rf"|(?P<dmy>\b(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTH})(?:,?\s+(?P<y1>\d{{4}}))?\b)"
    rf"|(?P<mdy>\b(?P<m2>{MONTH})\s+(?:(?P<d2>\d{{1,2}})\b(?!,\d)(?:,?\s+(?P<y2>\d{{4}}))?|(?P<y3>\d{{4}})\b))"
    rf"|(?P<fraction>\b(?:a|one)\s+(?P<den>tenth|fifth|quarter|third|half)\b|(?P<zden>{_ZH_NUMERAL})分之(?P<znum>{_ZH_NUMERAL}))"
    rf"|{_NOT_AFTER_WORD}(?P<num>{_DIGITS})(?P<ordsuffix>st|nd|rd|th)?(?![A-Za-z0-9])"
    rf"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|万亿|百万|千万|十亿|亿|万|千)(?![a-z]))?"
    rf"|(?P<word>\b(?:{_EN_NUM})(?:-(?:{'|'.join(EN_UNITS)}))?\b(?!-hand)(?:\s+(?P<wscale>hundred|thousand|million|billion|trillion)\b)?)"
    rf"|(?P<twice>\btwice\b)"
    rf"|(?P<ordinal>\b(?:{'|'.join(EN_ORDINALS)})\b(?!-hand))"
    rf"|(?P<zhord>第(?P<zo>{_ZH_NUMERAL}|\d+)|首(?=[次批届个部份]))"
    rf"|(?P<zh>{_ZH_NUMERAL})(?=[{ZH_MEASURES}元]|美元)",  # 二百万元, 五亿美元: sums
    re.I,
)
_WITHIN = re.compile(r"以?内")
_PERCENT = re.compile(r"\s*(?:%|％|per\s?cent\b|percent\b)", re.I)
_TIMES = re.compile(r"\s*(?:倍|times\b|-fold\b)", re.I)
_UNIT = {kind: re.compile(rf"\s*(?:{pattern})", re.I) for kind, pattern in UNITS.items()}
_ZH_TEN_PERCENT = re.compile(r"成")

DateValue = tuple[int | None, int, int | None]  # year or None, month, day or None


@dataclass(frozen=True)
class Quantity:
    """``kind`` is number, percent, times, ordinal, year, date or a unit (usd, teu, …);
    ``value`` a float, or for a date (year or None, month, day or None)."""

    kind: str
    value: float | DateValue
    span: tuple[int, int] = field(default=(0, 0), compare=False)

    # Typed views of ``value``; which one applies follows from ``kind`` (no check made).
    @property
    def amount(self) -> float:
        """The value of any kind but ``date``."""
        return cast(float, self.value)

    @property
    def date(self) -> DateValue:
        """The (year, month, day) of a ``date``."""
        return cast(DateValue, self.value)


@lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every figure in ``text`` in order. A date without a year takes the year last named,
    a day alone (``至24日``) the month too."""
    found: list[Quantity] = []
    context: tuple[int | None, int | None] = (None, None)  # year, month last named
    for match in PATTERN.finditer(text):
        for quantity in _read(match, text, context):
            if found and quantity.span[0] < found[-1].span[1]:
                continue  # inside the unit of the figure before ("1.14 million twenty-foot units")
            if quantity.kind == "year":
                context = (int(quantity.amount), None)
            elif quantity.kind == "date":
                context = (quantity.date[0] or context[0], quantity.date[1])
            found.append(quantity)
    return tuple(found)


def supported(claim: Quantity, passage: tuple[Quantity, ...]) -> bool:
    """Is the claim's figure among the passage's? A less specific claim matches a more
    specific figure ("June 2021" is 10 June 2021, "in 2020" any 2020 date, a bare number
    any amount of money), never the reverse."""
    return any(_matches(claim, other) for other in passage)


def _matches(claim: Quantity, other: Quantity) -> bool:
    if claim.kind == "date":
        return other.kind == "date" and all(c is None or c == o for c, o in zip(claim.date, other.date, strict=True))
    if claim.kind == "year":
        return (other.kind == "year" and other.value == claim.value) or (
            other.kind == "date" and other.date[0] == claim.amount)
    if other.kind in ("date", "year"):
        return claim.kind == "number" and other.kind == "year" and other.value == claim.value
    if claim.kind != other.kind and not (claim.kind == "number" and other.kind in UNITS):
        return False
    return abs(claim.amount - other.amount) <= 1e-6 * max(abs(claim.amount), 1.0)


# One branch per alternative of PATTERN, in the pattern's order: splitting it would hide that.
def _read(match: re.Match, text: str, context: tuple[int | None, int | None]) -> list[Quantity]:  # noqa: PLR0911, PLR0912
    span = match.span()
    g = match.groupdict()
    year = context[0]
    if g["zhdate"]:
        return [_date(g["zy"], g["zm"], g["zd"], year, span)]
    if g["zday"]:
        if _WITHIN.match(text, span[1]):  # 14日内: fourteen days, no date
            return [Quantity("number", float(g["zdd"]), match.span("zdd"))]
        return [_date(None, context[1], g["zdd"], year, span)] if context[1] else []
    if g["iso"]:
        return [_date(g["iy"], g["im"], g["id"], year, span)]
    if g["drange"]:
        month = MONTHS[g["rm"][:3].lower()]
        return [_date(g["ry"], month, g["r1"], year, match.span("r1")),
                _date(g["ry"], month, g["r2"], year, (match.start("r2"), span[1]))]
    if g["dmy"]:
        return [_date(g["y1"], MONTHS[g["m1"][:3].lower()], g["d1"], year, span)]
    if g["mdy"]:
        return [_date(g["y2"] or g["y3"], MONTHS[g["m2"][:3].lower()], g["d2"], year, span)]
    if g["fraction"]:
        if g["den"]:
            share = {"tenth": 10, "fifth": 20, "quarter": 25, "third": 100 / 3, "half": 50}[g["den"].lower()]
        else:
            share = 100 * zh_numeral(g["znum"]) / zh_numeral(g["zden"])
        return [Quantity("percent", share, span)]
    if g["twice"]:
        return [Quantity("number", 2.0, span)]
    if g["ordinal"]:
        return [Quantity("ordinal", float(EN_ORDINALS[g["ordinal"].lower()]), span)]
    if g["zhord"]:
        zo = g["zo"]
        value = 1 if zo is None else (int(zo) if zo.isdigit() else zh_numeral(zo))
        return [Quantity("ordinal", float(value), span)]
    if g["num"]:
        return [_digits(g, text, span)]
    if g["word"]:
        head, _, tail = g["word"].split()[0].lower().partition("-")
        value = float(EN_TENS.get(head, 0) + EN_UNITS.get(head, 0) + EN_UNITS.get(tail, 0))
        return [_with_unit(value * EN_SCALES.get((g["wscale"] or "").lower(), 1), span, text)]
    if g["zh"] == "一" and (ZH_ARTICLE.match(text, span[1]) or _ZH_WHICH_ONE.search(text, 0, span[0])):
        return []
    value = zh_numeral(g["zh"])
    if _ZH_TEN_PERCENT.match(text, span[1]):
        return [Quantity("percent", 10.0 * value, (span[0], span[1] + 1))]
    return [_with_unit(value, span, text)]


# The words that name an item by its number ("Order No. 3", "Article 12", "Phase IV"): that
# number counts nothing, as an ordinal does, the label's full stop ends no sentence
# (textkit.sentences), and the label is no proper name (qa.asked).
ITEM_LABEL = (r"\b(?:No|Nos|Art|Arts|Article|Chapter|Section|Annex|Vol|Volume|Fig|para|pp?"
              r"|Phase|Stage|Part|Round|Batch|Level|Grade|Class|Type)\.?")
_NUMBERED = re.compile(rf"{ITEM_LABEL}\s*$")


def _digits(g: dict, text: str, span: tuple[int, int]) -> Quantity:
    """A written number: an ordinal (14th), a year (2020, 2020年) or an amount with its scale and unit."""
    value = float(g["num"].replace(",", ""))
    if g["ordsuffix"] or _NUMBERED.search(text, max(0, span[0] - 12), span[0]):
        return Quantity("ordinal", value, span)
    scale = g["scale"]
    if scale:
        return _with_unit(value * (EN_SCALES.get(scale.lower()) or _zh_scale(scale)), span, text)
    if len(g["num"]) == 4 and 1900 <= value <= 2100 and not _TIMES.match(text, span[1]) \
            and not _PERCENT.match(text, span[1]):
        return Quantity("year", value, (span[0], span[1] + (text[span[1]:span[1] + 1] == "年")))
    return _with_unit(value, span, text)


def _with_unit(value: float, span: tuple[int, int], text: str) -> Quantity:
    for kind, pattern in (("percent", _PERCENT), ("times", _TIMES), *_UNIT.items()):
        unit = pattern.match(text, span[1])
        if unit:
            return Quantity(kind, value, (span[0], unit.end()))
    return Quantity("number", value, span)


def _date(y, m, d, year: int | None, span: tuple[int, int]) -> Quantity:
    """A date; without a day (``June 2021``) or a year (``11月10日`` after ``2020年11月4日``)."""
    y = int(y) if y else year
    return Quantity("date", (y, int(m), int(d) if d else None), span)


# Chinese counts in 万 and 亿: "1.8百万" and "5.1十亿" are "million" and "billion" rendered word
# for word, which no Chinese reader writes (and no Chinese source says: 180万, 51亿).
_WESTERN_SCALE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(百万|千万|十亿)")
_AS_CHINESE_WRITES = {"百万": "万", "千万": "万", "十亿": "亿"}


def zh_scales(text: str) -> str:
    """"1.8百万件" -> "180万件", "5.1十亿美元" -> "51亿美元": the same figure, as Chinese writes it."""
    def rewrite(match: re.Match) -> str:
        scale = _AS_CHINESE_WRITES[match.group(2)]
        factor = int(_zh_scale(match.group(2)) // _zh_scale(scale))
        return f"{(Decimal(match.group(1)) * factor).normalize():f}{scale}"
    return _WESTERN_SCALE.sub(rewrite, text)


ZH_SCALES = {"千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "十亿": 1e9, "亿": 1e8, "万亿": 1e12}


def _zh_scale(scale: str) -> float:
    return ZH_SCALES[scale]


def zh_numeral(text: str) -> float:
    """二十 -> 20, 一百零五 -> 105, 十五 -> 15, 三万 -> 30000, 两 -> 2, 一亿二千万 -> 120000000."""
    done, section, digit = 0.0, 0.0, None  # done: the 亿 and 万 parts already closed
    for ch in text:
        if ch in ZH_DIGITS:
            digit = ZH_DIGITS[ch]
        elif ch in ZH_SMALL:
            section += (1 if digit is None else digit) * ZH_SMALL[ch]
            digit = None
        elif ch == "万":
            done += (section + (digit or 0)) * 1e4
            section, digit = 0.0, None
        elif ch == "亿":
            done = (done + section + (digit or 0)) * 1e8
            section, digit = 0.0, None
    return done + section + (digit or 0)


def rescaled(translation: str, source: str, target: str) -> str:
    """``translation`` with the figures it slipped on written as its ``source`` gives them.
    The 1.5B model copies a figure's digits and misplaces its scale across languages (1.8
    million as 1.8亿, 114万 as "114 million", 36万 as "36,000": 8 of 30 corpus sentences with
    dates or scaled amounts), and dates a month to a day it made up ("November 2020" as
    2020年11月15日). An amount the source gives at another power of ten with the same digits
    becomes the source's; a date more precise than the source dates or years it extends is
    cut back to the closest of them. Anything else (a figure whose digits two source
    amounts share, one significant digit without the same unit) is left to verification:
    which was meant cannot be told."""
    given = quantities(source)
    pieces, end = [], 0
    for q in quantities(translation):
        if supported(q, given):
            continue
        fixed = (_as_date_given(q, given, target) if q.kind == "date"
                 else _as_amount_given(q, given, translation, target))
        if fixed:
            pieces += [translation[end:q.span[0]], fixed[1]]
            end = fixed[0]
    return "".join(pieces) + translation[end:]


def _is_amount(q: Quantity) -> bool:
    return q.kind == "number" or q.kind in UNITS


def _as_amount_given(q: Quantity, given: tuple[Quantity, ...], translation: str,
                     target: str) -> tuple[int, str] | None:
    if not _is_amount(q):
        return None
    digits = _significant(q.amount)
    same_unit = q.kind in UNITS
    meant = {other.amount for other in given if _is_amount(other) and _significant(other.amount) == digits
             and ((same_unit and other.kind == q.kind) or (len(digits) > 1 and "number" in (q.kind, other.kind)))}
    number = _WRITTEN_AMOUNT.match(translation, q.span[0], q.span[1])  # a unit after it stays as written
    return (number.end(), _amount_as(meant.pop(), target)) if len(meant) == 1 and number else None


def _as_date_given(q: Quantity, given: tuple[Quantity, ...], target: str) -> tuple[int, str] | None:
    extended = {other.date if other.kind == "date" else (int(other.amount), None, None) for other in given
                if other.kind in ("date", "year") and _extends(q.date, other)}
    precision = {date: sum(part is not None for part in date) for date in extended}
    closest = [date for date, known in precision.items() if known == max(precision.values())]
    return (q.span[1], _date_as(closest[0], target)) if len(closest) == 1 else None


def _extends(date: DateValue, other: Quantity) -> bool:
    """``date`` is ``other`` (a year, or a date without its day) with more made precise."""
    if other.kind == "year":
        return date[0] == other.amount
    year, month, day = other.date
    return day is None and date[2] is not None and date[1] == month and year in (None, date[0])


def _date_as(date: tuple[int | None, int | None, int | None], target: str) -> str:
    year, month, day = date
    if target == "zh":
        return "".join(f"{part}{unit}" for part, unit in zip(date, "年月日", strict=True) if part)
    named = MONTH_NAMES[month - 1] if month else None
    return " ".join(str(part) for part in (day, named, year) if part)


def _significant(value: float) -> str:
    """The digits of ``value`` without its scale: 1.8 million and 1.8亿 are "18"."""
    return f"{Decimal(f'{value:.12g}').normalize():e}".split("e")[0].replace(".", "").lstrip("-")


# An amount in digits with its scale word, for ``rescaled`` (a unit after it is left as written).
_WRITTEN_AMOUNT = re.compile(
    rf"[\d.,]+(?:\s*(?:{'|'.join(sorted([*ZH_SCALES, *EN_SCALES], key=len, reverse=True))})(?![a-z]))?", re.I)
# How each language writes a large amount, for ``rescaled``.
_SCALES = {"zh": [(1e12, "万亿"), (1e8, "亿"), (1e4, "万")],
           "en": [(1e12, " trillion"), (1e9, " billion"), (1e6, " million")]}


def _amount_as(value: float, target: str) -> str:
    exact = Decimal(f"{value:.12g}")  # 578.3亿 is read as 57829999999.99999
    for size, word in _SCALES[target]:
        if value >= size:
            return f"{(exact / Decimal(f'{size:.0f}')).normalize():f}{word}"
    return f"{exact.normalize():f}" if target == "zh" else f"{exact.normalize():,f}"
