"""Proper names of the corpus in English and Chinese, and a reader that finds them.

A claim may name a party only if its passage names it too, in either language: 东盟 is
ASEAN, 广交会 the Canton Fair. The table is data, built by reading the shipped corpus
(its English briefs and their Chinese counterparts), plus the regions Chinese policy texts
name by short forms a dictionary gloss cannot expand (京津冀, 粤港澳大湾区); a name missing
here is still checked as a capitalised English word, just not across languages. Each
entry has a class so that the adversarial evaluation can swap a name for another of its kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Name:
    key: str  # canonical English form
    kind: str  # country, place, organisation, agreement, event, person
    forms: tuple[str, ...]  # every spelling, English and Chinese


_TABLE = """
country|China; Chinese|中国; 我国
country|Japan; Japanese|日本
country|South Korea; Korea|韩国
country|Australia|澳大利亚
country|New Zealand|新西兰
country|India|印度
country|Vietnam|越南
country|Brunei|文莱
country|Cambodia|柬埔寨
country|Indonesia|印度尼西亚; 印尼
country|Laos|老挝
country|Malaysia|马来西亚
country|Myanmar|缅甸
country|Philippines|菲律宾
country|Singapore|新加坡
country|Thailand|泰国
country|United States; U.S.|美国
place|Hainan|海南
place|Shanghai|上海
place|Guangzhou|广州
place|Beijing|北京
place|Tianjin|天津
place|Hebei|河北
place|Guangdong|广东
place|Liaoning|辽宁
place|Fujian|福建
place|Sichuan|四川
place|Xiongan New Area; Xiongan|雄安新区; 雄安
place|Yangtze Delta; Yangtze River Delta|长三角; 长江三角洲
place|Yangtze River Economic Belt|长江经济带
place|Beijing-Tianjin-Hebei|京津冀
place|Guangdong-Hong Kong-Macao Greater Bay Area; Greater Bay Area|粤港澳大湾区; 大湾区
place|Pearl River Delta|珠江三角洲; 珠三角
place|Hong Kong|香港
place|Macao; Macau|澳门
place|Europe; European|欧洲
place|Asia|亚洲
place|Africa|非洲
place|Latin America|拉丁美洲; 拉美
place|Asia-Pacific|亚太
organisation|ASEAN|东盟
organisation|European Union; EU|欧盟
organisation|World Trade Organization; WTO|世界贸易组织; 世贸组织
organisation|State Council|国务院
organisation|Ministry of Commerce; MOFCOM|商务部
organisation|National Development and Reform Commission; NDRC|国家发展改革委; 国家发改委
organisation|National People's Congress; NPC|全国人民代表大会; 全国人大
organisation|General Administration of Customs; GAC|海关总署
organisation|People's Bank of China; PBOC; PBoC|中国人民银行; 人民银行
organisation|Ministry of Finance|财政部
organisation|State Taxation Administration|国家税务总局; 税务总局
organisation|State Administration of Foreign Exchange; SAFE|国家外汇管理局; 国家外汇局
organisation|China Banking and Insurance Regulatory Commission; CBIRC|银保监会; 中国银保监会
organisation|Ministry of Public Security|公安部
organisation|China State Railway Group|国铁集团
organisation|State Council Information Office|国新办; 国务院新闻办公室
agreement|Regional Comprehensive Economic Partnership; RCEP|区域全面经济伙伴关系协定
agreement|Belt and Road Initiative; Belt and Road|一带一路
agreement|Export Control Law|出口管制法
agreement|14th Five-Year Plan|十四五
agreement|Law on the Hainan Free Trade Port; Hainan Free Trade Port Law|海南自由贸易港法
event|China International Import Expo; CIIE|中国国际进口博览会; 进博会
event|Canton Fair; China Import and Export Fair|广交会; 中国进出口商品交易会
event|China Processing Trade Products Fair|加工贸易产品博览会
event|China International Fair for Trade in Services; CIFTIS|中国国际服务贸易交易会; 服贸会
event|China-ASEAN Expo; CAEXPO|中国—东盟博览会; 中国-东盟博览会; 东博会
event|China International Consumer Products Expo|中国国际消费品博览会; 消博会
event|China International Fair for Investment and Trade; CIFIT|中国国际投资贸易洽谈会; 投洽会
event|China-Africa Economic and Trade Expo|中国—非洲经贸博览会; 中非经贸博览会
event|China-Arab States Expo|中国—阿拉伯国家博览会; 中阿博览会
event|China-Eurasia Expo|中国—亚欧博览会; 亚欧博览会
event|Global Digital Trade Expo|全球数字贸易博览会; 数贸会
place|Hainan Free Trade Port|海南自由贸易港; 海南自贸港
place|China-Europe freight trains; China-Europe|中欧班列
person|Xi Jinping|习近平
person|Li Keqiang|李克强
"""


@lru_cache(maxsize=1)
def table() -> tuple[Name, ...]:
    names = []
    for line in _TABLE.strip().splitlines():
        kind, english, chinese = line.split("|")
        forms = tuple(f.strip() for f in f"{english};{chinese}".split(";"))
        names.append(Name(forms[0], kind, forms))
    return tuple(names)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, Name]]:
    by_form = {form: name for name in table() for form in name.forms}
    forms = sorted(by_form, key=len, reverse=True)  # longest first: "China-Europe" before "China"
    alternatives = [re.escape(f) if not f.isascii() else rf"\b{re.escape(f)}\b" for f in forms]
    return re.compile("|".join(alternatives)), by_form


@lru_cache(maxsize=8192)
def names(text: str) -> tuple[tuple[Name, tuple[int, int]], ...]:
    """The table's names in ``text`` with their spans, longest match first."""
    pattern, by_form = _pattern()
    return tuple((by_form[m.group(0)], m.span()) for m in pattern.finditer(text))


def mentions(name: Name, text: str) -> bool:
    """Does ``text`` name ``name`` in any language, also inside a longer name ("Hainan" in
    "Hainan Free Trade Port")?"""
    return bool(_form_pattern(name).search(text))


@lru_cache(maxsize=256)
def _form_pattern(name: Name) -> re.Pattern:
    return re.compile("|".join(re.escape(f) if not f.isascii() else rf"\b{re.escape(f)}\b" for f in name.forms))
