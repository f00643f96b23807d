"""Citation markers inside a sentence's closing punctuation, in both languages."""

import pytest

from textkit.sentences import with_marker


@pytest.mark.parametrize(("sentence", "marked"), [
    ("It took effect in 2022.", "It took effect in 2022 [1]."),
    ("协定于2022年1月1日生效。", "协定于2022年1月1日生效[1]。"),
    ("它在达到门槛后六十天生效。。", "它在达到门槛后六十天生效[1]。"),  # a model's doubled stop closes once
    ("The chunk ends mid-sentence...", "The chunk ends mid-sentence [1]..."),  # a cut sentence still says so
])
def test_markers_go_inside_the_closing_punctuation(sentence, marked):
    assert with_marker(sentence, "[1]") == marked
