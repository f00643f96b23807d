"""The name table read out of a text, as a translation is told to render it."""

from textkit.names import renderings


def test_a_name_is_paired_with_its_spelling_in_the_other_language():
    english = "Xiongan New Area should lead, as should the Canton Fair, the CIIE and their hosts in Japan."
    assert renderings(english, "zh") == [("Xiongan New Area", "雄安新区"), ("Canton Fair", "广交会"),
                                         ("CIIE", "进博会")]
    assert renderings("第三届进博会在上海举办。", "en") == [("进博会", "China International Import Expo"),
                                                   ("上海", "Shanghai")]


def test_a_text_already_in_the_target_language_asks_for_nothing():
    assert renderings("The Canton Fair and the CIIE went online.", "en") == []
    assert renderings("雄安新区和RCEP", "zh") == []
