"""A Chinese question is searched with the local model's English rendering beside it
(qa.service.Service.rendering): real model, real index of the shipped corpus."""

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
    english = translating.rendering("RCEP谈判是哪一年启动的？")
    assert re.search(r"\bRCEP\b", english) and not re.search(r"[\u4e00-\u9fff]|\[\d\]", english)
    assert translating.rendering("When were the RCEP talks launched?") == ""
    assert not re.search(r"\d", english)  # the question has no figure: any the model wrote is made up


def test_figures_the_question_lacks_are_cut_from_the_rendering_and_its_own_kept():
    from qa.service import _invented_figures_cut

    question = "第三届进博会有多少家企业参展？"
    assert _invented_figures_cut("There were 3,000 companies at the third CIIE.", question) == \
        "There were companies at the third CIIE."
    assert _invented_figures_cut("How many trains ran in 2020, up 50%?", "2020年开行多少列？") == \
        "How many trains ran in 2020, up ?"
    assert _invented_figures_cut("What does the 14th Five-Year Plan target?", "十四五规划的目标是什么？") == \
        "What does the 14th Five-Year Plan target?"


def test_the_translators_framing_is_cut_from_its_reply():
    """Replies the local model gave (qa.service._translation_in)."""
    from qa.service import _translation_in

    assert _translation_in("What sectors should be targeted for leading enterprises? [1]") == \
        "What sectors should be targeted for leading enterprises?"
    assert _translation_in('The English translation of the question is: "When did the list of unreliable entities '
                           'take effect? " [1]') == "When did the list of unreliable entities take effect?"
    assert _translation_in('The question "RCEP has how many member states?" translates to English as "How many '
                           'member states does RCEP have? "') == "How many member states does RCEP have?"
    assert _translation_in("The question translates to English as:\n\nWhat regions does the policy support? [1]") \
        == "What regions does the policy support?"
    assert _translation_in("The translation of the question into English is:") == ""
    said = 'When did the "Hainan Free Trade Port Law" come into effect?'  # a quoted name is no framing
    assert _translation_in(said) == said


def test_the_translation_finds_the_english_sentence_a_chinese_question_asks_for(service, translating):
    """The launch year is stated only in the English brief, among sentences on RCEP's signing."""
    answer = translating.ask("RCEP谈判是哪一年启动的？")
    assert answer.answerable and "2013" in answer.answer, answer.answer
    assert "translate" in answer.timings_ms
    assert any("Talks were launched in 2013" in c.text for c in answer.citations)
    hits = translating.search("RCEP谈判是哪一年启动的？", 5, mode="translated")
    assert "Talks were launched in 2013" in hits[0].text


def test_a_chinese_asker_sees_quotes_before_the_question_is_translated(translating, monkeypatch):
    """The own words' quotes stream while the model translates; a refusal never does
    (qa.pipeline.evidence_while_translating). The rendering's evidence follows when it
    differs, and the answer records when the first evidence went out."""
    steps: list[str] = []
    rendering = translating.rendering
    monkeypatch.setattr(translating, "rendering", lambda q: steps.append("translate") or rendering(q))
    for question in ("第三届进博会累计意向成交额是多少？", "通知提出要在哪些领域培育龙头企业？"):
        steps.clear()
        events = []
        for event in translating.ask_stream(question):
            steps.append(event.kind)
            events.append(event)
        before = [e for e in events[: steps.index("translate")] if e.kind == "evidence"]
        assert all(e.evidence.answerability.answerable for e in before), question
        assert 1 <= steps.count("evidence") <= 2 and steps[-1] == "answer", steps
        answer = events[-1].answer
        assert answer.timings_ms["first_evidence"] <= answer.timings_ms["total"]
        if question.startswith("第三届"):  # its own words find the Chinese brief's figure
            assert steps[:3] == ["meta", "evidence", "translate"], steps
            assert "726.2亿美元" in before[0].evidence.text


def test_a_failing_translator_leaves_the_question_as_it_was(corpus_settings, embedder, tmp_path):
    from qa.service import Service

    broken = Service(corpus_settings.model_copy(update={"translate": "local", "llm_model_path": tmp_path / "x.gguf"}),
                     embedder)
    assert broken.rendering("RCEP谈判是哪一年启动的？") == ""


def test_an_answer_translated_into_chinese_writes_the_names_as_chinese_does(translating):
    """The circular's 'Xiongan New Area' came out as 邢台新区域 until the translation was
    told how the name table writes it in Chinese (qa.prompts.translation_prompt)."""
    answer = translating.ask("京津冀协同发展在文件中怎么提？", llm="local")
    assert answer.answerable and any("Xiongan New Area" in c.text for c in answer.citations)
    written = [s.text for s in answer.sentences]  # what the model wrote, kept or not by verification
    assert any("雄安新区" in text for text in written), written


def test_an_answer_translated_into_chinese_uses_the_standard_wording_of_policy_terms(translating):
    """'Comprehensive pilot zones' came out as 综合试点区域 until the translation was told the
    glossary's wording, 综合试验区 (textkit.glossary)."""
    answer = translating.ask("跨境电商综合试验区建设会加大力度吗？", llm="local")
    assert answer.answerable and any("comprehensive pilot zones" in c.text for c in answer.citations)
    written = [s.text for s in answer.sentences]
    assert any("综合试验区" in text for text in written), written


def test_a_translations_misplaced_scale_is_set_right_before_verification(translating):
    """The model put the third CIIE's 36万平方米 into English as "36,000 square meters": the
    digits of the source with the wrong scale, which verification rejected, so an English
    question got the Chinese quotes (textkit.numbers.rescaled)."""
    answer = translating.ask("How large was the exhibition area of the third CIIE?", llm="local")
    assert answer.answerable and not answer.fallback, answer.fallback_reason
    assert "360,000 square" in answer.answer and "36,000" not in answer.answer, answer.answer


def test_a_chinese_passage_found_by_the_questions_own_words_is_not_lost_to_its_rendering(service):
    """Rendered "What direction does the Expo hope to develop?", the question's search
    ranked English sentences on exhibitions first (0.19) and lost the Chinese brief's
    answer, which its own words find at 0.40 (Service.find_either). The model's rendering
    is given here as it came, so the test needs no model."""
    question = "通知希望进博会朝什么方向发展？"
    passages, ranked = service.find_either(question, "What direction does the Expo hope to develop?")
    assert "更加国际化、专业化" in ranked[0].text and passages[0].language == "zh"
    question = "RCEP谈判是哪一年启动的？"  # its rendering finds the year, its own words the signing: kept
    _, ranked = service.find_either(question, "In which year were the RCEP negotiations launched?")
    assert "Talks were launched in 2013" in ranked[0].text


def test_with_a_rendering_each_languages_passages_are_searched_in_their_own(service):
    """The circular's paragraph on leading enterprises answers this Chinese question. Matched
    across languages it ranked 5th to 14th in each list, behind look-alike paragraphs of the
    circular; its English passages searched with the rendering alone find it
    (qa.retrieval.Retriever.search). The rendering is the model's, given here as it came."""
    question = "通知提出要在哪些领域培育龙头企业？"
    rendering = "What sectors should be targeted for the cultivation of leading enterprises?"
    evidence = "communication, electricity, engineering machinery, and rail traffic"
    retriever = service.retriever()
    assert not any(evidence in p.text for p in retriever.search(f"{question} {rendering}", 5))
    assert any(evidence in p.text for p in retriever.search(question, 5, rendering=rendering))
    passages, _ = service.find_either(question, rendering)
    assert any(evidence in p.text for p in passages)
    # The question's own words still search the Chinese passages: the Expo's direction.
    question = "通知希望进博会朝什么方向发展？"
    hits = retriever.search(question, 5, rendering="What direction does the Expo hope to develop?")
    assert any("更加国际化、专业化" in p.text for p in hits)
    # A rendering that answers instead of translating is searched beside the question's words.
    question, answered = "RCEP谈判是哪一年启动的？", "The RCEP negotiations were launched in Beijing."
    assert [p.chunk_id for p in retriever.search(question, 5, rendering=answered)] == \
        [p.chunk_id for p in retriever.search(f"{question} {answered}", 5)]
