"""The /ask slash command: an ephemeral ack at once, the quotes then the cited answer at
response_url (the answer replacing the quotes)."""

import re

from tests.fakes.openai_server import hang
from tests.slack.harness import USER, new_id


def test_command_is_acknowledged_before_the_answer_is_posted_to_response_url(slack, fake_slack):
    fake_slack.gate.clear()  # response_url holds every post until the test has seen the ack
    response_url = fake_slack.response_url(new_id("cmd"))
    ack = slack.command("what about used car exports?", response_url)
    assert ack.status_code == 200
    assert ack.json() == {"response_type": "ephemeral", "text": "Working on it…"}
    fake_slack.gate.set()

    [call] = fake_slack.wait_for("response_url", where=lambda c: c.path.endswith(response_url.rsplit("/", 1)[1]))
    assert call.gate_was_open, "the answer was posted before the ack reached Slack"
    assert call.body["response_type"] == "in_channel"
    blocks = call.body["blocks"]
    assert blocks[0]["type"] == "context"
    assert blocks[0]["elements"][0]["text"] == f"<@{USER}> asked: what about used car exports?"
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert re.search(r"second-hand car|used.(car|vehicle)", texts[0].lower()) and "[1]" in texts[0]
    assert "*Sources*" in texts and "[1]" in call.body["text"]
    assert "authorization" not in call.headers  # the response_url is its own credential
    slack.settle()
    assert len(fake_slack.recorded("response_url")) == 1  # no model asked: nothing to replace


def test_command_posts_the_quotes_then_replaces_them_with_the_generated_answer(generative_slack, fake_slack):
    slack, openai = generative_slack
    openai.responder = lambda request: hang(2.0, after="The China Import and Export Fair went fully online "
                                                        "for the first time because of the pandemic [1].")
    response_url = fake_slack.response_url(new_id("cmd"))
    slack.command("How was the 127th Canton Fair held?", response_url)

    fake_slack.wait_for("response_url")
    assert len(fake_slack.recorded("response_url")) == 1  # the quotes went out while the model was writing
    first, second = fake_slack.wait_for("response_url", count=2)
    assert first.body["response_type"] == second.body["response_type"] == "in_channel"
    assert "replace_original" not in first.body and second.body["replace_original"] is True
    quotes = [b["text"]["text"] for b in first.body["blocks"] if b["type"] == "section"]
    answer = [b["text"]["text"] for b in second.body["blocks"] if b["type"] == "section"]
    assert "fully online" in answer[0] and answer[0] != quotes[0] and "*Sources*" in answer
    for body in (first.body, second.body):
        assert body["blocks"][0]["elements"][0]["text"] == f"<@{USER}> asked: How was the 127th Canton Fair held?"


def test_empty_command_gets_ephemeral_usage_help(slack, fake_slack):
    ack = slack.command("   ", fake_slack.response_url("empty"))
    assert ack.status_code == 200
    body = ack.json()
    assert body["response_type"] == "ephemeral" and "/ask what about used car exports?" in body["text"]
    slack.settle()
    assert fake_slack.recorded("response_url") == []


def test_failing_command_answer_is_an_ephemeral_apology(slack, fake_slack, service, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("generator exploded")
        yield  # a generator, as the real stream is

    monkeypatch.setattr(service, "ask_stream", broken)
    response_url = fake_slack.response_url(new_id("cmd"))
    assert slack.command("what about used car exports?", response_url).status_code == 200
    [call] = fake_slack.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral"
    assert call.body["text"].startswith("Sorry, I couldn't answer that just now")


def test_too_long_question_is_told_why(slack, fake_slack, service):
    response_url = fake_slack.response_url(new_id("cmd"))
    slack.command("tariffs " * service.settings.max_question_chars, response_url)
    [call] = fake_slack.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral"
    assert "longer than" in call.body["text"]
