"""A Chinese question is searched with the local model's English rendering beside it
(qa.service.Service.searched_as): real model, real index of the shipped corpus."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def translating(corpus_settings, embedder):
    from qa.service import Service

    service = Service(corpus_settings.model_copy(update={"translate": "local"}), embedder)
    yield service
    service.close()


def test_a_chinese_question_is_searched_with_its_english_rendering(translating):
    searched = translating.searched_as("RCEP谈判是哪一年启动的？")
    assert searched.startswith("RCEP谈判是哪一年启动的？ ")
    english = searched.split(" ", 1)[1]
    assert re.search(r"\bRCEP\b", english) and not re.search(r"[\u4e00-\u9fff]|\[\d\]", english)
    assert translating.searched_as("When were the RCEP talks launched?") == "When were the RCEP talks launched?"


def test_the_translation_finds_the_english_sentence_a_chinese_question_asks_for(service, translating):
    """The launch year is stated only in the English brief, among sentences on RCEP's signing."""
    answer = translating.ask("RCEP谈判是哪一年启动的？")
    assert answer.answerable and "2013" in answer.answer, answer.answer
    assert "translate" in answer.timings_ms
    assert any("Talks were launched in 2013" in c.text for c in answer.citations)
    hits = translating.search("RCEP谈判是哪一年启动的？", 5, mode="translated")
    assert "Talks were launched in 2013" in hits[0].text


def test_a_failing_translator_leaves_the_question_as_it_was(corpus_settings, embedder, tmp_path):
    from qa.service import Service

    broken = Service(corpus_settings.model_copy(update={"translate": "local", "llm_model_path": tmp_path / "x.gguf"}),
                     embedder)
    assert broken.searched_as("RCEP谈判是哪一年启动的？") == "RCEP谈判是哪一年启动的？"
