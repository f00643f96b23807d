"""The Events API webhook through a real server: mentions and DMs answered in the thread,
with citations, history from the thread, and nothing answered twice or to a bot."""

import logging

from qa.app import create_app
from tests.fakes.openai_server import hang
from tests.live import running
from tests.slack.harness import USER, SlackUser, new_id, slack_settings


def in_channel(channel):
    return lambda call: call.body.get("channel") == channel


def spy_on_ask(service, monkeypatch) -> list[tuple]:
    """(question, history, meta) for each question the bot asks the real service, recorded
    at the ``meta`` event: before anything is posted, so a test that saw a post sees it."""
    seen, real_stream = [], service.ask_stream

    def spy(question, history=None, *args, **kwargs):
        for event in real_stream(question, history, *args, **kwargs):
            if event.kind == "meta":
                seen.append((question, history, event))
            yield event

    monkeypatch.setattr(service, "ask_stream", spy)
    return seen


def test_url_verification_returns_the_challenge(slack):
    response = slack.post("/slack/events", b'{"type": "url_verification", "token": "t", "challenge": "3eZbrw1aB"}',
                          "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aB"}


def test_mention_gets_a_cited_reply_in_its_thread(slack, fake_slack):
    channel = new_id("C")
    event = slack.mention("How was the 127th Canton Fair held?", channel)
    response = slack.send_event(event)
    assert response.status_code == 200

    [call] = fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    assert call.http_method == "POST" and call.headers["content-type"].startswith("application/json")
    assert call.authorization == f"Bearer {fake_slack.token}"
    assert call.body["thread_ts"] == event["ts"]
    assert "[1]" in call.body["text"]
    texts = [b["text"]["text"] for b in call.body["blocks"] if b["type"] == "section"]
    assert "online" in texts[0].lower() and "[1]" in texts[0]
    assert "*Sources*" in texts
    assert any(t.startswith("*[1]* <http") and "|" in t and "\n> " in t for t in texts)


def sections(body: dict) -> list[str]:
    return [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]


def test_quotes_are_posted_at_once_then_edited_into_the_generated_answer(generative_slack, fake_slack):
    slack, openai = generative_slack
    # The model streams its answer, then takes three more seconds to finish.
    openai.responder = lambda request: hang(3.0, after="The China Import and Export Fair went fully online "
                                                        "for the first time because of the pandemic [1].")
    channel = new_id("C")
    event = slack.mention("How was the 127th Canton Fair held?", channel)
    slack.send_event(event)

    [post] = fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    assert fake_slack.recorded("chat.update") == []  # the quotes went out while the model was writing
    assert post.body["thread_ts"] == event["ts"] and "*Sources*" in sections(post.body)
    [update] = fake_slack.wait_for("chat.update", where=in_channel(channel))
    [reply] = fake_slack.threads[(channel, event["ts"])]
    assert update.body["ts"] == reply["ts"] and update.authorization == f"Bearer {fake_slack.token}"
    answer, quotes = sections(update.body)[0], sections(post.body)[0]
    assert answer != quotes and "fully online" in answer and "[1]" in answer
    assert "*Sources*" in sections(update.body)  # the sources are kept
    assert reply["text"] == update.body["text"]  # the thread, and so a follow-up's history, has the answer
    assert len(fake_slack.recorded("chat.postMessage", in_channel(channel))) == 1


def test_an_answer_that_is_the_quotes_is_posted_once_and_never_edited(slack, fake_slack):
    channel = new_id("C")
    slack.send_event(slack.mention("How was the 127th Canton Fair held?", channel))
    fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    slack.settle()
    assert fake_slack.recorded("chat.update") == []
    assert len(fake_slack.recorded("chat.postMessage", in_channel(channel))) == 1


def test_direct_message_is_answered_in_a_thread_and_mentions_are_stripped(slack, fake_slack, service, monkeypatch):
    asked = spy_on_ask(service, monkeypatch)
    channel = new_id("D")
    event = slack.dm(f"<@{fake_slack.bot_user}> What does the circular say about second-hand car exports?", channel)
    slack.send_event(event)

    [call] = fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    assert call.body["thread_ts"] == event["ts"]
    assert "second-hand car" in call.body["text"].lower()
    assert [question for question, _, _ in asked] == ["What does the circular say about second-hand car exports?"]


def test_follow_up_in_a_thread_uses_the_thread_as_history(slack, fake_slack, service, monkeypatch):
    seen = spy_on_ask(service, monkeypatch)
    channel = new_id("C")
    parent, reply = slack.ts(), slack.ts()
    fake_slack.add_thread(channel, [
        {"type": "message", "user": USER, "ts": parent,
         "text": f"<@{fake_slack.bot_user}> What does the circular say about second-hand car exports?"},
        {"type": "message", "user": fake_slack.bot_user, "bot_id": fake_slack.bot_id, "ts": reply, "thread_ts": parent,
         "text": "It supports them [1].\n\n*Sources*\n\n*[1]* <http://x.example|Circular>"},
        {"type": "message", "subtype": "channel_join", "user": "U0OTHER", "ts": slack.ts(), "text": "joined"},
    ])
    event = slack.mention("And their after-sale service?", channel, thread_ts=parent)
    slack.send_event(event)

    [call] = fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    [replies] = fake_slack.recorded("conversations.replies")
    assert replies.http_method == "GET" and replies.body["channel"] == channel and replies.body["ts"] == parent
    assert replies.authorization == f"Bearer {fake_slack.token}"
    question, history, meta = seen[0]
    assert question == "And their after-sale service?"
    assert history == [
        {"role": "user", "content": "What does the circular say about second-hand car exports?"},
        {"role": "assistant", "content": "It supports them [1]."},
    ]
    assert "second-hand car exports" in meta.standalone_question
    assert call.body["thread_ts"] == parent


def test_history_is_capped_at_max_history_turns(slack, fake_slack, service, monkeypatch):
    seen = spy_on_ask(service, monkeypatch)
    channel = new_id("C")
    parent = slack.ts()
    turns = service.settings.max_history_turns + 5
    fake_slack.add_thread(channel, [{"type": "message", "user": USER, "ts": parent, "text": "Tell me about RCEP"}]
                          + [{"type": "message", "user": USER, "ts": slack.ts(), "thread_ts": parent,
                              "text": f"RCEP remark {i}"} for i in range(turns)])
    slack.send_event(slack.mention("Which countries signed RCEP?", channel, thread_ts=parent))

    fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    history = seen[0][1]
    assert len(history) == service.settings.max_history_turns
    assert history[-1]["content"] == f"RCEP remark {turns - 1}"


def test_retries_and_repeated_event_ids_are_answered_once(slack, fake_slack):
    channel = new_id("C")
    event = slack.mention("How was the 127th Canton Fair held?", channel)
    first = slack.send_event(event, event_id="Ev0REPEAT1")
    retry_headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    retry = slack.send_event(event, event_id="Ev0REPEAT1", headers=retry_headers)
    again = slack.send_event(event, event_id="Ev0REPEAT1")
    assert [r.status_code for r in (first, retry, again)] == [200, 200, 200]
    fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    slack.settle()
    assert len(fake_slack.recorded("chat.postMessage", in_channel(channel))) == 1


def test_bots_own_messages_and_edits_are_ignored(slack, fake_slack):
    channel = new_id("D")
    own = slack.dm("How was the 127th Canton Fair held?", channel, user=fake_slack.bot_user)
    other_bot = slack.dm("How was the 127th Canton Fair held?", channel, bot_id="B0OTHER", user="U0OTHERBOT")
    bot_message = slack.dm("How was the 127th Canton Fair held?", channel, subtype="bot_message")
    edited = slack.dm("How was the 127th Canton Fair held?", channel, subtype="message_changed")
    deleted = slack.dm("", channel, subtype="message_deleted")
    channel_chatter = {**slack.dm("How was the 127th Canton Fair held?", channel), "channel_type": "channel"}
    for event in (own, other_bot, bot_message, edited, deleted, channel_chatter):
        assert slack.send_event(event).status_code == 200
    slack.settle()
    assert fake_slack.recorded("chat.postMessage", in_channel(channel)) == []


def test_a_failing_answer_is_an_apology_in_the_thread_and_is_logged(slack, fake_slack, service, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("generator exploded")

    monkeypatch.setattr(service, "ask_stream", broken)
    channel = new_id("C")
    event = slack.mention("How was the 127th Canton Fair held?", channel)
    with caplog.at_level(logging.ERROR, logger="qa.slack.handlers"):
        slack.send_event(event)
        [call] = fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    assert call.body["thread_ts"] == event["ts"]
    assert call.body["text"].startswith("Sorry, I couldn't answer that just now")
    failure = [r for r in caplog.records if r.name == "qa.slack.handlers" and r.exc_info]
    assert failure and "generator exploded" in str(failure[0].exc_info[1])


def test_slack_refusing_the_post_is_logged_not_ignored(slack, fake_slack, caplog):
    fake_slack.fail("chat.postMessage", "channel_not_found")
    channel = new_id("C")
    with caplog.at_level(logging.ERROR, logger="qa.slack.handlers"):
        slack.send_event(slack.mention("How was the 127th Canton Fair held?", channel))
        fake_slack.wait_for("chat.postMessage", count=2, where=in_channel(channel))  # the answer, then the apology
        messages = [r.getMessage() + str(r.exc_info and r.exc_info[1]) for r in caplog.records]
    assert any("channel_not_found" in m for m in messages)


def test_empty_mention_gets_usage_help(slack, fake_slack):
    channel = new_id("C")
    event = {**slack.mention("", channel), "text": f"<@{fake_slack.bot_user}>"}
    slack.send_event(event)
    [call] = fake_slack.wait_for("chat.postMessage", where=in_channel(channel))
    assert "Ask me a question" in call.body["text"] and call.body["thread_ts"] == event["ts"]


def test_without_authorizations_the_bot_learns_its_own_id_from_auth_test(corpus_settings, service, fake_slack):
    fake_slack.reset()
    with running(create_app(slack_settings(corpus_settings, fake_slack), service)) as url:
        user = SlackUser(url, fake_slack, authorizations=False)
        own, theirs = new_id("D"), new_id("D")
        user.send_event(user.dm("How was the 127th Canton Fair held?", own, user=fake_slack.bot_user))
        user.send_event(user.dm("How was the 127th Canton Fair held?", theirs))
        fake_slack.wait_for("chat.postMessage", where=in_channel(theirs))
        user.settle()
        user.http.close()
    assert fake_slack.recorded("auth.test")
    assert fake_slack.recorded("chat.postMessage", in_channel(own)) == []
