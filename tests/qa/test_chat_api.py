"""/api/ask and the /api/chat event stream, through a real server on 127.0.0.1."""

import json

import httpx


def read_events(response: httpx.Response) -> list[tuple[str, dict]]:
    events, kind = [], None
    for line in response.iter_lines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            events.append((kind, json.loads(line[6:])))
    return events


def test_ask_returns_the_documented_answer_json(live_url):
    response = httpx.post(f"{live_url}/api/ask", json={"question": "How was the 127th Canton Fair held?", "k": 4},
                          timeout=60)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"answer", "answerable", "question", "standalone_question", "citations", "llm", "timings_ms",
                         "evidence", "answerability", "sentences", "fallback_reason", "language"}
    assert body["answerable"] and body["llm"] == "extractive"
    assert body["evidence"]["text"] and body["answerability"]["answerable"]
    citation = body["citations"][0]
    assert set(citation) >= {"n", "chunk_id", "doc_id", "title", "source_url", "text", "span"}
    start, end = citation["span"]
    assert citation["text"][start:end]


def test_chat_streams_meta_evidence_answer_then_done(live_url):
    with httpx.stream("POST", f"{live_url}/api/chat", json={"question": "RCEP有哪些成员国？"}, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = read_events(response)
    kinds = [kind for kind, _ in events]
    assert kinds[:2] == ["meta", "evidence"] and kinds[-2:] == ["answer", "done"]
    evidence, answer = events[1][1], events[-2][1]
    assert evidence["citations"] and evidence["answerability"]["answerable"]
    assert answer["answerable"] and answer["citations"]


def test_chat_with_history_reports_the_standalone_question(live_url):
    history = [{"role": "user", "content": "What does the circular say about second-hand car exports?"},
               {"role": "assistant", "content": "It supports them."}]
    with httpx.stream("POST", f"{live_url}/api/chat", json={"question": "And their after-sale service?",
                                                             "history": history}, timeout=60) as response:
        events = read_events(response)
    assert "second-hand car" in events[0][1]["standalone_question"]


def test_chat_rejects_bad_input_before_streaming(live_url):
    response = httpx.post(f"{live_url}/api/chat", json={"question": "   "}, timeout=30)
    assert response.status_code == 400
    assert response.json() == {"error": "question is empty"}
    response = httpx.post(f"{live_url}/api/chat", json={"question": "hi", "k": 500}, timeout=30)
    assert response.status_code == 422 and "k" in response.json()["error"]
