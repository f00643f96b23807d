"""What a question asks for, and whether a sentence of the evidence gives it.

A near-miss question is about a subject the documents discuss but asks for a fact they
do not state: a count, a sum or rate, a date, the figure for a year they do not cover,
the 127th fair when they describe the 126th, the "most" or "first" of something. Meaning
alone cannot tell it from a paraphrase (the words and the topic are the same), so the
question is read for its *slot* (``Asked``) and a sentence answers only when it fills
that slot (``lacks``). Figures are compared as ``textkit.numbers`` normalises them, so
the check holds across languages: "sixty days" fills "多少天", "12406列" "how many trips".

Shared by the sentence ranker (a sentence of the asked kind ranks higher) and the
answerability decision (no sentence near the top fills the slot: refuse), so both read
questions the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from qa.citations import strip_markers
from textkit.language import has_cjk
from textkit.names import mentions, names
from textkit.numbers import ITEM_LABEL, MONTH, MONTH_NAMES, UNIT_WORD, UNITS, Quantity, quantities, supported
from textkit.gloss import bilingual_terms, chinese_for, dictionary, gloss, sounded, spelled
from textkit.sentences import enumerates, sentence_spans
from textkit.terms import chinese_names, fold, jieba_segmenter, terms

# Measure words a count counts by (家, 列, 届); unlike textkit.numbers.ZH_MEASURES, which
# marks a numeral as a figure, without 个 (general: "几个产业" is answered by 八大行业 as
# well as by 八个) and without ratios (倍, 成).
_COUNT_MEASURES = "家项列批次条名位种座所件艘辆人天年月届类国部枚"
# Chinese asks for a figure with 多少/几/多大: "比重要提高" asks which products, not how much.
# 近几年, 这几天, 过去几个月 are "the last few years", not a question.
_ZH_FEW = r"(?<![近这前去头])几"
_ZH_ASKS_FIGURE = re.compile(rf"多少|{_ZH_FEW}[个{_COUNT_MEASURES}]|多大|多高|多快|多长|多久")
_COUNT = re.compile(rf"\bhow many\b|\bwhat (?:is|was|are|were) the (?:total )?number of\b|数量|多少|{_ZH_FEW}"
                    r"|\bhow long\b|多长|多久", re.I)  # a length or a span of time: any figure
# How much something changed: a rate or share answers it (and, read closer, only a figure
# stated as a change: ``Asked.change``).
_CHANGE_ASKED = (r"\bby how much\b|\bhow fast\b|\bhow much (?:did|does|do|will|has|have) [^?]*"
                 r"\b(?:grow|rise|increase|fall|drop|decline|expand)|增速|增长率|增长了?多少")
_SHARE = re.compile(
    r"\brates?\b|\b(?:what|which) (?:percentage|share|proportion)|\b(?:percentage|proportion)\b"
    rf"|{_CHANGE_ASKED}|税率|费率|利率|汇率|比例|比重|占比|幅度|百分之", re.I)
# A levy or a fine is a rate or a sum: either answers it.
_CHARGE = re.compile(
    r"\bwhat (?:\w+ )?(?:tax|tariff|duty|levy|fee|fine|penalty)\b|\b(?:maximum|minimum) (?:fine|penalty)\b"
    r"|(?:关税|罚款|收费标准)[^，。？！,.?!]{0,6}?(?:多少|几|多高|多大)|多少(?:关税|罚款)",  # not "哪类产品取消关税"
    re.I)
_MONEY = re.compile(
    r"\bhow much (?:money|funding)\b|\bwhat (?:is|was|are|were) (?:[\w'-]+ ){0,5}"
    r"(?:amount|value|turnover|sales|revenue|budget|investment|cost)\b"
    r"|金额|额|多少钱|资金|价值|总值|产值|费用|成本", re.I)
# A size is any figure: an area, a sum, a count.
_SIZE = re.compile(
    r"\bhow (?:much|large|big)\b|\bwhat (?:is|was|are|were) (?:[\w'-]+ ){0,5}(?:size|scale|volume)\b|多大|规模"
    r"|\bwhat (?:is|was|are|were) (?:[\w'-]+ ){0,5}(?-i:area|space) of\b", re.I)  # not "the Lin-gang Special Area"
_DATE = re.compile(
    r"^\s*when\b|\bwhen (?:did|does|do|was|were|is|are|will|would|has|have|had|can|should|must)\b"
    r"|\b(?:what|which|in what) (?:year|date|month|day)\b|\bdeadline\b|\bby what time\b"
    r"|何时|什么时候|哪一?年|哪一?天|几月|几号|日期|期限|截止|时间表|什么时间", re.I)
# What happened on the date a question asks for, when it names the event: a law is adopted
# on one day and takes effect on another, an agreement is signed years before it is in
# force. Only a sentence dating the same event answers (in either language): "When did
# the law take effect?" is not answered by the day it was adopted. A document's issue date
# is left out: it is written too many ways ("the circular of 9 November", "a plan
# followed in November 2021") to ask for a verb.
_EVENTS = tuple((kind, re.compile(asks, re.I), re.compile(gives, re.I)) for kind, asks, gives in (
    ("effect", r"\b(?:(?:come|came|comes|coming) into|take|takes|took|taken|taking) effect\b|\binto force\b"
     r"|\beffective\b|生效|施行|实施(?!意见|方案|细则|办法)",
     r"\b(?:into|take|takes|took|taken|taking|in) effect\b|\binto force\b|\beffective (?:from|on|as of)\b"
     r"|生效|施行|起实施"),
    ("signed", r"\bsign(?:ed|s|ing)?\b|签署|签订|签约", r"\bsign(?:ed|s|ing)?\b|\bsignator|签署|签订|签约"),
    ("adopted", r"\b(?:adopt(?:ed|s)?|pass(?:ed|es)?|approv(?:e|ed|es))\b|通过",
     r"\b(?:adopt(?:ed|s|ion)?|pass(?:ed|es)?|approv(?:e|ed|es|al))\b|通过"),
    # "by what time must X be done": a day something happened (published in June 2020)
    # sets no time limit; only a date something is due by does.
    ("deadline", r"\bdeadline\b|\bby (?:when|what (?:time|date|year))\b"
     r"|期限|截止|(?:什么|哪)(?:时候|时间|年|天)(?:之|以)?前",
     rf"\b(?:by|before|until|no later than)\s+(?:the\s+)?(?:end\s+of\s+|mid-|end-)?(?:\d{{4}}|{MONTH})\b"
     r"|\bdeadline\b|截至|截止|期限|\d[年月日](?:底|末)?(?:之|以)?前|到\d{4}年"),
    ("launched", r"\b(?:launch(?:ed|es)?|inaugurat(?:e|ed|es)|start(?:ed|s)?|beg[ai]n|set up|establish(?:ed)?"
     r"|unveil(?:ed|s)?|commenc(?:e|ed|es))\b"
     r"|启动|揭牌|挂牌|成立|设立|开始|开工|动工|开通|启用|开幕",
     r"\b(?:launch(?:ed|es)?|inaugurat(?:e|ed|es|ion)|start(?:ed|s)?|beg[au]n|opened|set up|establish(?:ed|es)?"
     r"|since|unveil(?:ed|s)?|commenc(?:e|ed|es)|broke ground)\b|启动|揭牌|挂牌|开始|成立|设立|自[^，。；]{0,12}起"
     r"|开工|动工|开建|开通|启用|开幕|开业|开港|投入使用|首发"),
))
# "the first to", "most", "最多": asks which one ranks highest, a fact a list does not give;
# and only a sentence ranking the same way gives it: 最多 (most) does not answer 最晚 (last),
# nor "首次" (for the first time) "which city had the most".
_NOT_FIRST_OF = r"(?! (?:batch|time|half|quarter|and|two|three|four|five))"
_RANKS = tuple((kind, re.compile(asks, re.I), re.compile(gives, re.I)) for kind, asks, gives in (
    ("most", r"\b(?:most|largest|biggest|highest|greatest|fastest|best)\b|最[多大高快强]",
     r"\b(?:most|top|best|(?:larg|bigg|high|great|fast)est)\b|\branks? first\b|最[多大高快强]|居首|之首|第一"),
    ("least", r"\b(?:least|smallest|lowest|fewest|slowest|worst)\b|最[少小低慢弱]",
     r"\b(?:least|worst|(?:small|low|few|slow)est)\b|最[少小低慢弱]"),
    ("first", rf"\bthe first\b{_NOT_FIRST_OF}|\bearliest\b|最[早先]|首个|第一个|率先",
     r"\b(?:first|earliest)\b|最[早先]|首|第一|率先"),
    ("last", r"\blatest\b|最晚", r"\b(?:last|latest|final)\b|最[晚后]"),  # 最后 also means "finally"
))
# "最多可能被罚多少钱": the most a figure can be (a fine's ceiling), not which thing ranks first.
_AT_MOST = re.compile(r"最[多高少低][^，。？！,.?!]{0,8}?(?:多少|几)")
# "which city", "哪些港口": asks for a place, which a sentence answers only by naming one.
_ASKS_PLACE = re.compile(
    r"\b(?:which|what) (?:\w+ )?(?:city|cities|ports?|provinces?|countries|country|regions?|nations?)\b"
    r"|哪(?:个|些|一个)?(?:[^\W类种项方面]{0,2}?)(?:城市|省|国家|港口|地区|成员国)", re.I)
_ASKS_TOWN = re.compile(r"\b(?:city|cities|ports?|provinces?)\b|城市|省|港口", re.I)  # a country does not answer
# "which company" (one, named), "哪家企业": answered only by naming an organisation.
_ASKS_FIRM = re.compile(
    r"\bwhich (?:\w+ )?(?:company|firm|enterprise|bank)\b(?!s)|哪(?:一|个)?家(?:公司|企业|银行)?", re.I)
# "Which ones" (哪些, "which sectors", "what kinds of"): asked for several, a sentence listing
# them answers, not the one that only names their subject. Auxiliaries are not plurals ("what is").
_AUXILIARY = r"(?!(?:is|was|does|has|kinds?|types?)\b)"
_ASKS_ITEMS = re.compile(rf"哪些|哪几|\b(?:which|what)\s+(?:{_AUXILIARY}\w+\s+)?{_AUXILIARY}\w+s\b"
                         r"|\bwhat (?:kinds?|types?|sorts?) of\b", re.I)
_FIRM = re.compile(r"\b(?:Co|Company|Corporation|Corp|Group|Ltd|Limited|Bank|Inc)\b|公司|集团|银行")
# "which body adopted it", "由哪个部门发布": asks for an organ of state or an organisation,
# which a sentence answers only by naming one (a ministry, a committee, "relevant
# departments"); "It is China's first unified law" names none.
_ASKS_BODY = re.compile(
    r"\b(?:which|what) (?:\w+ )?(?:bod(?:y|ies)|agenc(?:y|ies)|departments?|ministr(?:y|ies)|organs?"
    r"|institutions?|authorit(?:y|ies)|organi[sz]ations?)\b(?! (?:rules?|regulations?|measures?|documents?|polic"
    r"(?:y|ies)|plans?|lists?|laws?|orders?)\b)|哪(?:个|些|一个|家)?(?:机构|部门|单位|机关|部委)", re.I)
# 部 and 局 end a body's name (商务部, 统计局), not 全部, 内部, 格局 or 布局.
_BODY = re.compile(
    r"\b(?:Ministry|Ministries|Commission|Committee|Council|Congress|Administration|Bureau|Office|Department"
    r"|Government|Centre|Center|Agency|Authority|Customs|Bank|Group|NDRC|MOFCOM|NPC|departments|ministries"
    r"|authorities|agencies)\b"
    r"|国务院|人大|委员会|常委会|部门|机构|单位|机关|政府|海关|总署|银行|集团|办公室|中心|[^\W全内外局干]部(?!分)|改革委|[^\W当格结布]局(?![面势限部])")
_ZH_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:省|市(?!场)|港(?!口)|县|州)")
# A proper name inside a sentence (not its first word): "Rotterdam", "FIFA World Cup"; a
# place is a capitalised word, not an acronym (ASEAN, WTO).
_PROPER = re.compile(r"(?<=[a-z0-9,;] )[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)*")
_PLACE_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
# ... but a capitalised label with its numeral names an item, not a party: "Phase IV" is 四期.
_ITEM = re.compile(rf"(?:^|[ -]){ITEM_LABEL}(?: [IVX]+)?$")
# The counted noun phrase runs to its verb, preposition or first plural; its last word is
# what is counted ("how many new national foreign trade transformation and upgrading bases
# did …": bases; "how many member states signed": states).
_EN_COUNTED = re.compile(r"\bhow many ((?:(?!(?:did|do|does|are|were|is|was|will|would|can|could|have|has|had"
                         r"|in|of|at|for|on|by|to|from|with)\b)[a-z-]+,? (?:and )?){1,8})", re.I)
_EN_COUNTED_STOP = frozenset(re.findall(
    r"\w+", "did do does are were is was will would can could have has had in of at for on by to from new more "
    "other and the a an different separate it its they them this that these those there"))
_ZH_COUNTED = re.compile(rf"(?:多少|{_ZH_FEW}(?=[{_COUNT_MEASURES}]))([{_COUNT_MEASURES}]?)([\u4e00-\u9fff]*)")
# A levy's rate is answered only by a sentence about that levy: a tax rate by one that says
# "tax" or 税, whatever other percentage it gives (the question's word -> what may answer).
_LEVIES = (  # a named tax first: a tariff is a tax, yet gives no income-tax rate
    (re.compile(r"\bincome tax|所得税", re.I), ("income tax", "所得税")),
    (re.compile(r"\b(?:VAT|value[- ]added tax)\b|增值税", re.I),
     ("vat", "value-added tax", "value added tax", "增值税")),
    (re.compile(r"\bconsumption tax|消费税", re.I), ("consumption tax", "消费税")),
    # A tariff before a tax of no name: 降税 and 税目 in "零关税的税目比例" are the tariff's.
    (re.compile(r"\b(?:tariff|duty|duties)\b|关税", re.I), ("tariff", "duty", "duties", "关税", "税")),
    (re.compile(r"\btax\b|税率|(?<![关保])税", re.I), ("tax", "税")),  # 保税区 is a bonded zone
    (re.compile(r"\binterest rate|利率", re.I), ("interest", "利率", "利息")),
    (re.compile(r"\bexchange rate|汇率", re.I), ("exchange rate", "汇率")),
    (re.compile(r"\bfees?\b|费率|收费", re.I), ("fee", "charge", "费")),
)
# Each pair names two flows, one of which a figure may measure, and their sum: a
# question measuring one alone ("how many used cars did China export", "服务贸易的目标规模")
# is answered only by a sentence that names that one outside their sum: "13.8 million used
# cars changed hands" counts no exports, "trade in goods and services" of $5.1 trillion
# gives no figure for services. The flow must be what is measured (出口额, "exports grew"),
# not a word of a name: the China International Import Expo's deals, the Export Control
# Law's fines, the negative list for trade in services' measures are asked of no flow.
# A question measuring both (进出口总额) is held to neither.
_ZH_MEASURE = r"(?:的)?(?:目标)?(?:总?额|总值|值|量|规模|增速|增幅|增长|比重|占比)|了?(?:多少|几)"
_EN_CHANGE = r"grow|grew|grown|rise|rose|risen|fall|fell|increase|decrease|decline|reach|total"


def _measured(zh: str, en: str, noun: str) -> re.Pattern[str]:
    """A flow as the measured thing: the Chinese words ``zh`` before a measure, a few words
    apart at most (服务贸易单独的2025年目标是多少), or in
    English the verb ``en`` after "how many … did", or the plural ``noun`` valued or changing."""
    return re.compile(
        rf"(?:{zh})[^，。？！,.?!]{{0,10}}?(?:{_ZH_MEASURE}|[是为](?:多少|几))"
        rf"|\bhow (?:many|much)\b[^?]*\b(?:did|does|do|will|would|has|have)\b[^?]*\b(?:{en})\b"
        rf"|\b(?:value|volume|growth|amount|total|share) of (?:[\w'-]+ ){{0,3}}(?:{noun})\b"
        rf"|\b(?:{noun})\b(?: [\w'-]+){{0,4}} (?:{_EN_CHANGE})", re.I)


# Per pair: each flow as a question measures it, then as a sentence names it (either
# language), and their sum.
_FLOWS = (
    ((_measured("出口", "exports?|exported", "exports"), re.compile(r"出口|\bexport", re.I)),
     (_measured("进口", "imports?|imported", "imports"), re.compile(r"进口|\bimport", re.I)),
     re.compile(r"进出口|\b(?:exports?|imports?) and (?:exports?|imports?)\b", re.I)),
    ((_measured("服务贸易|服务出口|服务进口", "$^", r"services (?:trade|exports|imports)|trade in services"),
      re.compile(r"服务|\bservices?\b", re.I)),
     (_measured("货物贸易|货物出口|货物进口", "$^", r"goods (?:trade|exports|imports)|trade in goods"),
      re.compile(r"货物|商品|\b(?:goods|merchandise)\b", re.I)),
     re.compile(r"(?:货物|商品)(?:和|与|及)服务|\b(?:goods and services|services and goods)\b", re.I)),
)
# A year that dates a document the question names ("the 2020 circular", "2021年关于…的意见"):
# the answering passage's document carries it (date, title or text), not the sentence.
_YEARS = r"\d{4}(?:\s*(?:[-–—~至到]|to)\s*\d{4})?"  # a plan's period names it as its year does: 2021—2025年
_DOCUMENT_YEAR = re.compile(
    rf"{_YEARS}\s+(?:[A-Za-z-]+\s+){{0,3}}?(?:circular|guidelines?|opinions?|law|plan|notice|list|edition|measures"
    r"|regulations?|provisions?|document)\b"
    rf"|{_YEARS}年(?:版|[^，。？！,.?!]{{0,20}}?(?:通知|意见|规划|文件|清单|方案|规定|办法|措施|法(?![规律])))", re.I)
_COUNTABLE = frozenset({"number", "teu"})
# A count of a unit is answered by a figure in it: 多少吨 by 8900万吨, "how many square
# metres" by 36万平方米 (folded as ``fold`` folds the question's words).
_UNIT_COUNTED = {"吨": "tonne", "tonn": "tonne", "ton": "tonne", "平方米": "m2", "metr": "m2"}
_MONEY_KINDS = frozenset({"usd", "cny"})
_DURATION = re.compile(r"\s*(?:(?:days?|weeks?|months?|years?|hours?)\b|天|日(?=以?内)|周|星期|个?月|年|小时)", re.I)
# What a count of time counts: "how many years", 多少天. Any other count is not answered by
# a span of time ("谈判历时不到一年" gives no number of rounds).
_TIME_UNITS = frozenset({"day", "week", "month", "year", "hour", "天", "周", "星期", "月", "年", "小时"})  # folded
# A sum asked in one currency ("in US dollars", 多少亿元) is answered only by an amount in
# it: the documents' yuan total is no dollar figure, and a count is no sum at all.
_CURRENCIES = tuple((kind, re.compile(UNITS[kind], re.I)) for kind in ("usd", "cny"))  # 美元 before its 元
_ASKS_CURRENCY = re.compile(
    r"\bin (?:US\s+)?dollar(?:s|\s+terms)?\b|\bin (?:USD|yuan|RMB|renminbi)\b|\bhow many (?:US\s+)?(?:dollars|yuan)\b"
    r"|[以按](?:美元|人民币)|多少(?:[十百千万亿]|百万|千万)*(?:美元|元|人民币)", re.I)
# A question asking how much something changed ("by how much did exports grow", 增速) is
# answered by a figure stated as a change (同比增长18.2%, "grew 9.4 percent", "up 15.6
# percent"), not by a share of a whole (占全市出口总额的78.2%) or a level (出口3800.6亿元).
_ASKS_CHANGE = re.compile(
    rf"{_CHANGE_ASKED}|\bgrowth\b|\bby what (?:percentage|percent)\b"
    r"|增幅|降幅|涨幅|下降了?多少|减少了?多少|提高了?多少", re.I)
_CHANGE_WORDS = re.compile(
    r"增长|增速|增幅|同比|环比|上升|下降|提高|降低|减少|增加|扩大|回落|下滑|上涨"
    r"|\b(?:grew|grow|grows|growth|rose|rise|rises|up|down|increased?|increases|decreased?|declined?|fell|falls?"
    r"|higher|lower|more|less|expanded|shrank|cut|reduced|jumped|climbed|dropped)\b", re.I)
_CLAUSE_END = re.compile(r"[，。；;,]")
# What a year compared against follows: 较2012年下降, 跟2017年比, "up 5% from 2022", "than
# in 2019", "7.3 times the number in 2016".
_BASE_YEAR = re.compile(
    r"(?:较|比|相比|相较于?|同比|跟|与|\b(?:compared (?:with|to)|than(?: in)?|since|from|over"
    r"|times (?:the |that |its )?(?:\w+ )?(?:in|of)))\s*$", re.I)
_ANSWERED_BY = {"share": frozenset({"percent", "times"}), "money": _MONEY_KINDS,
                "charge": _MONEY_KINDS | {"percent", "times"}}


@dataclass(frozen=True)
class Asked:
    figure: str  # "count", "share", "money", "charge" (share or money), "size" (any) or "" (none asked)
    date: bool  # asks when
    event: str  # for a date: what happened then ("effect", "signed", "adopted", "launched") or ""
    rank: str  # asks for the "most", "least", "first" or "last" of something ("" when not)
    place: bool  # asks which city, port, country
    firm: bool  # asks which company
    body: bool  # asks which body, department or organisation
    counted: tuple[str, ...]  # what a count counts: English nouns, or a Chinese (measure word, noun)
    levy: tuple[str, ...]  # for a rate or charge: words one of which the answer must use (tax, 税)
    flows: tuple[re.Pattern[str], ...]  # for a figure: how a sentence names each flow measured alone (exports)
    named: tuple[tuple[Quantity, str], ...]  # figures the question itself names (years, editions, amounts), as written
    documented: tuple[str, ...] = ()  # those of them that date a document ("the 2020 circular"), as written
    items: bool = False  # asks "which ones": a sentence listing several gives them
    currency: str = ""  # for a sum asked in one currency: "usd" or "cny"
    change: bool = False  # asks how much something changed: a figure stated as a change answers
    compared: tuple[str, ...] = ()  # named years the question compares against ("from 2016", 跟2017年比), as written


@lru_cache(maxsize=1024)
def slot(question: str) -> Asked:
    figure = ""
    if not has_cjk(question) or _ZH_ASKS_FIGURE.search(question):
        figure = next((kind for kind, pattern in _FIGURES if pattern.search(question)), "")
    in_currency = _ASKS_CURRENCY.search(question)
    currency = next((kind for kind, said in _CURRENCIES if in_currency and said.search(in_currency.group(0))), "")
    if currency and figure in ("", "count", "size"):
        figure = "money"
    read = question.replace("哪一", "哪")  # "哪一年" asks for a year, it names none
    named = tuple((q, _written(read, q.span)) for q in quantities(read) if _names_figure(q, read))
    documented = tuple(written for q, written in named if q.kind == "year" and _DOCUMENT_YEAR.match(read, q.span[0]))
    rank = "" if figure and _AT_MOST.search(question) else next(
        (kind for kind, asks, _ in _RANKS if asks.search(question)), "")
    date = bool(_DATE.search(question))
    event = next((kind for kind, asks, _ in _EVENTS if asks.search(question)), "") if date else ""
    return Asked(figure, date, event, rank,
                 bool(_ASKS_PLACE.search(question)), bool(_ASKS_FIRM.search(question)),
                 bool(_ASKS_BODY.search(question)), _counted(question),
                 _levy(question) if figure in ("share", "charge") else (), _flows(question) if figure else (),
                 named, documented, bool(_ASKS_ITEMS.search(question)), currency if figure == "money" else "",
                 bool(figure) and bool(_ASKS_CHANGE.search(question)),
                 tuple(written for q, written in named if q.kind == "year" and _compared(read, q.span)))


def _written(question: str, span: tuple[int, int]) -> str:
    """The figure as the question writes it, with its measure word (第四届, not 第四)."""
    start, end = span
    return question[start:end + (question[end:end + 1] in "届次批期")]


def _names_figure(q: Quantity, question: str) -> bool:
    """A year, a dated month, an edition (the 127th, 第三届; not "the first") or a figure in
    digits: what the evidence must then be about. "两国", "three measures" just count."""
    if q.kind == "ordinal":
        return q.amount > 1
    if q.kind == "date":
        return q.date[0] is not None
    return any(ch.isdigit() for ch in question[q.span[0]:q.span[1]])


_FIGURES = (("share", _SHARE), ("charge", _CHARGE), ("money", _MONEY), ("size", _SIZE), ("count", _COUNT))


def _levy(question: str) -> tuple[str, ...]:
    return next((answers for asks, answers in _LEVIES if asks.search(question)), ())


def _flows(question: str) -> tuple[re.Pattern[str], ...]:
    """For each pair of flows the question names one of, not both: how a sentence names it."""
    asked = []
    for one, other, both in _FLOWS:
        measured = [named for asks, named in (one, other) if asks.search(question)]
        if len(measured) == 1 and not both.search(question):
            asked.append(measured[0])
    return tuple(asked)


def _names_flows(flows: tuple[re.Pattern[str], ...], text: str) -> bool:
    """``text`` names each flow outside a sum of the pair ("trade in goods and services")."""
    alone = text
    for _, _, both in _FLOWS:
        alone = both.sub(" ", alone)
    return all(flow.search(alone) for flow in flows)


def _counted(question: str) -> tuple[str, ...]:
    zh = _ZH_COUNTED.search(question)
    if zh:  # the measure word and the word after it: 多少家企业 -> 家, 企业; 多少标准箱 -> 标准箱
        measure, rest = zh.group(1), zh.group(2)
        if not measure and rest[:1] == "个":  # 个 counts anything (多少个摊位 is 7.5万个商位); 多少个章节 counts 章
            return (rest[1], "") if rest[1:2] in _MEASURES else ("个", "")
        noun = jieba_segmenter().lcut(rest)[0] if rest else ""
        return (measure, noun) if measure or noun else ()
    en = _EN_COUNTED.search(question)
    if not en:
        return ()
    words = [w for w in re.findall(r"[a-z-]+", en.group(1).lower()) if w not in _EN_COUNTED_STOP]
    plural = next((i for i, w in enumerate(words) if w.endswith("s") and len(w) > 3), len(words) - 1)
    return tuple(fold(w) for w in words[:plural + 1])  # "member states signed it": up to the plural


def gives_figure(asked: Asked, text: str) -> bool:
    """``text`` states a figure of the asked kind (of the asked levy, for a rate or charge)."""
    if asked.levy and not any(word in text.lower() for word in asked.levy):
        return False
    if asked.flows and not _names_flows(asked.flows, text):
        return False
    # A figure the question itself names is not its answer: "of the 578 bases, how many
    # make textiles?" is not answered by "578 bases in all".
    given = tuple(q for q, _ in asked.named)
    found = [q for q in quantities(text) if q.kind not in ("year", "date", "ordinal") and not supported(q, given)
             and (not asked.change or q.kind == "times" or _as_change(text, q.span))]
    unit = _UNIT_COUNTED.get(asked.counted[-1]) if asked.counted and asked.figure == "count" else None
    answering = frozenset({asked.currency or unit}) if asked.currency or unit else _ANSWERED_BY.get(asked.figure)
    if answering:
        return bool({q.kind for q in found} & answering)
    if asked.figure == "size":  # any figure but a span of time: "two weeks after" sizes nothing
        return any(not _DURATION.match(text, q.span[1]) for q in found)
    if not asked.counted:  # "面积是多少": any figure
        return bool(found)
    timed = bool(_TIME_UNITS & set(asked.counted))
    counts = [q for q in found if q.kind in _COUNTABLE and (timed or not _DURATION.match(text, q.span[1]))]
    return _gives_count(asked.counted, counts, text)


def _as_change(text: str, span: tuple[int, int], reach: int = 24) -> bool:
    """The figure at ``span`` is stated as a change: a change word beside it in its clause."""
    before = _CLAUSE_END.split(text[max(0, span[0] - reach):span[0]])[-1]
    after = _CLAUSE_END.split(text[span[1]:span[1] + reach])[0]
    return bool(_CHANGE_WORDS.search(before) or _CHANGE_WORDS.search(after))


def _gives_count(counted: tuple[str, ...], counts: list[Quantity], text: str) -> bool:
    """A count of the counted thing, when the sentence is in the question's language:
    "多少家企业" needs a number with 家 and 企业 in the sentence, "how many cities" cities.
    Across languages the dictionary gloss misses too many senses (产品 is glossed "good;
    merchandise", never "product") to hold a count to a word; a Chinese count's measure
    word can (``_MEASURES``): "how many chapters" is not answered by 十五个成员国, nor
    多少名委员 by "16 articles". A thing the table does not know takes any count."""
    if not counts or not counted:
        return bool(counts)
    if has_cjk("".join(counted)) != has_cjk(text):
        return _counts_across(counted, counts, text)
    if not has_cjk(text):  # the counted word beside the number: "ten localities … the companies" counts no companies
        return any(_beside(counted, text, q.span) for q in counts)
    measure, noun = counted
    return (not measure or any(text[q.span[1]:q.span[1] + 1] == measure for q in counts)) and noun in text


# Chinese measure words and the English things they count (folded as ``fold`` does): the
# closed class a count carries in Chinese, which names what is counted in either language.
_MEASURES = {
    "章": "chapter", "条": "article item measure provision rule clause line", "届": "session edition",
    "列": "train trip run service", "趟": "train trip run", "名": "person people member staff official deputy expert",
    "人": "person people member staff official", "位": "person people member official expert",
    "家": "company enterprise firm business exporter importer exhibitor bank base institution organisation "
          "organization platform operator",
    "国": "country nation economy member state", "项": "item measure product project line task",
    "天": "day", "日": "day", "年": "year", "月": "month", "批": "batch",
}
_MEASURED = {measure: frozenset(fold(w) for w in nouns.split()) for measure, nouns in _MEASURES.items()}
_COUNTED_BY = {noun: frozenset(m for m, nouns in _MEASURED.items() if noun in nouns)
               for nouns in _MEASURED.values() for noun in nouns}


def _counts_across(counted: tuple[str, ...], counts: list[Quantity], text: str) -> bool:
    """A count in the other language of the thing counted, read by its measure word (of
    an English question's head noun: "national" in "national … bases" counts no 国)."""
    if has_cjk(text):  # an English question: its counted noun's measure words after the number
        measures = _COUNTED_BY.get(counted[-1], frozenset())
        return not measures or any(text[q.span[1]:q.span[1] + 1] in measures or text[q.span[1]:q.span[1] + 2]
                                   in {f"个{m}" for m in measures} for q in counts)
    nouns = _MEASURED.get(counted[0], frozenset())
    return not nouns or any(_beside(tuple(nouns), text, q.span) for q in counts)


def _beside(words: tuple[str, ...], text: str, span: tuple[int, int], reach: int = 40) -> bool:
    near = text[max(0, span[0] - reach):span[1] + reach].lower()
    return bool(set(words) & {fold(w) for w in re.findall(r"[a-z-]+", near)})


def gives_date(asked: Asked, text: str) -> bool:
    """``text`` states a date, and the asked event when the question names one."""
    if asked.event and not any(gives.search(text) for kind, _, gives in _EVENTS if kind == asked.event):
        return False
    return any(q.kind in ("date", "year") for q in quantities(text))


def gives_place(question: str, text: str) -> bool:
    """``text`` names a place: a country or place of the name table, a Chinese place
    name (…省, …市), or an English proper name the table does not know and the question
    does not use."""
    kinds = ("place",) if _ASKS_TOWN.search(question) else ("country", "place")
    if any(name.kind in kinds for name, _ in names(text)) or _ZH_PLACE.search(text):
        return True
    known = {form for name, _ in names(text) for form in name.forms}
    return any(m.group(0) not in question and m.group(0) not in known for m in _PLACE_NAME.finditer(text))


def gives_rank(kind: str, text: str) -> bool:
    """``text`` ranks something the way the question asks (most, least, first, last)."""
    return any(gives.search(text) for name, _, gives in _RANKS if name == kind)


def gives_firm(text: str) -> bool:
    """``text`` names a company ("… Group", "…公司"); a ministry is no answer to "which company"."""
    return bool(_FIRM.search(text))


def gives_body(text: str) -> bool:
    """``text`` names a body: a ministry, committee, government, "relevant departments"."""
    return bool(_BODY.search(text))


def unmentioned(question: str, text: str) -> tuple[str, ...]:
    """Names the question uses (as it writes them) that ``text`` never mentions in any
    language: a name of the table (雄安 is also Xiongan), an English proper name the table
    does not know, or a Chinese one (jieba's proper-noun and place tags) whose dictionary
    sense is an English proper name (世界杯 "World Cup", 浙江省 "Zhejiang Province"; 中西部
    "midwest" is no name). A question about the 2018 FIFA World Cup, or 美国 visas, is
    about something else. A name the question spells out before its acronym ("Cross-border
    Interbank Payment System (CIPS)") is mentioned when the acronym is."""
    table = names(question)
    known = {form for name, _ in table for form in name.forms}
    missing = [question[start:end] for name, (start, end) in table if not mentions(name, text)]
    found = ((_ITEM.sub("", m.group(0)), m.end()) for m in _PROPER.finditer(question))
    proper = [(name, end) for name, end in found if name and name not in MONTH_NAMES
              and not UNIT_WORD.fullmatch(name) and not any(name in form for form in known)]
    if proper:
        said = _parts(bilingual_terms(text))
        missing += [name for name, end in proper if not _said(name, text, said)
                    and not ((acronym := _ACRONYM.match(question, end)) and _said(acronym.group(1), text, said))]
    missing += _unsaid_chinese_names(question, text, known)
    missing += _unsaid_partners(question, text)
    return tuple(dict.fromkeys(missing))


# Chinese names a bilateral agreement or relation by 中 and the partner's first character:
# 中厄自贸协定 is the China-Ecuador FTA, 中柬 China-Cambodia.
_BILATERAL = re.compile(r"中([\u4e00-\u9fff])(?=自贸|自由贸易|双边|经贸|贸易|关系|合作|投资|FTA)")


def _unsaid_partners(question: str, text: str) -> list[str]:
    """China's partner in a question's 中X name that ``text`` mentions neither as 中X nor by
    a name starting with X (厄瓜多尔) nor by one of those names' English (Ecuador): the
    China-Cambodia brief gives no figure of the China-Ecuador agreement."""
    return [match.group(0) for match in _BILATERAL.finditer(question)
            if (partner := _partner_names(match.group(1))) and match.group(0) not in text and not partner.search(text)]


@lru_cache(maxsize=256)
def _partner_names(char: str) -> re.Pattern[str] | None:
    """Any dictionary word starting with ``char`` that names something in English, or that
    English name (柬埔寨, Cambodia; for 新 Singapore, New Zealand and more: any of them is the
    partner); None when no word does."""
    found = [(word, names) for word in dictionary() if len(word) > 1 and word[0] == char
             and (names := _english_names(word))]
    if not found:
        return None
    chinese = "|".join(re.escape(word) for word, _ in found)
    english = "|".join(re.escape(name) for _, names in found for name in names)
    return re.compile(rf"{chinese}|\b(?:{english})\b", re.I)


_ACRONYM = re.compile(r"\s*\(([A-Z]{2,6})\)")


def _said(name: str, text: str, said: frozenset[str]) -> bool:
    """An English name the table does not know is mentioned when the text has it, or has
    every word of it in either language: a Chinese passage's dictionary gloss gives 浙江
    "Zhejiang", 国务院办公厅 "State Council" + "office" ("General Office of the State
    Council" names it too); a place the dictionary lacks is written in pinyin (洋山
    "Yangshan") or sounds like it (霍尔果斯 "Horgos"); an acronym is the initials of words
    the text has (自贸协定 "FTA", 中国人民银行 "PBOC"); China's partner may be its first
    character (中哈 "China-Kazakhstan"). Words compare folded (``textkit.terms.fold``): the
    gloss says "encourage" and "catalog" where the question writes "Encouraged" and
    "Catalogue"."""
    if name.lower() in text.lower():
        return True
    return all(set(terms(word)) <= said or spelled(word, text) or sounded(word, text) or _abbreviates(word, text)
               or _partner(word, name, text) for word in re.findall(r"[A-Za-z]+", name))


def _partner(word: str, name: str, text: str) -> bool:
    """China's partner in a bilateral name ("China-Kazakhstan") that Chinese writes as 中
    and the first character of the partner's name: 中哈, 中柬, 中新."""
    if not re.search(rf"\bChina-{word}\b|\b{word}-China\b", name):
        return False
    return any(f"中{chinese[0]}" in text for chinese in chinese_for(word))


_NOT_INITIALS = frozenset({"of", "and", "the", "for", "on", "in"})


def _abbreviates(word: str, text: str) -> bool:
    """``word`` (FTA or FTAs, FTZ, CIIE, PBOC) is the initials of consecutive words of the text or
    of its gloss (free trade | agreement; RCEP's Regional Comprehensive Economic
    Partnership; People's Bank of China, which keeps its "of")."""
    word = word[:-1] if word[:-1].isupper() and word.endswith("s") else word  # FTAs
    if not (word.isupper() and 3 <= len(word) <= 6):
        return False
    words = [w for w in re.findall(r"[a-z]+", f"{text} {gloss(text) if has_cjk(text) else ''}".lower())
             if w != "s"]  # People's
    initials = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _NOT_INITIALS)
    return word.lower() in content or word.lower() in initials


def _unsaid_chinese_names(question: str, text: str, known: set[str]) -> list[str]:
    """The question's Chinese proper names that ``text`` mentions neither in Chinese nor by
    the words of their English name; the text's terms are read only when there is one."""
    candidates = [(w, english) for w in chinese_names(question) if not any(w in form for form in known)
                  and w.rstrip("省市县") not in text and (english := _english_names(_widest(w, question)))]
    if not candidates:
        return []
    said = _parts(terms(text))  # "kong-zhuhai-macao" in its parts
    return [w for w, english in candidates if not any(_names_said(name, said) for name in english)]


def _widest(word: str, question: str, reach: int = 4) -> str:
    """The longest dictionary word of the question that contains ``word``: jieba cuts
    港珠澳大桥 into 港珠澳 + 大桥, whose own sense is a heroine of the Three Kingdoms."""
    table, at = dictionary(), question.find(word)
    pieces = (question[start:end] for start in range(max(0, at - reach), at + 1)
              for end in range(at + len(word), min(len(question), at + len(word) + reach) + 1))
    return max((piece for piece in pieces if piece in table), key=len, default=word)


def _names_said(name: str, said: frozenset[str]) -> bool:
    """Every word of an English name is in the text (place words aside); of a name of four
    words or more, all but one: "Hong Kong-Zhuhai-Macau Bridge" is the text's "…-Macao Bridge"."""
    words = _parts(terms(name)) - _PLACE_WORDS
    return len(words - said) <= (1 if len(words) >= 4 else 0)


def _parts(words: Iterable[str]) -> frozenset[str]:
    """Terms with the hyphenated ones in their parts: a gloss's "cross-border" says "Cross",
    a text's "kong-zhuhai-macao" says "Zhuhai"."""
    return frozenset(part for word in words for part in word.split("-"))


_LEADING_NAME = re.compile(r"[A-Z][\w'-]*(?: [A-Z][\w'-]*)*")
_PLACE_WORDS = frozenset(fold(w) for w in ("province", "city", "municipality", "county", "district"))


def _english_names(word: str) -> list[str]:
    """The proper names among a Chinese word's dictionary senses ("Zhejiang Province" of
    "Zhejiang Province in east China"; none for 中西部 "midwest", which names nothing)."""
    return [m.group(0) for sense in gloss(word).split(";") if (m := _LEADING_NAME.match(sense.strip()))]


def gives_asked(question: str, text: str) -> bool:
    """The sentence states the kind of fact the question asks for (False when it asks for
    none): a figure, a date, or for "which ones" a list of three or more. Only the ranking
    reads the list: a question is never refused for want of one."""
    a = slot(question)
    return bool((a.figure and gives_figure(a, text)) or (a.date and gives_date(a, text))
                or (a.items and enumerates(text)))


def lacks(question: str, sentence: str, before: str, passage: str, kind: str = "", *,
          skipped: tuple[str, ...] = ()) -> str:
    """What of the asked slot the sentence does not give: "figure", "date", "rank", "place",
    "firm", "body", "named:<what the question wrote>", or "" when nothing is missing; of one
    ``kind`` only when given (``apart``); the named dates ``skipped`` left to other
    sentences (``dates_apart``)."""
    return unfilled(question, sentence, kind) or _unnamed(slot(question), sentence, before, passage, skipped)


# Kinds that are facts of their own, which two sentences may give apart: "which country
# was the first" asks one fact (a place that ranks), not a place and a first.
_SEPARATE_KINDS = frozenset({"figure", "date", "body"})


def apart(question: str) -> tuple[str, ...]:
    """The kinds of fact a question asks that two sentences may give: ("figure", "date")
    for "when was it adopted, and how many articles has it"; () for any other question."""
    kinds = _kinds_asked(question)
    return kinds if len(kinds) > 1 and set(kinds) <= _SEPARATE_KINDS else ()


def _kinds_asked(question: str) -> tuple[str, ...]:
    """The kinds of fact the question asks for ("figure", "date", "rank", "place", "firm", "body")."""
    return tuple(name for name, wanted, _ in _checks(question, "") if wanted)


def dates_apart(question: str) -> tuple[str, ...]:
    """The dates and years a question names, as written, when it names more than one of
    its own (each with its year; not a document's year, nor one it compares against) and
    asks for no figure, date or other kind of fact: "What happened to RCEP on 15 November
    2020 and on 1 January 2022?" is answered by two sentences, one naming each date
    (``names_date``), where no one sentence names both. () for any other question: asked
    for a figure, "2021年1—7月" is one period, and two sentences would each give a figure
    of something else."""
    if _kinds_asked(question):
        return ()
    asked = slot(question)
    dates = tuple(written for q, written in asked.named
                  if (q.kind == "year" or (q.kind == "date" and q.date[0] is not None))
                  and written not in asked.documented and written not in asked.compared)
    return dates if len(dates) > 1 else ()


def names_date(written: str, sentence: str) -> bool:
    """The sentence itself names the date or year the question wrote as ``written``: a
    passage that merely mentions it elsewhere says nothing of what happened then."""
    return any(supported(q, quantities(sentence)) for q in quantities(written))


# A question answered by yes or no: restating it is the answer ("会得到支持吗" -> "会得到支持").
_YES_NO = re.compile(r"[吗么][？?\s]*$|是否|是不是|能否|可否|会不会|有没有"
                     r"|^\s*(?:is|are|was|were|do|does|did|will|would|can|could|should|has|have|had|must|may)\b", re.I)


def restates(question: str, text: str) -> bool:
    """``text`` only repeats the question's own words: asked which kind of medical services
    to export more of, the local model wrote that the circular names medical services with
    Chinese characteristics [1], the question minus its "which". It gives nothing asked."""
    if _YES_NO.search(question):
        return False
    return not set(terms(strip_markers(text))) - set(terms(question))


def unfilled(question: str, text: str, kind: str = "") -> str:
    """The kind of fact asked for ("figure", "date", "rank", "place", "firm", "body") that ``text``
    does not give, or "" (also when the question asks for none of them); only ``kind``
    when given. A generated answer is held to it too: one that restates the wrong sentence
    gives no date for "when"."""
    return next((name for name, wanted, given in _checks(question, text)
                 if wanted and (not kind or name == kind) and not given()), "")


def _checks(question: str, text: str) -> tuple[tuple[str, bool, Callable[[], bool]], ...]:
    asked = slot(question)
    return (  # in this order, each run only when asked for
        ("figure", bool(asked.figure), lambda: gives_figure(asked, text)),
        ("date", asked.date, lambda: gives_date(asked, text)),
        ("rank", bool(asked.rank), lambda: gives_rank(asked.rank, text)),
        ("place", asked.place, lambda: gives_place(question, text)),
        ("firm", asked.firm, lambda: gives_firm(text)),
        ("body", asked.body, lambda: gives_body(text)),
    )


def carries(question: str, source: str, text: str) -> bool:
    """``text``, a translation of ``source``, keeps a figure or date of it that fills the
    asked slot. A translation words its source's fact as the source does ("70项特别措施" for
    "多少条特别管理措施", "正式实施" for "施行"), so the question's counted noun and event word
    cannot hold it; the figures of the first quote that fills the slot (the decision's lead,
    quoted first) can: a translation that dropped it ("63年的历史" for how many exporters,
    from "About 25,000 exporters took part") keeps none of them."""
    asked = slot(question)
    if not (asked.figure or asked.date):
        return False
    named = tuple(q for q, _ in asked.named)
    dated = ("year", "date")
    source, text = strip_markers(source), strip_markers(text)  # "[1]" is no figure
    answering = next((source[a:b] for a, b in sentence_spans(source) if not unfilled(question, source[a:b])), "")
    wanted = tuple(q for q in quantities(answering) if not supported(q, named)
                   and (q.kind in dated) == (asked.date and not asked.figure) and q.kind != "ordinal")
    return any(supported(q, wanted) for q in quantities(text))


def _unnamed(asked: Asked, sentence: str, before: str, passage: str, skipped: tuple[str, ...] = ()) -> str:
    """A figure the question names that the evidence lacks. A year must be the sentence's:
    named in it, or when it names none in the one before it (a full date, for a figure,
    only says when something was announced; a year compared against, 较2012年 or "from
    2022", is not the figure's unless the question compares against it too), or, when they
    name no year, before it in the passage (its
    title, date or earlier text: the CIFTIS 2020 brief's 148 countries are no count for the
    2021 fair its closing sentence mentions); any other figure (the 127th fair, 46 zones,
    June 2020's year, the year of "the 2020 circular") anywhere in the passage or its date."""
    def dating(text: str) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]]:
        """(the text's own years and dates, those and the years it compares against)."""
        every = tuple(q for q in quantities(text) if not (asked.figure and q.kind == "date" and q.date[2] is not None))
        return tuple(q for q in every if not (q.kind == "year" and _compared(text, q.span))), every

    own, compared = dating(sentence)
    if not any(q.kind in ("year", "date") for q in own):
        own, compared = (a + b for a, b in zip((own, compared), dating(before), strict=True))
    everywhere = quantities(passage)
    at = passage.find(sentence)
    earlier = quantities(passage[:at]) if at > 0 else everywhere
    for figure, written in asked.named:
        if written in skipped:
            continue
        sentence_year = figure.kind == "year" and written not in asked.documented
        near = compared if written in asked.compared else own
        dated = any(q.kind in ("year", "date") for q in near)
        if sentence_year and not supported(figure, near if dated else earlier):
            return f"named:{written}"
        sought = Quantity("year", float(figure.date[0] or 0)) if figure.kind == "date" else figure
        if not supported(sought, everywhere) and not (
                _edition(figure, written) and supported(Quantity("ordinal", figure.value), everywhere)):
            return f"named:{written}"
    return ""


def _compared(text: str, span: tuple[int, int]) -> bool:
    """The year at ``span`` is one compared against (较2012年, "up 5% from 2022")."""
    return bool(_BASE_YEAR.search(text[max(0, span[0] - 24):span[0]]))


def _edition(figure: Quantity, written: str) -> bool:
    """"130届广交会" without its 第 names the 130th session, as an English source writes it;
    read alone, "130届" may also count sessions, so it stays a number elsewhere."""
    return figure.kind == "number" and written[-1:] in "届期"
