"""The shipped adversarial evaluation, on the real models: altered claims made from the
corpus are refused and faithful ones kept, at the targets of issue 13, on the documents
the thresholds were tuned on and on the held-out ones alike."""

import time

import pytest

from qa.adversarial import TARGETS, claims, format_table, run


@pytest.fixture(scope="module")
def result(verification_settings, semantics):
    started = time.perf_counter()
    outcome = run(verification_settings, semantics)
    outcome["seconds"] = time.perf_counter() - started
    return outcome


def test_claims_are_made_programmatically_and_reproducibly(verification_settings):
    first, second = claims(verification_settings, seed=0), claims(verification_settings, seed=0)
    assert first == second
    kinds = {(c.type, c.faithful) for c in first}
    for kind in ("negation", "antonym", "number", "entity", "order", "addition", "wrong passage"):
        assert (kind, False) in kinds
    for kind in ("identity", "paraphrase", "merge", "rendering", "rewrite"):
        assert (kind, True) in kinds
    assert {c.language for c in first if c.cross} == {"en", "zh"}


@pytest.mark.parametrize("half", ["tune", "held-out", "all"])
def test_altered_claims_are_refused_and_faithful_ones_kept(result, half):
    for lang, minimum in (("en", TARGETS["faithful_en"]), ("zh", TARGETS["faithful_zh"])):
        summary = result["summary"][half][lang]
        assert summary["altered_accepted"] <= TARGETS["altered_overall"], (lang, summary)
        assert summary["faithful_kept"] >= minimum, (lang, summary)
    for lang in ("en", "zh"):
        assert result["summary"]["all"][lang]["worst_type"][0] <= TARGETS["altered_per_type"], format_table(result)


def test_the_evaluation_runs_within_a_minute_and_prints_its_table(result):
    assert result["seconds"] < 60
    table = format_table(result)
    assert "altered negation" in table and "faithful rendering" in table and "p50" in table
