"""The judge: the local model reads the quotes the fast decision let through and says
whether they state what is asked (qa.answerability.confirm). Real model, real index of
the shipped corpus; every call costs a second or more, so the questions are few."""

from __future__ import annotations

import pytest

from core.settings import Settings
from qa.events import Meta

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judged(corpus_settings, embedder):
    """The service as shipped: the fast decision, then the local model as judge."""
    from qa.service import Service

    service = Service(corpus_settings.model_copy(update={"judge": "local"}), embedder)
    yield service
    service.close()


@pytest.mark.parametrize("question", [
    "What is the capital of Australia?",
    "明天北京天气怎么样？",
    "2020赛季中超联赛的冠军是哪支球队？",
])
def test_questions_the_rules_let_through_are_refused_by_the_judge_in_both_languages(service, judged, question):
    """The collection names Australia and Beijing and knows 冠军 in another sense: the fast
    decision lets these through; the model reading the quotes does not."""
    assert service.ask(question).answerable  # the fast decision alone
    answer = judged.ask(question)
    assert not answer.answerable and answer.citations == []
    assert answer.answerability.judged is not None and answer.answerability.judged < judged.settings.judge_min
    assert answer.answerability.reason in ("the passages found do not state what the question asks",
                                           "找到的段落没有说明问题所问的内容")


@pytest.mark.parametrize(("question", "expected"), [
    ("How many trips did China-Europe freight trains make in 2020?", "12,406"),
    ("RCEP什么时候生效？", "2022"),
    ("第三届进博会的总展览面积是多少？", "36万平方米"),
    ("通知对国际道路货运怎么说？", "road freight"),
])
def test_answerable_questions_stay_answered_and_carry_the_judges_odds(judged, question, expected):
    answer = judged.ask(question)
    assert answer.answerable and expected in answer.answer, answer.answer
    assert answer.answerability.judged >= judged.settings.judge_min
    assert "judge" in answer.timings_ms


def test_the_stream_says_a_judge_will_check_the_quotes(judged):
    meta = next(iter(judged.ask_stream("When did RCEP enter into force?")))
    assert isinstance(meta, Meta) and meta.judge == "local"


def test_a_judge_that_cannot_load_leaves_the_fast_decision(corpus_settings, embedder, tmp_path):
    from qa.service import Service

    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model")
    settings = corpus_settings.model_copy(update={"judge": "local", "llm_model_path": broken})
    answer = Service(settings, embedder).ask("How many trips did China-Europe freight trains make in 2020?")
    assert answer.answerable and "12,406" in answer.answer
    assert answer.answerability.judged is None


def test_judge_off_and_unknown_judge_names(corpus_settings):
    from qa.app import check_llm_name
    from qa.llm import judge_name

    assert judge_name(corpus_settings.model_copy(update={"judge": "off"})) is None
    with pytest.raises(ValueError, match="QA_JUDGE"):
        check_llm_name(Settings(llm="extractive", judge="oracle"))
