"""POST/GET /api/feedback and the page routes, through a real server on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from qa.feedback import FeedbackStore

GOOD = {"rating": "down", "comment": "Cites the wrong year.", "question": "When did RCEP take effect?",
        "answer": "On 1 January 2022 [1].", "llm": "extractive",
        "citations": [{"n": 1, "doc_id": "2022-01-01-rcep-enters-into-force-en", "chunk_id": "c1",
                       "title": "RCEP enters into force"}]}


def test_feedback_is_stored_and_listed_newest_first(live_url):
    first = httpx.post(f"{live_url}/api/feedback", json=GOOD, timeout=30)
    second = httpx.post(f"{live_url}/api/feedback", json=GOOD | {"rating": "up", "comment": ""}, timeout=30)
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] > first.json()["id"]

    listed = httpx.get(f"{live_url}/api/feedback", params={"limit": 2}, timeout=30).json()
    assert [item["id"] for item in listed["feedback"]] == [second.json()["id"], first.json()["id"]]
    newest, older = listed["feedback"]
    assert newest["rating"] == "up" and older["rating"] == "down"
    assert older["comment"] == "Cites the wrong year." and older["citations"] == GOOD["citations"]
    assert older["question"] == GOOD["question"] and older["llm"] == "extractive" and older["created_at"]
    assert listed["total"] >= 2 and listed["limit"] == 2

    page_two = httpx.get(f"{live_url}/api/feedback", params={"limit": 1, "offset": 1}, timeout=30).json()
    assert [item["id"] for item in page_two["feedback"]] == [first.json()["id"]]


@pytest.mark.parametrize("change", [
    {"rating": "meh"},
    {"question": ""},
    {"comment": "x" * 2001},
    {"surprise": True},
    {"citations": [{"n": 1}]},
    {"citations": [{"n": 1, "doc_id": "d", "text": "extra fields are refused"}]},
])
def test_invalid_feedback_is_refused_with_a_one_line_error(live_url, change):
    response = httpx.post(f"{live_url}/api/feedback", json=GOOD | change, timeout=30)
    assert response.status_code == 422
    assert isinstance(response.json()["error"], str) and "\n" not in response.json()["error"]


def test_feedback_without_a_rating_is_refused(live_url):
    body = {k: v for k, v in GOOD.items() if k != "rating"}
    response = httpx.post(f"{live_url}/api/feedback", json=body, timeout=30)
    assert response.status_code == 422 and "rating" in response.json()["error"]


def test_listing_feedback_checks_its_paging_parameters(live_url):
    assert httpx.get(f"{live_url}/api/feedback", params={"limit": 0}, timeout=30).status_code == 422
    assert httpx.get(f"{live_url}/api/feedback", params={"offset": -1}, timeout=30).status_code == 422


def test_listing_feedback_needs_an_api_key_when_keys_are_configured(corpus_settings, service, tmp_path):
    from qa.app import create_app
    from tests.live import running

    settings = corpus_settings.model_copy(update={"api_keys": [SecretStr("sesame")],
                                                  "feedback_db": tmp_path / "feedback.sqlite"})
    with running(create_app(settings, service)) as url:
        posted = httpx.post(f"{url}/api/feedback", json=GOOD, timeout=30)
        assert posted.status_code == 201  # the public page sends feedback without a key
        assert httpx.get(f"{url}/api/feedback", timeout=30).status_code == 401
        wrong = httpx.get(f"{url}/api/feedback", headers={"Authorization": "Bearer nope"}, timeout=30)
        assert wrong.status_code == 401 and "API key" in wrong.json()["error"]
        right = httpx.get(f"{url}/api/feedback", headers={"Authorization": "Bearer sesame"}, timeout=30)
        assert right.status_code == 200 and right.json()["feedback"][0]["id"] == posted.json()["id"]
        assert httpx.get(f"{url}/api/feedback", headers={"X-API-Key": "sesame"}, timeout=30).status_code == 200


def test_store_creates_its_file_on_first_use_in_wal_mode(tmp_path):
    import sqlite3

    path = tmp_path / "nested" / "feedback.sqlite"
    store = FeedbackStore(path)
    assert not path.exists()
    new_id = store.add(rating="up", question="q", answer="a", citations=[{"n": 1, "doc_id": "d"}])
    assert path.exists() and store.count() == 1
    assert store.list()[0] | {"created_at": None} == {
        "id": new_id, "created_at": None, "rating": "up", "comment": "", "question": "q", "answer": "a",
        "citations": [{"n": 1, "doc_id": "d"}], "llm": None}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_takes_writes_from_many_threads(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    store = FeedbackStore(tmp_path / "feedback.sqlite")
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda i: store.add(rating="up", question=f"q{i}", answer="a"), range(40)))
    assert len(set(ids)) == 40 and store.count() == 40


def test_page_assets_and_document_route_are_served(live_url):
    page = httpx.get(f"{live_url}/", timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/js/main.js">' in page.text
    script = httpx.get(f"{live_url}/static/js/main.js", timeout=30)
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    reader = httpx.get(f"{live_url}/documents/2020-china-europe-rail-zh", timeout=30)
    assert reader.status_code == 200 and reader.text == page.text
    assert httpx.get(f"{live_url}/static/..%2F..%2Fqa%2Fsettings.py", timeout=30).status_code == 404
