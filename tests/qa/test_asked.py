"""Reading what a question asks for, and whether a sentence gives it, in both languages."""

import pytest

from qa.asked import carries, dates_apart, gives_asked, lacks, names_date, restates, slot, unmentioned


@pytest.mark.parametrize(("question", "figure", "date", "rank", "place"), [
    ("How many chapters does RCEP have?", "count", False, "", False),
    ("中欧班列2020年开行了多少列？", "count", False, "", False),
    ("What is the VAT rate on cross-border imports?", "share", False, "", False),
    ("第三届进博会意向成交额比上届增长了多少？", "share", False, "", False),
    ("What were China's cross-border e-commerce retail sales in 2019?", "money", False, "", False),
    ("Roughly how large was the total exhibition space of the third CIIE?", "size", False, "", False),
    ("What is the planned total area of the Lin-gang Special Area?", "size", False, "", False),
    ("What is the Lin-gang Special Area?", "", False, "", False),  # a name, not a size
    ("What is the maximum fine under the Export Control Law?", "charge", False, "", False),
    ("2020年中欧班列运输的货物总价值是多少？", "money", False, "", False),
    ("RCEP对企业有什么价值？", "", False, "", False),  # no figure asked
    ("商务部怎么评价这些平台最近几年的建设成效？", "", False, "", False),  # 近几年: the last few years
    ("When did the Export Control Law take effect?", "", True, "", False),
    ("通知要求港口收费清理在什么期限前完成？", "", True, "", False),
    ("Which country was the first to ratify RCEP?", "", False, "first", True),
    ("第三届进博会在哪个城市举办？", "", False, "", True),
    # Asks which products, not a figure; asks what kind of base, not a place.
    ("优化进口结构时，哪些产品的进口比重要提高？", "", False, "", False),
    ("为发展数字贸易，通知提出建设哪类国家基地？", "", False, "", False),
    ("What does the circular say about overseas warehouses?", "", False, "", False),
    # "when" as a conjunction asks for no date.
    ("Which technologies does the circular encourage firms to use when expanding overseas markets?",
     "", False, "", False),
    ("RCEP成员中哪个国家最晚完成核准？", "", False, "last", True),
    ("2020年中欧班列开往哪个欧洲城市的班次最多？", "", False, "most", True),
])
def test_the_asked_slot_is_read_in_both_languages(question, figure, date, rank, place):
    asked = slot(question)
    assert (asked.figure, asked.date, asked.rank, asked.place) == (figure, date, rank, place)


def test_a_plans_period_names_its_document_and_a_bonded_zone_is_no_tax():
    plan = slot("按照2021—2025年建设方案，到2025年青岛与上合组织国家的年贸易额目标是多少？")
    assert plan.documented == ("2021", "2025年")  # the plan's years, not the figure's
    target = "The plan sets three headline targets for 2025: trade of 100 billion yuan a year."
    assert lacks("按照2021—2025年建设方案，到2025年青岛与上合组织国家的年贸易额目标是多少？", target, "",
                 f"Qingdao 2021-04-21 {target}") == ""
    assert slot("2021年综合保税区进出口额占全国外贸总值的比重是多少？").levy == ()
    assert slot("2021年出口退税率是多少？").levy == ("tax", "税")
    tariff = slot("中毛自贸协定降税全部完成后，毛里求斯实现零关税的税目比例是多少？")
    assert tariff.levy[0] == "tariff"  # 降税 and 税目 are the tariff's
    assert gives_asked("中毛自贸协定降税全部完成后，毛里求斯实现零关税的税目比例是多少？",
                       "Mauritius will apply zero tariffs to 94.2 percent of its tariff lines.")


def test_an_english_count_is_held_to_the_measure_of_its_head_noun():
    question = "How many new national foreign trade transformation and upgrading bases did MOFCOM recognise?"
    assert slot(question).counted[-1] == "base"
    assert lacks(question, "2021年7月，商务部新认定了105家国家外贸转型升级基地。", "", "") == ""
    assert lacks("How many member states signed it?", "协定共有20个章节。", "", "") == "figure"


def test_a_count_of_days_within_which_is_answered_by_chinese_ri_nei():
    assert lacks("Within how many days must the complete declaration be filed?",
                 "第二步在运输工具申报进境之日起14日内完成完整申报。", "", "") == ""


def test_only_written_years_editions_and_digits_count_as_named_figures():
    assert [written for _, written in slot("What was the turnover of the 127th Canton Fair in 2020?").named] == [
        "127th", "2020"]
    assert slot("RCEP谈判是哪一年启动的？").named == ()  # 哪一年 asks for a year, it names none
    assert slot("RCEP对中日两国经贸关系有什么特殊意义？").named == ()  # 两国 just counts


@pytest.mark.parametrize(("question", "items"), [
    ("通知提出要在哪些领域培育龙头企业？", True),
    ("Which sectors should leading enterprises be fostered in?", True),
    ("What kinds of services should be imported more?", True),
    ("What is RCEP?", False),
    ("What does the circular say about service outsourcing?", False),
    ("通知对服务外包怎么说？", False),
])
def test_a_question_asking_which_ones_is_told_apart(question, items):
    assert slot(question).items is items


def test_a_sentence_listing_several_gives_what_a_which_ones_question_asks():
    question = "通知提出要在哪些领域培育龙头企业？"
    assert gives_asked(question, "Leading enterprises should be fostered in fields, including communication, "
                                 "electricity, engineering machinery, and rail traffic.")
    assert not gives_asked(question, "An import and export alliance should be formed.")
    assert not gives_asked("What is RCEP?", "RCEP covers goods, services, investment and rules.")


def test_a_year_that_dates_a_document_is_the_documents_not_the_sentences():
    """"The 2021 opinions ... by 2035": the answering sentence names 2035, its document 2021."""
    question = "根据2021年关于加快发展外贸新业态新模式的意见，到2035年要达到什么目标？"
    assert slot(question).documented == ("2021年",)
    sentence = "到2035年，外贸新业态新模式发展水平位居世界前列。"
    assert lacks(question, sentence, "", f"加快发展外贸新业态新模式的意见 2021-07-09 {sentence}") == ""
    assert lacks(question, sentence, "", f"外贸新业态 2019-07-09 {sentence}") == "named:2021年"
    assert slot("中欧班列2021年开行了多少列？").documented == ()  # the trains' year, not a document's


@pytest.mark.parametrize(("question", "sentence"), [
    ("RCEP达到核准门槛后多少天生效？", "It then enters into force sixty days after that threshold is met."),
    ("How many trips did China-Europe freight trains make in 2020?", "2020年中欧班列共开行12406列，同比增长50%。"),
    ("中欧班列2020年开行了多少列？", "2020年中欧班列共开行12406列。"),
    ("How many localities were in the first batch?", "They allowed a first batch of ten localities."),
    ("第三届进博会意向成交额比上届增长了多少？", "第三届进博会累计意向成交额为726.2亿美元，比上届增长2.1%。"),
    ("When was the Hainan Free Trade Port law passed?", "The NPC passed the law on 10 June 2021."),
    ("国家级外贸转型升级基地一共涉及几个产业领域？", "基地覆盖机电产品、纺织服装和五金建材等八大行业。"),
    ("2020年中欧班列全年一共运送了多少标准箱集装箱？", "2020年全年运送集装箱约114万标准箱，同比增长56%。"),
    ("Which province has the most upgrading bases?", "Of all provinces, Zhejiang ranks first with 69 bases."),
    ("What is the corporate income tax rate in Hainan?", "Eligible firms pay a 15% income tax."),
    # The asked event dated, in either language.
    ("When did China's Export Control Law come into effect?", "The law took effect on 1 December 2020."),
    ("《不可靠实体清单规定》自何时起施行？", "They took effect on the day of publication, 19 September 2020."),
    ("RCEP是哪天签署的？", "On 15 November 2020, fifteen economies signed the RCEP."),
    ("When were the RCEP talks launched?", "谈判于2013年启动。"),
    # A time limit, and a figure of the flow asked of (a sum is asked of both).
    ("通知要求港口收费清理在什么期限前完成？", "Port fee charges should be cleaned up by the end of 2021."),
    ("By when must the fees be cleaned up?", "港口收费要在2021年底前完成清理。"),
    ("2018年中国一共出口了多少辆二手车？", "In 2018 China exported about 1,000 used cars."),
    ("2020年进出口总额是多少？", "China's imports and exports reached 32 trillion yuan in 2020."),
    ("How much did exports grow in 2020?", "Exports rose 4 percent and imports fell 1 percent in 2020."),
    ("By how much did exports grow in 2023?", "Exports reached 3.1 trillion yuan in 2023, up 5 percent from 2022."),
    ("2023年义乌进出口总额增长了多少？", "2023年义乌市实现进出口总额5660.5亿元，同比增长18.2%。"),
    # A sum in the asked currency, a span of time when time is counted, "at most" a figure.
    ("2022年服务进出口总额是多少亿元？", "2022年服务进出口总额59801.9亿元，同比增长12.9%。"),
    ("How many days after the threshold does RCEP enter into force?",
     "It enters into force sixty days after that threshold is met."),
    ("企业违反核心数据管理制度最多可能被罚多少钱？", "由有关主管部门处二百万元以上一千万元以下罚款。"),
    ("我国是从哪一年开始发布《外商投资产业指导目录》的？", "我国自1995年起发布《外商投资产业指导目录》。"),
    ("When was the Hengqin zone launched?", "The zone was formally unveiled on 17 September 2021."),
    ("When did construction of the canal begin?", "2022年8月28日，运河开工仪式举行，标志着工程全面开工建设。"),
    # Across languages a count is held to what it counts by the Chinese measure word.
    ("How many chapters does RCEP have?", "协定共20章。"),
    ("表决时有多少名委员投了赞成票？", "The law passed with 162 members voting in favour."),
    ("How many trains ran in 2020?", "2020年中欧班列共开行12406列。"),
    ("How many cities joined?", "共有46个城市。"),  # 个 counts anything
    ("RCEP有多少个章节？", "The agreement has 20 chapters."),  # 个章节 counts 章
    ("RCEP有多少个章节？", "协定共20章。"),
    ("运河一年能过多少吨货？", "到2035年，运河设计货物通过能力达到8900万吨/年。"),  # a count of a unit
    ("How many square metres of exhibition space were there?", "总展览面积接近36万平方米。"),
    ("运河一年能给企业省下多少物流费用？", "据测算，运河每年可为企业节省运输费用约52亿元。"),  # 费用 is a sum
    ("《出口管制法》是由哪个机构通过的？", "The Standing Committee of the National People's Congress adopted the law."),
    ("Which government bodies jointly issued the list?", "2024年1月18日，商务部、海关总署联合公布名单。"),
    ("Which department should strengthen export quality supervision?",
     "Related departments should strengthen quality management and supervision in export."),
])
def test_a_sentence_that_states_the_asked_fact_fills_the_slot(question, sentence):
    assert lacks(question, sentence, "", sentence) == ""


def test_a_year_the_sentence_does_not_state_is_taken_from_its_passage():
    """"The 2020 fair showed how many products?" is answered by a sentence naming no year
    in a passage about 2020, never by a sentence about another year."""
    question = "How many products did the online Canton Fair of 2020 present?"
    sentence = "About 25,000 exporters took part, presenting some 1.8 million products."
    assert lacks(question, sentence, "", f"The Canton Fair moves online in 2020. {sentence}") == ""
    assert lacks(question, "In 2019 it presented 1.5 million products.", "", "2020 ...") == "named:2020"
    # The year in force is one named before the sentence, not one a later sentence turns to.
    fair = "Organisers said 148 countries and regions took part."
    passage = f"CIFTIS 2020 held in Beijing 2020-09-09 The fair opened. {fair} In 2021 the fair returned."
    assert lacks("2021年服贸会共有多少个国家和地区参展？", fair, "The fair opened.", passage).startswith("named:2021")
    assert lacks("2020年服贸会共有多少个国家和地区参展？", fair, "The fair opened.", passage) == ""
    # A sentence naming its own year speaks of it, whatever year the sentence before names.
    before = "Trade reached 6.41 trillion yuan in 2023."
    later = "In the first three quarters of 2024 exports were 3.06 trillion yuan."
    assert lacks("What were exports worth in 2023?", later, before, f"{before} {later}") == "named:2023"


def test_a_year_compared_against_answers_only_a_question_comparing_against_it():
    trips = "Trains made 12,406 trips in 2020."
    multiple = "That was 50 percent more than in 2019, and 7.3 times the number in 2016."
    passage = f"{trips} {multiple}"
    assert lacks("By what multiple did train runs grow from 2016 to 2020?", multiple, trips, passage) == ""
    worth = "Exports reached 3.1 trillion yuan in 2023, 1.5 times the value in 2016."
    assert lacks("What were exports worth in 2016?", worth, "", worth) == "named:2016"
    cut = "2021年12月，天津口岸出口整体通关时间为0.9小时，比2017年压缩93.1%。"
    assert lacks("跟2017年比，天津口岸出口通关时间缩短了多大比例？", cut, "", cut) == ""


@pytest.mark.parametrize(("question", "sentence", "gap"), [
    ("How many second-hand cars did China export in 2019?",
     "China opened the way for exports of second-hand cars in 2019.", "figure"),  # a year is not a count
    ("第三届进博会有多少家企业参展？", "总展览面积接近36万平方米。", "figure"),  # not a count of 家
    ("What were the retail sales in 2018?", "Retail sales reached 186.21 billion yuan in 2019.", "named:2018"),
    ("中欧班列2021年开行了多少列？", "国家发展改革委2021年1月19日介绍，2020年中欧班列共开行12406列。", "named:2021年"),
    ("What was the total turnover of the 127th Canton Fair?", "The 126th fair had a turnover of 29 billion dollars.",
     "named:127th"),
    ("130届广交会有多少家企业线下参展？", "The 130th fair hosted roughly 7,800 exhibitors offline.",
     ""),  # 130届 is the 130th
    ("129届广交会有多少家企业线下参展？", "The 130th fair hosted roughly 7,800 exhibitors offline.", "named:129届"),
    ("What interest rate applies to foreign trade loans?", "Banks should lend 100 billion yuan to trade firms.",
     "figure"),
    ("Which ports will pilot paperless declaration?", "The paperless declaration scope should be expanded.", "place"),
    ("国家外贸转型升级基地数量最多的是哪个省？", "全国基地总数达到578家。", "rank"),
    ("What was the total turnover of the 127th Canton Fair?", "About 25,000 exporters took part in the 127th fair.",
     "figure"),  # a count of exporters is no sum of money
    ("2020年中欧班列运输的货物总价值是多少？", "The trains carried about 1.14 million TEU of containers in 2020.",
     "figure"),  # a count of containers is no value
    ("What is the planned total area of the Lin-gang Special Area?",
     "It was inaugurated on 20 August 2019, two weeks after the plan was published.", "figure"),  # a time is no size
    ("What is the planned total area of the Lin-gang Special Area?", "It has a planned area of 873 square kilometres.",
     ""),
    ("海南自由贸易港的企业所得税税率是多少？", "RCEP约占全球人口和经济总量的三成。", "figure"),  # a share, not of a tax
    ("海南自由贸易港的企业所得税税率是多少？", "区域内货物贸易将实现零关税，关税税率降至0%。", "figure"),  # a tariff
    ("RCEP成员中哪个国家最晚完成核准？", "RCEP是全球人口最多、经贸规模最大的自由贸易区。", "rank"),  # most, not last
    ("Which city had the most China-Europe trains?", "Trains passed ten thousand for the first time.", "rank"),
    ("How many companies were approved in the first batch to export used cars?",
     "A first batch of ten localities began such exports and selected the companies allowed to handle them.",
     "figure"),  # ten localities, not ten companies
    ("Which company shipped the first used cars abroad?",
     "The Ministry of Commerce allowed a first batch of ten localities to export used cars.", "firm"),
    ("《出口管制法》是由哪个机构通过的？", "It is China's first unified law on export controls.", "body"),
    ("出口管制法规定的管制清单由哪个部门负责发布？",
     "The law provides for control lists, export licensing, end-user and end-use checks.", "body"),
    ("Of the 578 national upgrading bases, how many make textiles?", "The total number of bases reached 578.",
     "figure"),  # the question's own figure is no answer
    # A date of another event: adopted is not in force, signed is not in force.
    ("When did China's Export Control Law come into effect?",
     "The Standing Committee adopted the Export Control Law on 17 October 2020.", "date"),
    ("中柬自贸协定什么时候生效？", "中柬自贸协定于2020年10月12日签署。", "date"),
    ("When was the Export Control Law signed?", "The law took effect on 1 December 2020.", "date"),
    # A day something happened sets no time limit.
    ("通知要求港口收费清理在什么期限前完成？",
     "The law gives a legal footing to the master plan published in June 2020.", "date"),
    # Another flow, or the sum of two, gives no figure for one of them.
    ("2018年中国一共出口了多少辆二手车？", "In 2018 about 13.8 million used cars changed hands.", "figure"),
    ("“十四五”期间服务贸易的目标规模是多少？",
     "It aims to raise China's trade in goods and services to about 5.1 trillion dollars in 2025.", "figure"),
    ("What was the value of China's exports in 2020?", "China's imports and exports reached 32 trillion yuan in 2020.",
     "figure"),
    # … also when words stand between the flow and what measures it
    ("“十四五”规划里，服务贸易单独的2025年目标是多少？",
     "It aims to raise China's trade in goods and services to about 5.1 trillion dollars in 2025.", "figure"),
    ("规划提出的2025年货物贸易目标是多少？",
     "It aims to raise China's trade in goods and services to about 5.1 trillion dollars in 2025.", "figure"),
    # A sum in another currency, or no sum; a span of time for a count of something else.
    ("What was China's total trade in services in 2022 when measured in US dollars?",
     "2022年服务进出口总额59801.9亿元，同比增长12.9%。", "figure"),
    ("成都天府国际机场的总投资是多少亿元？",
     "Chengdu Tianfu International Airport opened in 2021, making Chengdu the third city with two airports.",
     "figure"),
    ("How many rounds of negotiations did the China-Cambodia FTA take?",
     "中柬自贸协定谈判于2020年1月启动，同年7月宣布结束谈判，历时不到一年。", "figure"),
    ("How many chapters does RCEP have?", "RCEP由十五个成员国签署。", "figure"),  # members, not chapters
    ("RCEP有多少个章节？", "RCEP由十五个成员国签署。", "figure"),
    ("运河一年能过多少吨货？", "运河全长约134.2公里，设3个梯级枢纽。", "figure"),
    ("表决时有多少名委员投了赞成票？", "It is a short statute of 16 articles.", "figure"),
    # A change asked is not answered by a level or a share of a whole.
    ("By how much did Yiwu's market procurement exports grow in 2023?",
     "2023年义乌以市场采购贸易方式出口3800.6亿元，占全市出口总额的78.2%。", "figure"),
    ("2023年义乌市场采购贸易出口增长了多少？", "2023年义乌以市场采购贸易方式出口3800.6亿元。", "figure"),
    # A year compared against is not the figure's year.
    ("2012年我国加工贸易进出口额是多少？", "2023年我国加工贸易进出口7.72万亿元，较2012年下降16.3个百分点。",
     "named:2012年"),
    ("What were exports worth in 2022?", "Exports reached 3.1 trillion yuan in 2023, up 5 percent from 2022.",
     "named:2022"),
])
def test_a_near_miss_sentence_lacks_what_is_asked(question, sentence, gap):
    assert lacks(question, sentence, "", sentence) == gap


def test_names_the_evidence_never_mentions_in_any_language_are_found():
    passage = "雄安新区要打造扩大开放新高地。The Canton Fair went online in 2020."
    assert unmentioned("What role does Xiongan play in opening up?", passage) == ()  # 雄安 is Xiongan
    assert unmentioned("Who won the 2018 FIFA World Cup?", passage) == ("FIFA World Cup",)
    assert unmentioned("如何申请美国旅游签证？", passage) == ("美国",)
    assert unmentioned("How was the Canton Fair held?", passage) == ()
    assert unmentioned("2018年世界杯冠军是哪个国家？", passage) == ("世界杯",)  # "World Cup": a proper name
    assert unmentioned("How many gold medals did the Winter Olympics give?", passage) == ("Winter Olympics",)
    assert unmentioned("中西部地区将被支持参与什么建设？", "The middle and western parts of China") == ()
    bases = "2021年7月，商务部新认定了105家国家外贸转型升级基地。"
    assert unmentioned("新认定的基地中，浙江省占了几家？", bases) == ("浙江省",)
    assert unmentioned("新认定的基地中，浙江省占了几家？", f"{bases} Zhejiang has the most bases.") == ()


def test_chinas_partner_in_a_chinese_bilateral_name_must_be_mentioned():
    """中厄 is China-Ecuador: the China-Cambodia brief does not mention it; a passage naming
    Ecuador in either language, or 中厄 itself, does."""
    question = "中厄自贸协定生效当天，中方立即实现零关税的税目比例是多少？"
    assert unmentioned(question, "根据中柬自贸协定，柬埔寨和中方的零关税税目比例分别达到90%和97.53%。") == ("中厄",)
    assert unmentioned(question, "China will eliminate duties on 56 percent of its tariff lines under the "
                                 "China-Ecuador FTA.") == ()
    assert unmentioned(question, "厄瓜多尔是中国在拉美的第四个自贸伙伴。") == ()
    assert unmentioned("中欧班列2020年开行了多少列？", "China-Europe freight trains made 12,406 trips.") == ()


def test_an_english_name_is_found_in_a_chinese_passage_by_pinyin_or_initials():
    passage = "2020年10月，中国与柬埔寨签署自由贸易协定。洋山深水港区四期自动化码头于2017年开港。"
    assert unmentioned("Which chapter is new in the China-Cambodia FTA?", passage) == ()  # 自由贸易协定
    assert unmentioned("When did the Yangshan terminal open?", passage) == ()  # 洋山 in pinyin
    assert unmentioned("When did the Pudong terminal open?", passage) == ("Pudong",)
    assert unmentioned("What does the China-Cambodia FTZ cover?", passage) == ("China-Cambodia FTZ",)
    assert unmentioned("When did the Yangshan Phase IV terminal open?", passage) == ()  # an item, not a name
    assert unmentioned("What does Chapter 3 of the Pudong plan say?", passage) == ("Pudong",)


def test_an_english_name_is_found_in_chinese_by_its_acronym_sound_or_most_of_its_words():
    """Questions in English about Chinese documents name bodies by acronym (PBOC, whose
    initials keep "of"), spell a name out before its acronym, transliterate places the
    dictionary lacks, and add a word to a long name (中哈 is China-Kazakhstan)."""
    rmb = "截至2020年末，人民币跨境支付系统（CIPS）共有参与者1092家。2020年12月31日，中国人民银行发布通知。"
    assert unmentioned("When did the PBOC notice take effect?", rmb) == ()
    assert unmentioned("What was the value of cross-border RMB payments?", rmb) == ()
    assert unmentioned("How many direct participants did the Cross-border Interbank Payment System (CIPS) "
                       "have?", rmb) == ()
    assert unmentioned("How many banks joined the Fedwire Funds Service (FFS)?", rmb) == ("Fedwire Funds Service",)
    center = "中哈霍尔果斯国际边境合作中心总面积5.28平方公里，是我国首个跨境经济贸易合作区。"
    assert unmentioned("How large is the China-Kazakhstan Horgos International Border Cooperation Center?",
                       center) == ()
    assert unmentioned("How large is the Khunjerab International Border Cooperation Center?", center) == (
        "Khunjerab International Border Cooperation Center",)
    assert unmentioned("How many measures did Xinjiang's document contain?", "新疆维吾尔自治区提出24条措施。") == ()
    yangpu = "2020年洋浦港集装箱吞吐量达到100.6万标准箱。第18届中国—东盟博览会在南宁闭幕。"
    assert unmentioned("How many TEUs did Yangpu port handle in 2020?", yangpu) == ()  # a unit, not a party
    assert unmentioned("How many booths did the 18th CAEXPO have?", yangpu) == ()
    assert unmentioned("Which FTAs were signed?", "中国已签署19个自由贸易协定。") == ()


def test_a_name_is_read_whole_in_either_language():
    """港珠澳大桥 is the Hong Kong-Zhuhai-Macau Bridge (jieba cuts out 大桥, a heroine of the
    Three Kingdoms), spelt Macao by the text; 我国 is China; a month is no name; British
    and inflected spellings of a title's words are its words."""
    bridge = "The Hong Kong-Zhuhai-Macao Bridge opened to traffic on 24 October 2018."
    assert unmentioned("港珠澳大桥是哪一天正式通车的？", bridge) == ()
    assert unmentioned("港珠澳大桥是哪一天正式通车的？", "The Shenzhen Bay Bridge opened in 2007.") == ("大桥",)
    assert unmentioned("When was China's new law adopted?", "我国数据安全法于2021年6月10日通过。") == ()
    assert unmentioned("What rebate rate did China give in March 2020?", "2020年3月20日起，我国提高退税率。") == ()
    catalogue = "国家发展改革委、商务部公布《鼓励外商投资产业目录（2020年版）》。"  # glossed "encourage", "catalog"
    assert unmentioned("Who issued the Catalogue of Industries for Encouraged Foreign Investment?", catalogue) == ()


def test_a_regions_name_is_found_under_its_chinese_short_form():
    """Policy texts name regions by short forms (粤港澳大湾区, 京津冀) that no word-by-word
    gloss turns into "Guangdong-Hong Kong-Macao Greater Bay Area" or "Beijing-Tianjin-Hebei"."""
    hunan = "湖南自贸试验区着力打造联通长江经济带和粤港澳大湾区的国际投资贸易走廊。"
    assert unmentioned("Which pilot free trade zone links the Yangtze River Economic Belt with the "
                       "Guangdong-Hong Kong-Macao Greater Bay Area?", hunan) == ()
    assert unmentioned("What links the Greater Bay Area with Hong Kong?", hunan) == ("Hong Kong",)
    circular = "The coordinated development of Beijing-Tianjin-Hebei will be pushed forward."
    assert unmentioned("京津冀协同发展在文件中怎么提？", circular) == ()
    assert unmentioned("珠三角地区如何发展？", circular) == ("珠三角",)


@pytest.mark.parametrize(("question", "answer", "empty"), [
    ("通知点名要扩大哪一类具有中国特色的医药服务出口？", "通知点名要扩大具有中国特色的医药服务出口[1]。", True),
    ("通知点名要扩大哪一类具有中国特色的医药服务出口？", "通知点名要扩大中医药服务出口[1]。", False),
    ("Which service exports will be expanded?", "Service exports will be expanded [1].", True),
    ("Which service exports will be expanded?", "Exports of Traditional Chinese Medicine services [1].", False),
    # Restating a yes-or-no question is its answer.
    ("边境地区的电商等新型贸易业态会得到支持吗？", "边境地区的电商等新型贸易业态会得到支持[1]。", False),
    ("Will service exports be expanded?", "Service exports will be expanded [1].", False),
])
def test_an_answer_that_only_repeats_the_question_gives_nothing(question, answer, empty):
    assert restates(question, answer) is empty


FAIR = "第127届广交会首次全部搬到网上举办，大概有多少家中国出口企业参展？"
FAIR_QUOTES = ("About 25,000 Chinese exporters took part, presenting some 1.8 million products [1]. "
               "The fair went fully online for the first time in its 63-year history [1].")


@pytest.mark.parametrize(("question", "source", "translation", "kept"), [
    (FAIR, FAIR_QUOTES, "约2.5万家中国出口企业参展[1]。", True),
    (FAIR, FAIR_QUOTES, "广交会在其63年的历史中首次完全在线举办[1]。", False),  # not the answering quote's
    ("负面清单里共有多少条特别管理措施？", "It lists 70 special measures in 11 categories [1].",
     "它列出了11个类别中的70项特别措施[1]。", True),
    ("RCEP谈判是哪一年启动的？", "Talks were launched in 2013 [1]. India withdrew in 2019 [1].",
     "印度于2019年退出谈判[1]。", False),  # 2019 dates no launch
    ("通知对服务外包怎么说？", "Service outsourcing should be upgraded [1].", "应加快服务外包转型升级[1]。", False),
])
def test_a_translation_carries_the_figure_of_the_quote_that_answers(question, source, translation, kept):
    assert carries(question, source, translation) is kept


@pytest.mark.parametrize(("question", "dates"), [
    ("What happened to RCEP on 15 November 2020 and on 1 January 2022?", ("15 November 2020", "1 January 2022")),
    ("RCEP在2020年11月15日和2022年1月1日分别发生了什么？", ("2020年11月15日", "2022年1月1日")),
    ("2021年1—7月，中国对东盟的出口额是多少？", ()),  # one period, and a figure asked
    ("How many trains ran in 2019 and in 2020?", ()),  # a figure asked: each sentence must give it
    ("What happened to RCEP in 2020?", ()),
])
def test_a_question_on_what_happened_at_two_dates_names_them_apart(question, dates):
    assert dates_apart(question) == dates


def test_a_sentence_names_a_date_in_either_language():
    assert names_date("2022年1月1日", "The agreement took effect on 1 January 2022 for the first ten.")
    assert names_date("2020", "On 15 November 2020, fifteen economies signed the RCEP.")
    assert not names_date("1 January 2022", "The threshold was reached in late 2021.")
