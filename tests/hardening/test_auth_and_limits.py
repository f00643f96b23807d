"""API keys on admin endpoints, the per-client rate limit, CORS closed by default, the
catch-all 500 and secrets kept out of the logs."""

from __future__ import annotations

import logging
import urllib.request

import httpx
import pytest

from qa.limits import TokenBuckets
from qa.service import Service
from tests.hardening.conftest import with_settings

KEY = "admin-key-4f9a"


@pytest.fixture
def keyed(serve):
    with serve(api_keys=[KEY, "second-key"]) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


@pytest.mark.parametrize("method, path", [("POST", "/api/reindex"), ("GET", "/api/feedback")])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"X-API-Key": "wrong"},
                                     {"Authorization": f"Basic {KEY}"}])
def test_admin_endpoints_refuse_requests_without_a_valid_key(keyed, method, path, headers):
    response = keyed.request(method, path, headers=headers)
    assert response.status_code == 401
    assert set(response.json()) == {"error"} and KEY not in response.text


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {KEY}"}, {"X-API-Key": "second-key"}])
def test_admin_endpoints_accept_any_configured_key(keyed, headers):
    assert keyed.post("/api/reindex", headers=headers).status_code == 200  # corpus unchanged: no rebuild
    assert keyed.get("/api/feedback", headers=headers).status_code == 200


def test_public_endpoints_need_no_key_even_when_keys_are_set(keyed):
    assert keyed.post("/api/search", json={"query": "RCEP"}).status_code == 200
    assert keyed.get("/api/documents").status_code == 200


def test_admin_endpoints_are_open_when_no_keys_are_configured(live_url):
    assert httpx.post(f"{live_url}/api/reindex", timeout=60).status_code == 200


def test_a_client_over_its_rate_is_told_when_to_come_back(serve):
    with serve(rate_limit_per_minute=3) as url, httpx.Client(base_url=url, timeout=60) as client:
        statuses = [client.post("/api/search", json={"query": "RCEP"}).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        refused = client.post("/api/ask", json={"question": "What is RCEP?"})
        assert refused.status_code == 429
        assert refused.json() == {"error": "too many requests; slow down"}
        assert int(refused.headers["retry-after"]) >= 1
        # Health, metrics, the page and its static files are never limited.
        for path in ["/healthz", "/metrics", "/", "/static/app.css"]:
            assert client.get(path).status_code == 200, path


def test_token_buckets_refill_over_time_and_are_kept_per_client():
    now = [0.0]
    buckets = TokenBuckets(per_minute=2, clock=lambda: now[0])
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(30.0)  # one token every 30 s
    assert buckets.take("b") == 0  # another client has its own bucket
    now[0] = 30.0
    assert buckets.take("a") == 0
    assert buckets.take("a") > 0


def test_cors_is_closed_by_default(live_url):
    preflight = httpx.options(f"{live_url}/api/ask", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    response = httpx.get(f"{live_url}/api/documents", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_only_the_configured_origins(serve):
    with serve(cors_origins=["https://intranet.example"]) as url:
        allowed = httpx.options(f"{url}/api/ask", headers={
            "Origin": "https://intranet.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://intranet.example"
        other = httpx.options(f"{url}/api/ask", headers={
            "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in other.headers


class BrokenDocuments(Service):
    def documents(self):
        raise RuntimeError(f"cannot read {self.settings.index_dir}/current/chunks.sqlite")


def test_an_unexpected_error_is_a_500_with_a_request_id_and_nothing_else(serve, corpus_settings, embedder):
    with serve(BrokenDocuments(corpus_settings, embedder)) as url:
        response = httpx.get(f"{url}/api/documents", timeout=60)
        assert response.status_code == 500
        body = response.json()
        assert body == {"error": "internal error", "request_id": response.headers["x-request-id"]}
        assert str(corpus_settings.index_dir) not in response.text and "Traceback" not in response.text
        assert httpx.get(f"{url}/healthz", timeout=60).status_code == 200


SECRETS = {"api_keys": ["apikey-SECRET-0001"], "openai_api_key": "sk-SECRET-0002",
           "slack_signing_secret": "slacksign-SECRET-0003", "slack_bot_token": "xoxb-SECRET-0004"}


def test_secrets_never_reach_the_logs(serve, corpus_settings, embedder, caplog):
    caplog.set_level(logging.DEBUG)
    # The openai backend points at a closed port, so its failure path logs too.
    overrides = SECRETS | {"openai_base_url": "http://127.0.0.1:9/v1", "openai_retries": 0, "llm_timeout": 5}
    with (serve(Service(with_settings(corpus_settings, **overrides), embedder), **overrides) as url,
          httpx.Client(base_url=url, timeout=60) as client):
        client.post("/api/reindex", headers={"Authorization": "Bearer apikey-SECRET-0001"})
        client.post("/api/reindex", headers={"X-API-Key": "wrong-SECRET-0005"})
        # urllib, not httpx: the test's own httpx client would log this URL itself.
        urllib.request.urlopen(f"{url}/api/documents?token=query-SECRET-0006", timeout=60).read()
        client.post("/api/ask", json={"question": "How was the 127th Canton Fair held?", "llm": "openai"})
        client.post("/slack/events", content=b'{"type": "url_verification", "challenge": "c"}',
                    headers={"X-Slack-Signature": "v0=bad", "X-Slack-Request-Timestamp": "1"})
        client.get("/nope")
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "qa.access" in caplog.text  # the requests were logged...
    for secret in ["SECRET-0001", "SECRET-0002", "SECRET-0003", "SECRET-0004", "SECRET-0005", "SECRET-0006"]:
        assert secret not in logged  # ...without any secret
