"""Only requests signed by Slack, recently, do anything; without a signing secret Slack is off."""

import logging
import time

import httpx

from qa.app import create_app
from tests.live import running
from tests.slack.harness import new_id, sign


def test_forged_stale_or_unsigned_requests_get_401_and_do_nothing(slack, fake_slack):
    channel = new_id("C")
    event = slack.mention("How was the 127th Canton Fair held?", channel)
    forged = slack.send_event(event, sign_with="not-the-secret")
    unsigned = slack.send_event(event, sign_with="")
    body = b'{"type": "event_callback", "event_id": "Ev0STALE", "event": {}}'
    old_signature = sign(body, timestamp=int(time.time()) - 600)
    stale = slack.http.post("/slack/events", content=body,
                            headers={"Content-Type": "application/json", **old_signature})
    command = slack.http.post("/slack/commands", content=b"text=hi&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fx",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    for response in (forged, unsigned, stale, command):
        assert response.status_code == 401
        assert set(response.json()) == {"error"}
    # The real event, properly signed, is still new: the forgeries were not even remembered.
    assert slack.send_event(event).status_code == 200
    [call] = fake_slack.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == channel)
    assert call.body["thread_ts"] == event["ts"]
    assert len(fake_slack.recorded("chat.postMessage", lambda c: c.body.get("channel") == channel)) == 1


def test_without_signing_secret_slack_is_off_and_says_so(corpus_settings, service, caplog):
    settings = corpus_settings.model_copy(update={"slack_signing_secret": None})
    with caplog.at_level(logging.INFO, logger="qa.routers.slack"), running(create_app(settings, service)) as url:
        response = httpx.post(f"{url}/slack/events", json={"type": "url_verification", "challenge": "x"})
    assert response.status_code == 404
    assert "QA_SLACK_SIGNING_SECRET" in response.json()["error"]
    assert [r.getMessage() for r in caplog.records if r.name == "qa.routers.slack"] == [
        "Slack disabled: QA_SLACK_SIGNING_SECRET not set"]
