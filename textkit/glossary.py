"""How the other language writes what a text names: the names of ``textkit.names`` and the
standard wording of trade-policy terms, for a translation to keep.

Chinese policy texts word their terms one way: "transformation and upgrading" is 转型升级,
"comprehensive pilot zones" 综合试验区, "Traditional Chinese Medicine" 中医药. Left to itself
the 1.5B model wrote 转型和升级, 综合试点区域, 中药: right in meaning, not the words a reader
searches for or the documents use. The table is data: terms of the trade-policy field in
their usual English renderings (first Chinese form the standard one), not the dev set's;
those a model renders right unaided (foreign trade, supply chain) are left out, as each
costs prompt tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache

from textkit.names import names

# English forms; Chinese forms (the first is the standard one).
_TERMS = """
circular|通知
circular economy|循环经济
transformation and upgrading|转型升级
high-quality development|高质量发展
dual circulation|双循环
trade in services; services trade; service trade|服务贸易
cross-border trade in services|跨境服务贸易
border trade|边境贸易
processing trade|加工贸易
market procurement trade; market procurement|市场采购贸易
cross-border e-commerce|跨境电商; 跨境电子商务
comprehensive pilot zone; comprehensive experimental zone|综合试验区; 综试区
pilot free trade zone; free trade pilot zone|自由贸易试验区; 自贸试验区
free trade zone; free trade area|自由贸易区; 自贸区
free trade agreement|自由贸易协定; 自贸协定
free trade port|自由贸易港; 自贸港
special customs supervision zone; special customs supervision area|海关特殊监管区域
comprehensive bonded zone|综合保税区
bonded|保税
overseas warehouse|海外仓
service outsourcing|服务外包
new business forms and new models; new forms and models of business|新业态新模式
new business forms; new business form|新业态
integration of domestic and foreign trade; integrated development of domestic and foreign trade|内外贸一体化
import trade promotion innovation demonstration zone|进口贸易促进创新示范区
foreign trade transformation and upgrading base; transformation and upgrading base|外贸转型升级基地
national cultural export base|国家文化出口基地
trade promotion|贸易促进
trade facilitation|贸易便利化
trade remedy; trade remedies|贸易救济
customs clearance|通关
single window|单一窗口
export tax rebate|出口退税
export credit insurance|出口信用保险
re-lending|再贷款
rediscount|再贴现
cross-border RMB settlement; RMB cross-border settlement|跨境人民币结算
negative list|负面清单
special administrative measures; special administrative measure|特别管理措施
rules of origin|原产地规则
tariff reduction; tariff concession|关税减让
dual-use items; dual-use item|两用物项
end-user; end user|最终用户
control list|管制清单
leading enterprise|龙头企业
small and medium-sized enterprises; small and medium enterprises; SMEs|中小企业
micro, small and medium-sized enterprises|中小微企业
brand enterprise|品牌企业
labor-intensive; labour-intensive|劳动密集型
high-end|高端
industrial cluster|产业集群
international marketing service network; international marketing network|国际营销服务网络
public service platform|公共服务平台
Traditional Chinese Medicine|中医药
second-hand car; used car; used vehicle|二手车
freight train|班列
online inspection|网上查验; 线上查验
online|线上; 网上
offline|线下
"""


@lru_cache(maxsize=1)
def _terms() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """One pattern over every form (longest first, English ones whole words in any case and
    number), and each form, lower-cased, to the entry's standard (English, Chinese)."""
    standard: dict[str, tuple[str, str]] = {}
    for line in _TERMS.strip().splitlines():
        english, chinese = ([f.strip() for f in side.split(";")] for side in line.split("|"))
        for form in english + chinese:
            standard.setdefault(form.lower(), (english[0], chinese[0]))
    forms = sorted(standard, key=len, reverse=True)
    alternatives = [rf"\b{re.escape(f)}(?:e?s)?\b" if f.isascii() else re.escape(f) for f in forms]
    return re.compile("|".join(alternatives), re.I), standard


def _singular(written: str, standard: dict[str, tuple[str, str]]) -> str:
    lowered = written.lower()
    return next((f for f in (lowered, lowered[:-1], lowered[:-2]) if f in standard), lowered)


def renderings(text: str, target: str) -> list[tuple[str, str]]:
    """The names and terms in ``text``, each as written there and as the ``target``
    language ("zh" or "en") writes it, in order of first appearance. Countries are left
    out (a model renders "Japan" right unaided); an abbreviation is paired with the
    shortest spelling (CIIE is 进博会). The 1.5B model put "Xiongan New Area" into Chinese
    as 邢台新区域 until told."""
    to_english = target != "zh"
    found: list[tuple[int, str, str]] = []
    named = names(text)
    for name, (start, end) in named:
        written = text[start:end]
        spellings = [f for f in name.forms if f.isascii() == to_english]
        if name.kind != "country" and written.isascii() != to_english and spellings:
            found.append((start, written, min(spellings, key=len) if written.isupper() else spellings[0]))
    pattern, standard = _terms()
    for match in pattern.finditer(text):
        written = match.group(0)
        inside = any(a <= match.start() and match.end() <= b for _, (a, b) in named)
        if written.isascii() != to_english and not inside:
            english, chinese = standard[_singular(written, standard)]
            found.append((match.start(), written, english if to_english else chinese))
    out: dict[str, str] = {}
    for _, written, rendering in sorted(found):
        out.setdefault(written, rendering)
    return list(out.items())
