"""Hand-written data for the adversarial evaluation of claim verification (qa/adversarial.py).

RENDERINGS are faithful translations, written by hand for this evaluation, of sentences
of the shipped corpus: each restates one sentence (found by ``source``, a piece of its
text, in document ``doc``) in the other language, keeping its figures and names. No
translation model ships offline, so these ~30 are the cross-lingual test set. SYNONYMS
drive the programmatic paraphrases; CLAUSES are plausible additions (``{n}`` is filled
with a figure) that no passage states.
"""

from __future__ import annotations

# (doc id, piece of the source sentence, rendering in the other language)
RENDERINGS: list[tuple[str, str, str]] = [
    # Chinese renderings of English sentences
    ("2021-01-19-china-europe-freight-trains-2020-en", "made 12,406 trips in 2020",
     "据国家发展改革委和国铁集团，2020年中欧班列共开行12406列。"),
    ("2021-01-19-china-europe-freight-trains-2020-en", "carried about 1.14 million",
     "2020年中欧班列运送集装箱约114万标准箱，增长56%。"),
    ("2021-01-19-china-europe-freight-trains-2020-en", "around 1,200 trains ran every month",
     "2020年下半年，每月开行约1200列。"),
    ("2020-11-15-rcep-signed-en", "fifteen economies signed",
     "2020年11月15日，十五个经济体签署了《区域全面经济伙伴关系协定》（RCEP）。"),
    ("2020-11-15-rcep-signed-en", "roughly 30 percent of world GDP",
     "该自贸区约占全球经济总量和人口的三成，是按经济规模计算最大的自由贸易区。"),
    ("2020-11-15-rcep-signed-en", "India took part in the early rounds",
     "印度参加了早期谈判，但于2019年退出。"),
    ("2020-11-15-rcep-signed-en", "The agreement has 20 chapters",
     "该协定共有20个章节。"),
    ("2020-11-15-rcep-signed-en", "first free trade agreement linking",
     "对中国和日本而言，这是两国之间的首个自由贸易协定。"),
    ("2022-01-01-rcep-enters-into-force-en", "took effect on 1 January 2022",
     "该协定于2022年1月1日对首批十个核准国家生效。"),
    ("2022-01-01-rcep-enters-into-force-en", "remove tariffs on roughly 90 percent",
     "预计在约二十年内，协定将取消成员间约九成货物贸易的关税。"),
    ("2022-01-01-rcep-enters-into-force-en", "from a positive list to a negative list",
     "在服务贸易方面，中国承诺在协定生效后六年内由正面清单转为负面清单。"),
    ("2022-01-01-rcep-enters-into-force-en", "eighteen months after",
     "协定生效十八个月后，其他经济体可申请加入。"),
    ("2020-canton-fair-online-en", "The 127th session ran",
     "第127届广交会于2020年6月15日至24日在网上举办。"),
    ("2020-canton-fair-online-en", "About 25,000 Chinese exporters",
     "约2.5万家中国出口企业参展，展示约180万件产品，设50个展区、16个商品类别。"),
    ("2020-canton-fair-online-en", "went fully online for the first time",
     "因疫情影响，每年在广州举办两次的广交会在其63年历史上首次全部改为线上举办。"),
    ("2020-10-17-export-control-law-en", "adopted the Export Control Law",
     "2020年10月17日，全国人大常委会通过了《出口管制法》。"),
    ("2020-10-17-export-control-law-en", "The law took effect on 1 December 2020",
     "该法于2020年12月1日起施行。"),
    ("2021-06-10-hainan-free-trade-port-law-en", "passed the Law on the Hainan Free Trade Port",
     "2021年6月10日，全国人大常委会通过《海南自由贸易港法》，并自通过之日起施行。"),
    ("2021-08-26-hainan-services-negative-list-en", "It lists 70 special measures",
     "该清单列出11个门类共70项特别管理措施，适用于境外服务提供者。"),
    ("2021-08-26-hainan-services-negative-list-en", "the first negative list China has published",
     "这是中国首份跨境服务贸易负面清单。"),
    ("2021-07-09-14th-five-year-plan-trade-targets-en", "from 4.65 trillion US dollars",
     "规划提出，中国货物和服务贸易额要从2020年的4.65万亿美元提高到2025年的约5.1万亿美元，年均增长约2%。"),
    ("2020-04-07-cross-border-ecommerce-pilot-zones-en", "46 new comprehensive pilot zones",
     "2020年4月7日，李克强主持召开国务院常务会议，决定新设46个跨境电子商务综合试验区，总数达到105个。"),
    ("2019-05-second-hand-car-exports-en", "13.8 million used cars",
     "2018年，中国二手车交易量约1380万辆，新车销量约2800万辆。"),
    # English renderings of Chinese sentences
    ("2020-ciie-third-session-zh", "11月4日在上海开幕",
     "The third China International Import Expo opened in Shanghai on 4 November 2020 and closed on 10 November."),
    ("2020-ciie-third-session-zh", "726.2亿美元",
     "Intended deals at this session totalled 72.62 billion US dollars, up 2.1 percent on the previous session."),
    ("2020-ciie-third-session-zh", "接近36万平方米",
     "The total exhibition area was nearly 360,000 square metres, about 30,000 square metres larger than the "
     "previous session."),
    ("2020-ciie-third-session-zh", "411项",
     "The expo showcased 411 new products, technologies and services."),
    ("2020-china-europe-rail-zh", "共开行12406列",
     "In 2020 China-Europe freight trains made 12,406 trips, up 50 percent year on year."),
    ("2020-china-europe-rail-zh", "承接了大量转移货物",
     "During the pandemic sea and air transport were badly affected, and China-Europe freight trains took over a large "
     "amount of diverted cargo."),
    ("2021-07-upgrading-bases-zh", "新认定了105家",
     "In July 2021 the Ministry of Commerce recognised 105 new national foreign trade transformation and upgrading "
     "bases, bringing the total to 578."),
    ("2021-07-upgrading-bases-zh", "八大行业",
     "The bases cover eight major industries, including electromechanical products, agricultural products, textiles "
     "and garments, and medicine."),
    ("2021-12-rcep-implementation-zh", "对首批完成核准的十个国家",
     "The agreement formally entered into force on 1 January 2022 for the first ten countries that had completed "
     "ratification."),
    ("2021-12-rcep-implementation-zh", "约九成货物贸易",
     "Under the agreement, about 90 percent of trade in goods within the region will eventually face zero tariffs."),
    ("2021-12-rcep-implementation-zh", "由正面清单转为负面清单",
     "China promised to switch its services commitments from a positive list to a negative list within six years of "
     "the agreement taking effect."),
]

# Same-language rewrites as a model writes them (condensed, reordered, reworded), by hand:
# (doc id, piece of the source sentence, rewrite). The programmatic paraphrases are lighter.
REWRITES: list[tuple[str, str, str]] = [
    ("2021-01-19-china-europe-freight-trains-2020-en", "carried about 1.14 million",
     "In 2020 the trains carried 1.14 million TEU, 56 percent more than a year earlier."),
    ("2021-01-19-china-europe-freight-trains-2020-en", "made 12,406 trips in 2020",
     "In 2020 China-Europe freight trains completed 12,406 trips."),
    ("2021-01-19-china-europe-freight-trains-2020-en", "around 1,200 trains ran every month",
     "About 1,200 trains a month ran in the second half of 2020."),
    ("2020-11-15-rcep-signed-en", "Talks were launched in 2013",
     "RCEP negotiations began in 2013, two years after the idea was raised at an ASEAN summit in 2011."),
    ("2020-11-15-rcep-signed-en", "India took part in the early rounds",
     "India joined the early rounds of talks but left them in 2019."),
    ("2022-01-01-rcep-enters-into-force-en", "remove tariffs on roughly 90 percent",
     "Tariffs on roughly 90 percent of goods traded among the members are to be removed over about twenty years."),
    ("2020-10-17-export-control-law-en", "The law took effect on 1 December 2020",
     "The Export Control Law has been in force since 1 December 2020."),
    ("2021-06-10-hainan-free-trade-port-law-en", "passed the Law on the Hainan Free Trade Port",
     "The Hainan Free Trade Port law was passed on 10 June 2021 and took effect the same day."),
    ("2021-08-26-hainan-services-negative-list-en", "It lists 70 special measures",
     "The list sets out 70 special measures in 11 categories for foreign service providers."),
    ("2020-canton-fair-online-en", "The 127th session ran",
     "The 127th Canton Fair was held online from 15 to 24 June 2020."),
    ("2020-04-07-cross-border-ecommerce-pilot-zones-en", "Customs figures showed",
     "Retail sales by cross-border e-commerce businesses reached 186.21 billion yuan in 2019, customs figures showed."),
    ("2021-07-09-14th-five-year-plan-trade-targets-en", "from 4.65 trillion US dollars",
     "The plan targets trade in goods and services of about 5.1 trillion dollars in 2025, up from 4.65 trillion "
     "in 2020."),
    ("2020-china-europe-rail-zh", "全年运送集装箱约114万标准箱",
     "2020年中欧班列运送集装箱约114万标准箱，比上年增长56%。"),
    ("2020-ciie-third-session-zh", "11月4日在上海开幕", "第三届进博会2020年11月4日在上海开幕，11月10日闭幕。"),
    ("2021-07-upgrading-bases-zh", "新认定了105家",
     "商务部2021年7月新认定105家基地，使全国外贸转型升级基地达到578家。"),
    ("2021-12-rcep-implementation-zh", "约九成货物贸易", "按照协定，区域内约九成的货物贸易最终将享受零关税。"),
    ("2021-12-rcep-implementation-zh", "对首批完成核准的十个国家", "2022年1月1日，协定对首批十个完成核准的国家生效。"),
    ("2020-ciie-third-session-zh", "411项", "本届进博会共展示411项新产品、新技术和新服务。"),
]

# Chinese briefs -> the English documents that state the same facts: never a "wrong passage".
PARALLEL: dict[str, set[str]] = {
    "2020-china-europe-rail-zh": {"2021-01-19-china-europe-freight-trains-2020-en",
                                  "2020-11-09-circular-foreign-trade-en"},
    "2020-ciie-third-session-zh": {"2020-11-09-circular-foreign-trade-en", "2020-canton-fair-online-en"},
    "2021-07-upgrading-bases-zh": {"2020-11-09-circular-foreign-trade-en"},
    "2021-12-rcep-implementation-zh": {"2020-11-15-rcep-signed-en", "2022-01-01-rcep-enters-into-force-en"},
}

# Word -> a synonym that keeps the meaning (light paraphrase); checked outside names only.
SYNONYMS: dict[str, str] = {
    "about": "around", "roughly": "about", "around": "about", "nearly": "almost", "took effect": "came into force",
    "came into force": "took effect", "adopted": "approved", "issued": "released", "published": "released",
    "firms": "companies", "enterprises": "companies", "companies": "firms", "measures": "steps", "rules": "regulations",
    "key": "major", "major": "key", "important": "key", "goals": "aims", "goal": "aim", "rapidly": "quickly",
    "set up": "establish", "establishing": "setting up", "called for": "asked for", "asked for": "called for",
    "trips": "journeys", "carried": "transported", "cargo": "goods", "help": "assist", "build": "construct",
    "building": "constructing", "necessary": "needed", "began": "started", "launched": "started",
    "约": "大约", "实现": "达到", "推动": "推进", "推进": "推动", "加快": "加速", "举办": "举行", "企业": "公司",
    "措施": "举措", "覆盖": "涵盖", "表示": "称", "介绍": "说", "印发": "发布", "签署": "签订", "首次": "第一次",
    "总数": "总量", "扩大": "扩展", "提出": "提出了",
}

# Plausible additions no passage states: "{n}" becomes a figure.
CLAUSES_EN: list[str] = [
    "and it cut tariffs on {n} percent of farm imports", "with total investment of {n} billion yuan",
    "after a vote in the European Parliament", "and customs clearance times fell by {n} percent",
    "while shipping rates doubled", "which created {n},000 jobs in Hainan", "backed by a new export credit fund",
    "and it requires local content of at least {n} percent",
]
CLAUSES_ZH: list[str] = [
    "并将农产品进口关税下调{n}%", "总投资达{n}亿元", "此前经欧洲议会表决", "通关时间缩短{n}%", "同时海运运价翻倍",
    "带动海南新增就业{n}万人", "并设立出口信贷基金", "且要求本地成分不低于{n}%",
]
