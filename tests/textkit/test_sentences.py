"""Citation markers inside a sentence's closing punctuation, in both languages."""

import pytest

from textkit.sentences import clauses, with_marker


@pytest.mark.parametrize(("sentence", "marked"), [
    ("It took effect in 2022.", "It took effect in 2022 [1]."),
    ("协定于2022年1月1日生效。", "协定于2022年1月1日生效[1]。"),
    ("它在达到门槛后六十天生效。。", "它在达到门槛后六十天生效[1]。"),  # a model's doubled stop closes once
    ("The chunk ends mid-sentence...", "The chunk ends mid-sentence [1]..."),  # a cut sentence still says so
])
def test_markers_go_inside_the_closing_punctuation(sentence, marked):
    assert with_marker(sentence, "[1]") == marked


LEGAL_AID = ("Public service levels also will be improved by enhancing publicity to key markets, publishing policies "
             "and market information in a timely manner and establishing legal aid platforms for cross-border trade "
             "and investment.")


def test_a_long_list_sentence_parts_into_its_items_and_a_short_one_does_not():
    assert clauses(LEGAL_AID) == [
        "Public service levels also will be improved by enhancing publicity to key markets",
        "publishing policies and market information in a timely manner",
        "establishing legal aid platforms for cross-border trade and investment."]
    assert clauses("Exhibitors were exempted from fees, the organisers said.") == []
    chinese = ("要加快发展跨境电商、市场采购贸易等新业态，推进海外仓建设，完善外贸综合服务体系，"
               "积极发展数字贸易，提升贸易数字化水平，同时加快推进国家外贸转型升级基地建设，"
               "培育一批具有国际竞争力的龙头企业，推动加工贸易梯度转移，优化国际市场布局，扩大优质消费品进口。")
    assert len(chinese) >= 120 and "培育一批具有国际竞争力的龙头企业" in clauses(chinese)
