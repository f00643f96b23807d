"""Evidence first, on the chat page, with a generative backend: the quotes from the
documents show at once, the model's words stream beneath them, and the verified answer
settles in (the quotes stay, secondary); what verification dropped disappears and is
listed in a collapsed note; a model that fails leaves the quotes standing and says why.

The generative backend is the ``openai`` one talking to a fake OpenAI server on
127.0.0.1 (the only remote service here), scripted to think before its first token and
to stall mid-answer, so the page's intermediate states can be seen and ordered.
"""

from __future__ import annotations

import time

import pytest

from tests.fakes.openai_server import hang
from tests.web.conftest import PHONE, ask, last_answer, shot

pytestmark = pytest.mark.slow

CANTON = "How was the 127th Canton Fair held?"
USED_CARS_ZH = "二手车出口有什么政策？"  # answered from an English source
SUPPORTED = "The China Import and Export Fair went fully online for the first time because of the pandemic [1]."
UNSUPPORTED = "Bananas are a good source of potassium [1]."

# Records the order in which the answer's layers first appear on the page.
WATCH_LAYERS = """() => {
  window.layers = [];
  const seen = (name, selector, text = "") => {
    const node = document.querySelector(selector);
    if (!window.layers.includes(name) && node && node.textContent.includes(text)) window.layers.push(name);
  };
  new MutationObserver(() => {
    seen("quotes", ".msg.assistant .evidence .quote-text a.cite");
    seen("writing", ".msg.assistant .thinking", "Writing an answer");
    seen("tokens", ".msg.assistant .answer-text.streamed");
    seen("answer", '.msg.assistant .answer-body[aria-busy="false"]');
  }).observe(document.getElementById("messages"), { subtree: true, childList: true, attributes: true });
}"""


def slowly(text: str, think: float = 1.5, stall: float = 2.0):
    """A responder: wait ``think`` seconds before the first token, stream ``text``, stall."""
    def respond(request):
        time.sleep(think)
        return hang(stall, after=text)
    return respond


def test_quotes_show_first_then_tokens_then_the_verified_answer(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.responder = slowly(SUPPORTED)
    page = open_page(url)
    page.evaluate(WATCH_LAYERS)
    ask(page, CANTON)

    answer = page.locator(".msg.assistant").last
    quotes = answer.locator(".evidence .quote-text")
    quotes.wait_for()
    assert answer.locator(".evidence-title").inner_text().lower() == "from the documents"
    assert answer.locator(".thinking").inner_text() == "Writing an answer…"
    assert answer.locator(".streamed").count() == 0  # the model has not said a word yet
    shot(page, "desktop-evidence-first")

    answer.locator(".answer-text.streamed").wait_for()
    assert page.locator("#stop").is_visible() and page.locator("#send").is_hidden()
    page.wait_for_function("t => document.querySelector('.answer-text.streamed')?.textContent.includes(t)",
                           arg="because of the pandemic")
    shot(page, "desktop-streaming")

    final = last_answer(page)
    assert page.evaluate("window.layers") == ["quotes", "writing", "tokens", "answer"]
    assert final.locator(".streamed").count() == 0 and final.locator(".thinking").count() == 0
    assert "fully online" in final.locator(".answer-text").inner_text()
    assert final.locator(".answer-text a.cite").count() >= 1 and final.locator(".sources .source").count() >= 1
    secondary = final.locator("details.evidence.secondary")
    assert secondary.get_attribute("open") is not None  # still visible, below the fold of importance
    assert secondary.locator(".quote-text a.cite").count() >= 1
    assert final.locator(".answer-meta").inner_text().startswith("openai")
    assert page.locator("#send").is_visible() and page.locator("#stop").is_hidden()
    shot(page, "desktop-generated")

    secondary.locator("summary").click()
    assert secondary.get_attribute("open") is None and final.locator(".quote-text").is_hidden()


def test_a_citation_in_the_quotes_opens_its_passage_while_the_answer_is_written(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.responder = slowly(SUPPORTED, think=4.0)
    page = open_page(url)
    ask(page, CANTON)
    marker = page.locator(".msg.assistant .evidence .quote-text a.cite").first
    marker.wait_for()
    assert page.locator('.msg.assistant .answer-body[aria-busy="true"]').count() == 1

    marker.click()
    panel = page.locator("#panel")
    panel.locator(".passage mark.hl-span").wait_for()
    assert "fully online" in panel.locator(".passage mark.hl-span").inner_text()
    assert "active" in marker.get_attribute("class")
    shot(page, "desktop-evidence-citation")
    page.keyboard.press("Escape")
    last_answer(page)


def test_a_streamed_sentence_the_answer_dropped_disappears_and_is_listed_as_removed(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.responder = slowly(f"{SUPPORTED} {UNSUPPORTED}", think=0.2)
    page = open_page(url)
    ask(page, CANTON)
    page.wait_for_function("t => document.querySelector('.answer-text.streamed')?.textContent.includes(t)",
                           arg="Bananas")

    answer = last_answer(page)
    assert "Bananas" not in answer.locator(".answer-text").inner_text()
    assert "fully online" in answer.locator(".answer-text").inner_text()
    note = answer.locator("details.removed")
    assert note.locator("summary").inner_text() == "1 sentence removed: not supported by its source"
    assert note.get_attribute("open") is None and note.locator(".removed-text").is_hidden()
    note.locator("summary").click()
    assert "Bananas are a good source of potassium" in note.locator(".removed-text").inner_text()
    assert note.locator(".removed-reason").inner_text().strip()
    shot(page, "desktop-removed-sentence")

    # The reader's choice survives a redraw (here, choosing a feedback rating).
    answer.get_by_role("button", name="Good answer").click()
    assert note.get_attribute("open") is not None


def test_stop_ends_a_running_answer_and_the_quotes_stay(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.script(hang(20.0, after="The Canton Fair went online"))
    page = open_page(url)
    ask(page, CANTON)
    page.locator(".msg.assistant .answer-text.streamed").wait_for()
    page.get_by_role("button", name="Stop the answer").click()

    answer = last_answer(page)
    assert "Stopped before the answer was complete." in answer.inner_text()
    assert answer.locator(".evidence .quote-text a.cite").count() >= 1
    assert page.locator("#send").is_visible()
    shot(page, "desktop-stopped")


def test_an_answer_that_failed_verification_leaves_the_quotes_and_says_why(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.responder = lambda request: "Bananas are a good source of potassium."  # supports no claim
    page = open_page(url)
    ask(page, CANTON)
    answer = last_answer(page)
    notice = answer.locator(".notice.fallback").inner_text()
    assert notice.startswith("No generated answer: ") and "verification" in notice
    assert "unavailable" not in notice
    # The quotes are the answer, shown once.
    assert answer.locator(".evidence").count() == 1 and answer.locator("details.evidence").count() == 0
    assert answer.locator(".evidence .answer-text a.cite").count() >= 1
    assert answer.locator(".answer-meta").inner_text().startswith("extractive")
    shot(page, "desktop-fallback")


def test_a_chinese_question_gets_chinese_ui_words(generative, open_page):
    url, fake = generative
    fake.reset()
    lead = "2022年12月，三部门又允许辽宁、福建、四川等14个地区开展二手车出口[1]。"  # restates the lead quote
    fake.responder = slowly(lead, think=1.5, stall=1.0)
    page = open_page(url, viewport=PHONE)
    ask(page, USED_CARS_ZH)
    answer = page.locator(".msg.assistant").last
    answer.locator(".evidence .quote-text").wait_for()
    assert answer.get_attribute("lang") == "zh-CN"
    assert answer.locator(".evidence-title").inner_text() == "文件原文"
    assert answer.locator(".evidence-label").inner_text() == "以下引自英文资料原文"  # English quotes, Chinese question
    assert answer.locator(".thinking").inner_text() == "正在撰写回答…"
    shot(page, "phone-evidence-zh")

    final = last_answer(page)
    assert final.locator(".sources-title").inner_text() == "来源"
    assert final.get_by_role("button", name="回答有用").count() == 1
    assert final.locator("details.evidence summary").inner_text().startswith("文件原文")
    assert "二手车出口" in final.locator(".answer-text").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-answer-zh")


def test_a_chinese_questions_first_quotes_give_way_to_those_its_translation_finds(translating, open_page):
    """Its own words' quotes show while the local model translates the question; the
    circular's paragraph its English rendering finds then takes their place."""
    url, fake = translating
    fake.reset()
    written = "通知提出，要在通信、电力、工程机械和轨道交通等领域培育一批龙头企业[3]。"
    fake.responder = slowly(written, think=0.5, stall=0.5)
    page = open_page(url, viewport=PHONE)
    ask(page, "通知提出要在哪些领域培育龙头企业？")
    answer = page.locator(".msg.assistant").last
    first = answer.locator(".evidence .quote-text")
    first.wait_for()
    shown_first = first.inner_text()
    quotes = last_answer(page).locator(".evidence").inner_text()
    assert "leading enterprises" in quotes and "communication" in quotes
    assert shown_first != quotes and "communication" not in shown_first
    shot(page, "phone-answer-zh-retranslated")


def test_phone_shows_the_quotes_then_the_answer_without_sideways_scroll(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.responder = slowly(SUPPORTED, think=1.0, stall=1.0)
    page = open_page(url, viewport=PHONE)
    ask(page, CANTON)
    page.locator(".msg.assistant .evidence .quote-text").wait_for()
    shot(page, "phone-evidence-first")
    last_answer(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-generated")
