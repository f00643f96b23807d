"""The bot's two-step reply against the fake Slack over HTTP, driven by scripted answer
streams: the quotes are posted the moment the evidence arrives, then edited in place
(``chat.update``, or ``replace_original`` at a slash command's ``response_url``) when the
final answer differs, and left alone when it does not."""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from core.settings import Settings
from qa.answer_types import Answer, Answerability, Citation, Evidence, SentenceVerdict
from qa.events import EvidenceFound, Final, Meta, Token
from qa.slack.client import SlackAPIError, SlackClient
from qa.slack.handlers import SlackBot
from tests.fakes.slack_server import running_fake_slack
from tests.slack.harness import USER, new_id, slack_settings

QUESTION = "When did the Export Control Law take effect?"
QUOTE = "The law took effect on 1 December 2020 [1]."
GENERATED = "It has applied since December 2020 [1]."


def citation() -> Citation:
    return Citation(n=1, chunk_id="c1", doc_id="export-control-law", title="Export Control Law",
                    source_url="http://example.org/ecl", url="http://example.org/ecl", date="2020-10-17",
                    text="The law took effect on 1 December 2020.", span=(0, 39))


def evidence(answerable: bool = True) -> Evidence:
    decision = Answerability(answerable=answerable, score=0.9 if answerable else 0.1,
                             reason="the passages name the date" if answerable else "no passage is about football")
    if not answerable:
        return Evidence(text="", answerability=decision)
    return Evidence(text=QUOTE, citations=[citation()], answerability=decision, quote_language="en")


def final(text: str, llm: str, **fields) -> Answer:
    ev = fields.pop("evidence", evidence())
    return Answer(answer=text, answerable=ev.answerability.answerable, question=QUESTION, standalone_question=QUESTION,
                  citations=ev.citations, evidence=ev, answerability=ev.answerability, llm=llm, **fields)


def quotes_only() -> tuple:
    """The events of an answer for which no model was asked: the quotes are the answer."""
    return Meta(QUESTION, "extractive", "en"), EvidenceFound(evidence()), Final(final(QUOTE, "extractive"))


class ScriptedService:
    """Stands in for ``Service``: streams the given events, and can hold the final answer
    back until the fake Slack has seen the evidence (proving it was posted first)."""

    def __init__(self, *events, hold_until=None):
        self.events, self.hold_until = events, hold_until
        self.threads: list[int] = []
        self.closed_early = False

    def ask_stream(self, question, history=None, k=None, llm=None):
        finished = False
        try:
            for event in self.events:
                self.threads.append(threading.get_ident())
                if event.kind == "answer" and self.hold_until:
                    self.hold_until()
                yield event
            finished = True
        finally:
            self.closed_early = not finished


@pytest.fixture(scope="module")
def fake():
    with running_fake_slack() as fake:
        yield fake


def on_own_loop(coroutine):
    """``asyncio.run`` in a thread of its own: once a browser test has run, Playwright's
    sync API keeps an event loop running in the main thread, where asyncio.run refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_bot(fake, service, handle):
    """Run ``handle(bot)`` on a fresh event loop, as the app's background task would."""
    fake.reset()

    async def go():
        async with httpx.AsyncClient(timeout=10) as http:
            await handle(SlackBot(slack_settings(Settings(), fake), service, http))

    on_own_loop(go())


def mention(channel: str) -> dict:
    return {"type": "app_mention", "user": USER, "text": f"<@UBOT> {QUESTION}", "ts": "1700000000.000100",
            "channel": channel}


def sections(body: dict) -> list[str]:
    return [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]


def test_quotes_are_posted_first_then_updated_in_place_with_the_generated_answer(fake):
    channel = new_id("C")
    service = ScriptedService(
        Meta(QUESTION, "openai", "en"), EvidenceFound(evidence()), Token("It has "), Token("applied…"),
        Final(final(GENERATED, "openai", sentences=[SentenceVerdict(text=GENERATED, supported=True, citations=[1])])),
        hold_until=lambda: fake.wait_for("chat.postMessage", timeout=5))
    run_bot(fake, service, lambda bot: bot.answer_event(mention(channel)))

    assert [c.method for c in fake.recorded() if c.method.startswith("chat.")] == ["chat.postMessage", "chat.update"]
    [post], [update] = fake.recorded("chat.postMessage"), fake.recorded("chat.update")
    assert post.body["thread_ts"] == "1700000000.000100" and sections(post.body)[0] == QUOTE
    [posted] = fake.threads[(channel, "1700000000.000100")]
    assert update.body["channel"] == channel and update.body["ts"] == posted["ts"]
    assert update.authorization == f"Bearer {fake.token}"
    assert sections(update.body)[:2] == [GENERATED, "*Sources*"]  # the sources are kept
    assert posted["text"] == update.body["text"] and "edited" in posted  # the thread shows the answer now


def test_an_answer_that_is_the_quotes_is_posted_once_and_never_updated(fake):
    channel = new_id("C")
    service = ScriptedService(*quotes_only())
    run_bot(fake, service, lambda bot: bot.answer_event(mention(channel)))

    [post] = fake.recorded("chat.postMessage")
    assert sections(post.body)[0] == QUOTE
    assert fake.recorded("chat.update") == []


def test_a_fallback_updates_the_quotes_with_the_reason_the_model_gave(fake):
    channel = new_id("C")
    reason = "the model timed out, so the answer quotes the documents"
    service = ScriptedService(Meta(QUESTION, "openai", "en"), EvidenceFound(evidence()),
                              Final(final(QUOTE, "extractive", fallback=True, fallback_reason=reason)))
    run_bot(fake, service, lambda bot: bot.answer_event(mention(channel)))

    [update] = fake.recorded("chat.update")
    assert sections(update.body)[0] == QUOTE
    note = update.body["blocks"][-1]["elements"][0]["text"]
    assert note == "The model timed out, so the answer quotes the documents."


def test_a_refusal_posts_nothing_for_the_empty_evidence_and_then_the_refusal(fake):
    channel = new_id("C")
    refused = evidence(answerable=False)
    refusal = final("The documents do not cover this question.", "extractive", evidence=refused)
    service = ScriptedService(Meta(QUESTION, "extractive", "en"), EvidenceFound(refused), Final(refusal))
    run_bot(fake, service, lambda bot: bot.answer_event(mention(channel)))

    [post] = fake.recorded("chat.postMessage")
    assert sections(post.body) == ["The documents do not cover this question."]
    assert "no passage is about football" in post.body["text"]
    assert fake.recorded("chat.update") == []


def test_slash_command_posts_the_quotes_then_replaces_them_with_the_answer(fake):
    url = fake.response_url(new_id("cmd"))
    generated = Final(final(GENERATED, "openai"))
    service = ScriptedService(Meta(QUESTION, "openai", "en"), EvidenceFound(evidence()), generated,
                              hold_until=lambda: fake.wait_for("response_url", timeout=5))
    form = {"response_url": url, "text": QUESTION, "user_id": USER, "channel_id": "C0CMD"}
    run_bot(fake, service, lambda bot: bot.answer_command(form))

    first, second = fake.recorded("response_url")
    assert first.body["response_type"] == second.body["response_type"] == "in_channel"
    assert "replace_original" not in first.body and second.body["replace_original"] is True
    assert sections(first.body)[0] == QUOTE and sections(second.body)[0] == GENERATED
    for body in (first.body, second.body):
        assert body["blocks"][0]["elements"][0]["text"] == f"<@{USER}> asked: {QUESTION}"


def test_slash_command_answer_equal_to_the_quotes_is_posted_once(fake):
    url = fake.response_url(new_id("cmd"))
    service = ScriptedService(*quotes_only())
    form = {"response_url": url, "text": QUESTION, "user_id": USER, "channel_id": "C0CMD"}
    run_bot(fake, service, lambda bot: bot.answer_command(form))

    [only] = fake.recorded("response_url")
    assert "replace_original" not in only.body and sections(only.body)[0] == QUOTE


def test_the_answer_stream_is_read_off_the_event_loop(fake):
    service = ScriptedService(*quotes_only())
    loop_thread = []

    async def handle(bot):
        loop_thread.append(threading.get_ident())
        await bot.answer_event(mention(new_id("C")))

    run_bot(fake, service, handle)
    assert service.threads and loop_thread[0] not in service.threads


def test_when_slack_refuses_the_quotes_the_stream_is_closed_and_the_failure_logged(fake, caplog):
    fake.reset()
    fake.fail("chat.postMessage", "channel_not_found")
    service = ScriptedService(Meta(QUESTION, "openai", "en"), EvidenceFound(evidence()), Token("It"),
                              Final(final(GENERATED, "openai")))

    async def go():
        async with httpx.AsyncClient(timeout=10) as http:
            await SlackBot(slack_settings(Settings(), fake), service, http).answer_event(mention(new_id("C")))

    with caplog.at_level(logging.ERROR, logger="qa.slack.handlers"):
        on_own_loop(go())
    assert service.closed_early  # no answer is generated for a message that cannot be shown
    assert any("channel_not_found" in str(r.exc_info and r.exc_info[1]) for r in caplog.records)


def test_chat_update_speaks_slacks_wire_format_and_errors(fake):
    fake.reset()
    channel = new_id("C")
    fake.add_thread(channel, [{"type": "message", "user": USER, "ts": "1700000000.000100", "text": "a person's words"}])

    async def go():
        async with httpx.AsyncClient(timeout=10) as http:
            client = SlackClient(http, fake.token, fake.api_url)
            posted = await client.post_message(channel, {"text": "quotes"}, "1700000000.000100")
            updated = await client.update_message(channel, posted["ts"], {"text": "answer", "blocks": []})
            errors = []
            for ts in ("1.000000", "1700000000.000100"):
                with pytest.raises(SlackAPIError) as caught:
                    await client.update_message(channel, ts, {"text": "x"})
                errors.append(caught.value.error)
            return posted, updated, errors

    posted, updated, errors = on_own_loop(go())
    assert updated == {"ok": True, "channel": channel, "ts": posted["ts"], "text": "answer",
                       "message": updated["message"]}
    assert errors == ["message_not_found", "cant_update_message"]
    [call] = fake.recorded("chat.update", lambda c: c.body["ts"] == posted["ts"])
    assert call.body == {"channel": channel, "ts": posted["ts"], "text": "answer", "blocks": []}
