"""The JSON API over a real uvicorn server on 127.0.0.1 and the real index of the shipped corpus, and
the app's assembly: explicit parts, registry-derived choices, validated responses."""

import importlib
import json
import sys
from dataclasses import fields
from typing import cast

import httpx
import pytest
from starlette.testclient import TestClient

from core.settings import Settings
from index.build import BuildReport
from index.loaders import LoadError
from qa.answer_types import Answer
from qa.app import create_app
from qa.cli import main
from qa.llm import BACKENDS
from qa.passages import Passage
from qa.retrieval import SEARCH_MODES
from qa.service import Service
from qa.routers.responses import (Document, DocumentsResponse, FeedbackCreated, FeedbackPage, Health, LoadFailure,
                                  RankedPassage, ReindexReport, SearchResponse)

HAINAN = "When was the Law on the Hainan Free Trade Port passed?"
HAINAN_DOC = "2021-06-10-hainan-free-trade-port-law-en"


@pytest.fixture(scope="module")
def client(live_url):
    with httpx.Client(base_url=live_url, timeout=120) as client:
        yield client


def test_healthz_reports_the_loaded_index(client, corpus_settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["index"]["documents"] == 15 and body["index"]["chunks"] > 15
    assert body["index"]["model"] == corpus_settings.embedding_model


def test_search_returns_ranked_passages_with_scores(client):
    response = client.post("/api/search", json={"query": HAINAN, "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == HAINAN
    assert [r["rank"] for r in body["results"]] == [1, 2, 3]
    top = body["results"][0]
    assert top["doc_id"] == HAINAN_DOC and "10 June 2021" in top["text"]
    assert {"chunk_id", "title", "source_url", "score", "scores", "heading", "page", "start", "end"} <= set(top)
    assert set(top["scores"]) >= {"rrf", "sentence"} and top["score"] >= top["scores"]["sentence"]
    assert [r["score"] for r in body["results"]] == sorted((r["score"] for r in body["results"]), reverse=True)


def test_search_json_is_the_same_as_the_cli(client, corpus_settings, monkeypatch, capsys):
    monkeypatch.setenv("QA_INDEX_DIR", str(corpus_settings.index_dir))
    assert main(["search", HAINAN, "-k", "4", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    api = client.post("/api/search", json={"query": HAINAN, "k": 4}).json()
    assert api == cli


@pytest.mark.parametrize("mode", ["dense", "bm25"])
def test_search_modes_use_one_retriever(client, mode):
    body = client.post("/api/search", json={"query": "Canton Fair online", "k": 2, "mode": mode}).json()
    assert all(set(r["scores"]) == {mode, "rrf"} for r in body["results"])


@pytest.mark.parametrize("payload", [
    {"query": ""}, {"query": "   "}, {"query": "x", "k": 0}, {"query": "x", "k": 51}, {"query": "x", "mode": "magic"},
    {"query": "x", "unknown": 1}, {},
])
def test_bad_search_input_is_a_4xx_with_an_error(client, payload):
    response = client.post("/api/search", json=payload)
    assert 400 <= response.status_code < 500
    assert response.json().get("error") or response.json().get("detail")


def test_documents_list_metadata_and_chunk_counts(client):
    response = client.get("/api/documents")
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert len(documents) == 15
    by_id = {d["doc_id"]: d for d in documents}
    hainan = by_id[HAINAN_DOC]
    assert hainan["title"] == "Law on the Hainan Free Trade Port"
    assert hainan["language"] == "en" and hainan["date"] == "2021-06-10" and hainan["source_url"].startswith("http")
    assert all(d["chunks"] >= 1 for d in documents)
    assert "text" not in hainan  # the list stays small
    assert by_id["2020-china-europe-rail-zh"]["language"] == "zh"


def test_document_by_id_has_its_text_and_unknown_id_is_404(client):
    response = client.get(f"/api/documents/{HAINAN_DOC}")
    assert response.status_code == 200
    doc = response.json()
    assert doc["doc_id"] == HAINAN_DOC and "10 June 2021" in doc["text"]
    assert "content_hash" not in doc

    top = client.post("/api/search", json={"query": HAINAN, "k": 1}).json()["results"][0]
    assert doc["text"][top["start"]:top["end"]] == top["text"]  # offsets highlight the passage in place

    missing = client.get("/api/documents/no-such-document")
    assert missing.status_code == 404
    assert "no-such-document" in missing.json()["error"]


def test_openapi_and_docs_are_served(client):
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"/api/search", "/api/ask", "/api/documents", "/healthz"} <= set(paths)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_ask_answers_with_verified_citations(client):
    response = client.post("/api/ask", json={"question": HAINAN, "llm": "extractive"})
    assert response.status_code == 200
    body = response.json()
    assert {"answer", "answerable", "question", "standalone_question", "citations", "llm", "timings_ms"} <= set(body)
    assert body["answerable"] and "10 June 2021" in body["answer"]
    assert body["question"] == HAINAN and body["standalone_question"]
    assert body["llm"] == "extractive"
    assert set(body["timings_ms"]) == {"retrieve", "evidence", "first_evidence", "total"}  # no model asked
    assert body["citations"]
    for citation in body["citations"]:
        assert {"n", "chunk_id", "doc_id", "title", "source_url", "text", "span"} <= set(citation)
        start, end = citation["span"]
        assert 0 <= start < end <= len(citation["text"])
    assert body["citations"][0]["doc_id"] == HAINAN_DOC


def test_ask_outside_the_documents_is_refused(client):
    body = client.post("/api/ask", json={"question": "Who won the 2018 FIFA World Cup?", "llm": "extractive"}).json()
    assert body["answerable"] is False and body["citations"] == []


def test_empty_question_is_a_400(client):
    response = client.post("/api/ask", json={"question": "   ", "llm": "extractive"})
    assert response.status_code in (400, 422)


# --- how the app is assembled, and the contract it publishes ---

def test_every_json_route_publishes_the_model_of_its_success_body():
    paths = create_app(Settings(llm="extractive")).openapi()["paths"]
    expected = {
        ("/healthz", "get", "200"): Health, ("/api/search", "post", "200"): SearchResponse,
        ("/api/ask", "post", "200"): Answer, ("/api/documents", "get", "200"): DocumentsResponse,
        ("/api/documents/{doc_id}", "get", "200"): Document, ("/api/reindex", "post", "200"): ReindexReport,
        ("/api/feedback", "post", "201"): FeedbackCreated, ("/api/feedback", "get", "200"): FeedbackPage,
    }
    published = {(path, method, code): paths[path][method]["responses"][code]["content"]["application/json"]["schema"]
                 for path, method, code in expected}
    assert published == {key: {"$ref": f"#/components/schemas/{model.__name__}"} for key, model in expected.items()}


class OffModelService:
    """Hands the routes data that does not match their response models."""

    def documents(self) -> list[dict]:
        return [{"doc_id": "d", "path": None, "title": "T", "source_url": None, "date": None, "language": "en",
                 "metadata": {}, "chunks": 1, "content_hash": "an internal field"}]

    def index_info(self) -> dict:
        return {"version": "v1", "chunks": "many", "documents": 1, "model": "m"}


def test_what_leaves_is_validated_extra_fields_dropped_and_a_wrong_shape_refused():
    app = create_app(Settings(llm="extractive"), cast(Service, OffModelService()))

    # Without `with`, the client does not run the lifespan (which would replace the service);
    # it drives the app from its own thread, so a loop left running by another test is no matter.
    client = TestClient(app, base_url="http://app", raise_server_exceptions=False)
    documents = client.get("/api/documents")
    assert documents.status_code == 200 and "content_hash" not in documents.json()["documents"][0]
    health = client.get("/healthz")
    assert health.status_code == 500 and health.json()["error"] == "internal error"


def test_the_mirrored_bodies_have_exactly_the_fields_of_what_they_mirror():
    assert set(RankedPassage.model_fields) == {"rank"} | {f.name for f in fields(Passage)}
    assert set(ReindexReport.model_fields) == {f.name for f in fields(BuildReport)}
    assert set(LoadFailure.model_fields) == {f.name for f in fields(LoadError)}


def test_request_choices_are_the_registries():
    schemas = create_app(Settings(llm="extractive")).openapi()["components"]["schemas"]
    assert schemas["SearchRequest"]["properties"]["mode"]["enum"] == list(SEARCH_MODES)
    [named, null] = schemas["AskRequest"]["properties"]["llm"]["anyOf"]
    assert named["enum"] == list(BACKENDS) and null == {"type": "null"}


def test_an_unknown_llm_backend_stops_the_app_before_it_starts():
    with pytest.raises(ValueError, match="QA_LLM.*'gpt-magic'.*extractive"):
        create_app(Settings(llm="gpt-magic"))


def test_a_missing_router_module_stops_the_app_instead_of_being_skipped(monkeypatch):
    monkeypatch.delattr("qa.routers.slack")
    monkeypatch.setitem(sys.modules, "qa.routers.slack", None)  # as if the file were gone
    monkeypatch.delitem(sys.modules, "qa.app")
    with pytest.raises(ImportError, match="qa.routers.slack"):
        importlib.import_module("qa.app")


def test_an_unknown_backend_or_search_mode_is_a_422_naming_the_choices(client):
    response = client.post("/api/ask", json={"question": HAINAN, "llm": "gpt-magic"})
    assert response.status_code == 422
    assert response.json()["error"].startswith("llm:") and ", ".join(BACKENDS) in response.json()["error"]
    response = client.post("/api/search", json={"query": HAINAN, "mode": "magic"})
    assert response.status_code == 422 and "hybrid" in response.json()["error"]
