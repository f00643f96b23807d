"""Figures compare across languages and units: a claim's figure must be found in its
passage whichever way either side writes it."""

import pytest

from textkit.numbers import Quantity, quantities, rescaled, supported, zh_numeral, zh_scales


def values(text: str) -> list[tuple[str, object]]:
    return [(q.kind, q.value) for q in quantities(text)]


@pytest.mark.parametrize("text, expected", [
    ("12,406 trips", [("number", 12406.0)]),
    ("12406列", [("number", 12406.0)]),
    ("1.14 million TEU", [("teu", 1_140_000.0)]),
    ("约114万标准箱", [("teu", 1_140_000.0)]),
    ("1,140,000", [("number", 1_140_000.0)]),
    ("726.2亿美元", [("usd", 72_620_000_000.0)]),
    ("4.65 trillion US dollars", [("usd", 4.65e12)]),
    ("4.65万亿美元", [("usd", 4.65e12)]),
    ("1.8百万件展品", [("number", 1_800_000.0)]),
    ("186.21 billion yuan", [("cny", 186_210_000_000.0)]),
    ("36万平方米", [("m2", 360_000.0)]),
    ("约114万个20英尺标准集装箱", [("teu", 1_140_000.0)]),  # TEU spelt out: its 20 is the unit's
    ("一万列", [("number", 10_000.0)]),
    ("十五个成员国", [("number", 15.0)]),
    ("东盟十国", [("number", 10.0)]),
    ("两国之间", [("number", 2.0)]),
    ("一百零五家", [("number", 105.0)]),
    ("fifteen economies", [("number", 15.0)]),
    ("twenty-five exporters", [("number", 25.0)]),
    ("held twice a year", [("number", 2.0)]),
    ("比上一年增长56%", [("percent", 56.0)]),  # 上一年 is "the year before", no count of years
    ("同一年份", []), ("每一个地区", []), ("一年内", [("number", 1.0)]),
    # Sums in Chinese numerals: a fine's range, a dollar figure.
    ("处二百万元以上一千万元以下罚款", [("cny", 2_000_000.0), ("cny", 10_000_000.0)]),
    ("五亿美元", [("usd", 500_000_000.0)]),
])
def test_amounts_in_digits_words_and_chinese_numerals(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("50%", 50.0), ("50 percent", 50.0), ("50 per cent", 50.0), ("2.1％", 2.1),
    ("九成", 90.0), ("三成", 30.0), ("百分之五十", 50.0), ("十分之一", 10.0), ("a tenth", 10.0),
])
def test_percentages_include_cheng_and_fractions(text, expected):
    assert values(text) == [("percent", expected)]


@pytest.mark.parametrize("text, expected", [
    ("2020年11月4日", (2020, 11, 4)), ("4 November 2020", (2020, 11, 4)), ("November 4, 2020", (2020, 11, 4)),
    ("2020-11-04", (2020, 11, 4)), ("June 2021", (2021, 6, None)), ("2021年7月", (2021, 7, None)),
    ("Nov 9", (None, 11, 9)),
])
def test_dates_are_one_value_in_every_notation(text, expected):
    assert values(text) == [("date", expected)]


def test_a_day_count_within_is_a_number_not_a_date():
    assert [(q.kind, q.value) for q in quantities("之日起14日内完成申报")] == [("number", 14.0)]
    assert [q.kind for q in quantities("2020年11月4日至10日")] == ["date", "date"]


def test_a_date_without_a_year_takes_the_year_named_before():
    assert values("于2020年11月4日开幕，11月10日闭幕") == [("date", (2020, 11, 4)), ("date", (2020, 11, 10))]
    assert values("from 15 to 24 June 2020") == [("date", (2020, 6, 15)), ("date", (2020, 6, 24))]
    assert values("2020年6月15日至24日") == [("date", (2020, 6, 15)), ("date", (2020, 6, 24))]


def test_years_ordinals_and_multiples():
    assert values("in 2019, 2020年下半年") == [("year", 2019.0), ("year", 2020.0)]
    assert values("7.3 times the number, 7.3倍") == [("times", 7.3), ("times", 7.3)]
    assert values("the 127th session, 第127届, 第三届, 首批") == [
        ("ordinal", 127.0), ("ordinal", 127.0), ("ordinal", 3.0), ("ordinal", 1.0)]
    # A number that names an item counts nothing: Order No. 3 lists 70 measures, not 3.
    assert values("Order No. 3 of 2021 lists 70 measures; Article 12") == [
        ("ordinal", 3.0), ("year", 2021.0), ("number", 70.0), ("ordinal", 12.0)]


@pytest.mark.parametrize("text", ["一带一路", "进一步扩大", "统一标准", "5G and B2B", "3D displays", "COVID-19",
                                  "one of the measures", "second-hand cars", "建立一个工作机制", "启动一批试点"])
def test_words_that_only_look_like_figures_are_not_figures(text):
    assert quantities(text) == ()


def test_a_figure_in_the_claim_must_be_in_the_passage_in_either_language():
    passage = quantities("全年运送集装箱约114万标准箱，同比增长56%。2020年11月4日开幕")
    assert all(supported(q, passage) for q in quantities("about 1.14 million TEU, up 56 percent, on 4 November 2020"))
    assert not any(supported(q, passage) for q in quantities("1.14 billion TEU, up 65 percent, on 5 November 2020"))


def test_a_changed_unit_fails_and_a_less_specific_claim_passes():
    passage = quantities("up 50 percent, 4.65 trillion US dollars, on 10 June 2021")
    assert not supported(Quantity("times", 50.0), passage)
    assert not supported(Quantity("cny", 4.65e12), passage)
    assert supported(Quantity("number", 4.65e12), passage)  # the claim just leaves the currency out
    assert supported(Quantity("date", (2021, 6, None)), passage)  # "in June 2021"
    assert supported(Quantity("year", 2021.0), passage)
    assert not supported(Quantity("date", (2021, 6, 11)), passage)


@pytest.mark.parametrize("numeral, value", [("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105), ("三万", 30000),
                                            ("两", 2), ("一亿二千万", 120_000_000)])
def test_chinese_numerals(numeral, value):
    assert zh_numeral(numeral) == value


def test_yi_is_a_figure_before_a_time_or_ending_a_phrase():
    """一 before a measure word and a noun is the article a translation adds; a duration
    (一个月) or a count that ends the phrase (共展示…一项。) is a figure, so an altered 411项
    -> 一项 is still caught."""
    assert values("一个月内") == [("number", 1.0)]
    assert values("新服务一项。") == [("number", 1.0)]
    assert values("一年") == [("number", 1.0)]


@pytest.mark.parametrize("text, expected", [
    ("展示了1.8百万件展品", "展示了180万件展品"), ("约5.1十亿美元", "约51亿美元"), ("12百万", "1200万"),
    ("1.25千万人", "1250万人"), ("0.5十亿", "5亿"), ("1.0百万", "100万"),
    ("数百万", "数百万"), ("4.65万亿美元", "4.65万亿美元"), ("726.2亿美元", "726.2亿美元"),
])
def test_western_scales_are_rewritten_as_chinese_counts_of_the_same_value(text, expected):
    assert zh_scales(text) == expected
    assert [q.value for q in quantities(zh_scales(text))] == [q.value for q in quantities(text)]


@pytest.mark.parametrize("translation, source, target, expected", [
    ("展示了约1.8亿种产品[1]", "presenting some 1.8 million products [1]", "zh", "展示了约180万种产品[1]"),
    ("约有13.8万辆二手车", "about 13.8 million used cars", "zh", "约有1380万辆二手车"),
    ("about 114 million standard boxes", "约114万标准箱", "en", "about 1.14 million standard boxes"),
    ("an area of 36,000 square meters, 3,000 square meters more", "面积36万平方米，扩大3万平方米", "en",
     "an area of 360,000 square meters, 30,000 square meters more"),
    ("$578.3 billion", "578.3亿美元", "en", "$57.83 billion"),
    ("于2020年11月15日印发通知", "the circular of November 2020", "zh", "于2020年11月印发通知"),
    ("2021年12月，门槛达到", "The threshold was reached in late 2021", "zh", "2021年，门槛达到"),
    ("published on 26 July 2021", "2021年7月发布，2021年生效", "en", "published on July 2021"),
    # Left alone: the right figure, a figure two source amounts could be, one digit without its unit.
    ("约180万种产品", "some 1.8 million products", "zh", "约180万种产品"),
    ("约1.8亿种产品", "1.8 million products and 18 million yuan", "zh", "约1.8亿种产品"),
    ("3万家企业", "3,000 firms", "zh", "3万家企业"),
    ("2020年11月15日", "4 November 2020 and 15 December 2020", "zh", "2020年11月15日"),
])
def test_a_translations_misplaced_scale_is_written_as_its_source_figure(translation, source, target, expected):
    assert rescaled(translation, source, target) == expected
