"""The ``openai`` backend against a real OpenAI-compatible server on 127.0.0.1, then the
answer pipeline driven by that server: what the model says is never trusted as is."""

from __future__ import annotations

import re

import pytest
from pydantic import SecretStr

from qa.errors import LLMTimeout, LLMUnavailable
from qa.llm import Prompt
from qa.llm.openai import OpenAILLM
from qa.settings import Settings
from tests.fakes.openai_server import (Request, garbage, hang, reply, running_fake_openai, status, truncate,
                                       whole)

KEY = "sk-test-0123456789"
PROMPT = Prompt("answer", [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}], "Hi?")
MADE_UP = "Penguins will receive free ice cream on Mars every Tuesday."


@pytest.fixture(scope="module")
def fake():
    with running_fake_openai(api_key=KEY) as server:
        yield server


@pytest.fixture
def server(fake):
    fake.reset()
    yield fake
    assert not fake.errors, f"the fake's responder failed: {fake.errors}"
    fake.reset()


def backend(fake, **overrides) -> OpenAILLM:
    options = {"openai_base_url": fake.base_url, "openai_api_key": KEY, "openai_model": "test-model",
               "openai_retries": 2, "llm_timeout": 10} | overrides
    return OpenAILLM(Settings(**options))


def collect(llm: OpenAILLM) -> tuple[list[str], Exception | None]:
    """Pieces streamed before any error, and the error."""
    pieces = []
    try:
        for piece in llm.stream(PROMPT, max_tokens=32):
            pieces.append(piece)
    except LLMUnavailable as exc:
        return pieces, exc
    return pieces, None


# --- the backend ---

def test_streamed_pieces_assemble_into_the_reply(server):
    server.script(reply("The circular was issued in November 2020."))
    pieces, error = collect(backend(server))
    assert error is None
    assert len(pieces) > 1
    assert "".join(pieces) == "The circular was issued in November 2020."


def test_request_carries_model_messages_and_generation_options(server):
    collect(backend(server))
    [request] = server.chat_requests()
    assert request.path == "/v1/chat/completions"
    assert request.body == {"model": "test-model", "messages": PROMPT.messages, "stream": True,
                            "temperature": 0, "max_tokens": 32}


def test_api_key_is_sent_as_a_bearer_token(server):
    collect(backend(server))
    assert server.chat_requests()[0].authorization == f"Bearer {KEY}"


def test_without_a_key_no_authorization_header_is_sent(server):
    collect(backend(server, openai_api_key=None))
    assert "authorization" not in server.requests[0].headers


def test_wrong_key_fails_at_once_with_the_status_and_without_the_key(server):
    pieces, error = collect(backend(server, openai_api_key="sk-wrong-secret"))
    assert isinstance(error, LLMUnavailable) and "401" in str(error)
    assert "sk-wrong-secret" not in str(error) and "\n" not in str(error)
    assert len(server.requests) == 1


def test_azure_style_base_url_keeps_its_query_and_gets_the_key_header(server):
    llm = backend(server, openai_base_url=f"{server.url}/openai/deployments/gpt4o?api-version=2024-06-01")
    collect(llm)
    [request] = server.chat_requests()
    assert request.path == "/openai/deployments/gpt4o/chat/completions"
    assert request.query == {"api-version": "2024-06-01"}
    assert request.headers["api-key"] == KEY


def test_rate_limited_request_is_retried_after_the_servers_delay(server):
    server.script(status(429, retry_after="1"), reply("Second time lucky."))
    pieces, error = collect(backend(server))
    assert error is None and "".join(pieces) == "Second time lucky."
    assert len(server.chat_requests()) == 2


def test_retry_after_beyond_the_time_budget_gives_up_instead_of_sleeping(server):
    server.script(status(429, retry_after="3600"))
    pieces, error = collect(backend(server, llm_timeout=5))
    assert isinstance(error, LLMUnavailable) and "429" in str(error)
    assert len(server.chat_requests()) == 1


def test_server_errors_are_retried_then_reported_as_unavailable(server):
    server.script(*[status(500)] * 3)
    pieces, error = collect(backend(server, openai_retries=2))
    assert type(error) is LLMUnavailable
    assert "500" in str(error) and "fake error" not in str(error)
    assert len(server.chat_requests()) == 3


def test_unreachable_server_is_unavailable_after_retries(server):
    from tests.live import free_port

    pieces, error = collect(backend(server, openai_base_url=f"http://127.0.0.1:{free_port()}/v1", openai_retries=1))
    assert type(error) is LLMUnavailable and "cannot reach" in str(error)


def test_server_that_never_answers_times_out(server):
    server.script(hang(30))
    pieces, error = collect(backend(server, llm_timeout=1))
    assert isinstance(error, LLMTimeout)
    assert pieces == []


def test_stream_that_stalls_midway_times_out_keeping_what_was_streamed(server):
    server.script(hang(30, after="Half an ans"))
    pieces, error = collect(backend(server, llm_timeout=1))
    assert isinstance(error, LLMTimeout)
    assert "".join(pieces) == "Half an ans"


def test_stream_cut_off_before_it_finished_is_unavailable_and_not_retried(server):
    server.script(truncate("The answer is"))
    pieces, error = collect(backend(server))
    assert type(error) is LLMUnavailable
    assert "".join(pieces) == "The answer is"
    assert len(server.chat_requests()) == 1


@pytest.mark.parametrize("line", [b"<html><body>502 Bad Gateway</body></html>", b"data: {not json"])
def test_garbage_in_the_stream_is_unavailable(server, line):
    server.script(garbage(line, text="Sure"))
    pieces, error = collect(backend(server))
    assert type(error) is LLMUnavailable
    assert "".join(pieces) == "Sure"


def test_server_that_ignores_stream_and_sends_one_json_reply_still_works(server):
    server.script(whole("All in one go."))
    pieces, error = collect(backend(server))
    assert error is None and pieces == ["All in one go."]


# --- the pipeline with the openai backend ---

@pytest.fixture(scope="module")
def openai_service(fake, corpus_settings, embedder):
    from qa.service import Service

    settings = corpus_settings.model_copy(update={
        "openai_base_url": fake.base_url, "openai_api_key": SecretStr(KEY), "openai_model": "test-model",
        "openai_retries": 1, "llm_timeout": 10})
    return Service(settings, embedder)


def shown(request: Request) -> dict[int, str]:
    """The passages the pipeline showed the model, by number."""
    user = request.body["messages"][-1]["content"]
    return {int(n): text.strip() for n, text in re.findall(r"^\[(\d+)\] \(.*?\)\n(.*?)(?=\n\n\[\d+\] \(|\n</passages>)",
                                                          user, re.S | re.M)}


def sentence(passages: dict[int, str], fragment: str) -> tuple[int, str]:
    """(passage number, the shown sentence containing ``fragment``)."""
    for n, text in passages.items():
        for part in text.split(" … "):
            if fragment in part:
                return n, part.strip()
    raise AssertionError(f"{fragment!r} was not shown to the model: {passages}")


def answer_requests(fake) -> list[Request]:
    return [r for r in fake.chat_requests() if not r.is_condense]


def test_wrong_citations_are_moved_to_the_supporting_passage_and_made_up_claims_dropped(server, openai_service):
    def model(request: Request) -> str:
        passages = shown(request)
        n_signed, signed = sentence(passages, "fifteen economies signed")
        n_force, force = sentence(passages, "took effect on 1 January 2022")
        other = next(n for n in passages if n not in (n_signed, n_force))
        return f"{signed} [{n_force}] {force} [{n_signed}] {MADE_UP} [{other}]"  # every marker wrong

    server.responder = model
    answer = openai_service.ask("When did RCEP take effect and who signed it?", llm="openai")
    assert answer.llm == "openai" and not answer.fallback and answer.answerable
    assert "Penguins" not in answer.answer
    assert [c.n for c in answer.citations] == [1, 2]
    assert "fifteen economies signed" in answer.citations[0].text
    assert "took effect on 1 January 2022" in answer.citations[1].text
    signed_at, force_at = answer.answer.index("fifteen economies"), answer.answer.index("took effect")
    assert signed_at < answer.answer.index("[1]") < force_at < answer.answer.index("[2]")
    for citation in answer.citations:
        start, end = citation.span
        assert citation.text[start:end] in answer.answer.replace(" [1]", "").replace(" [2]", "")


def test_model_saying_not_in_documents_gives_the_refusal(server, openai_service):
    server.responder = lambda request: "NOT_IN_DOCUMENTS"
    answer = openai_service.ask("How many trips did China-Europe freight trains make in 2020?", llm="openai")
    assert len(answer_requests(server)) == 1  # the model was asked, and it refused
    assert not answer.answerable and answer.citations == []
    assert answer.answer.startswith("The documents do not cover")
    assert not answer.fallback


def test_server_errors_fall_back_to_a_flagged_extractive_answer(server, openai_service):
    server.responder = lambda request: status(500)
    answer = openai_service.ask("How many trips did China-Europe freight trains make in 2020?", llm="openai")
    assert len(server.chat_requests()) == 2  # one retry, then the fallback
    assert answer.fallback and answer.llm == "extractive"
    assert answer.answerable and "12,406" in answer.answer and answer.citations


def test_stream_cut_off_midway_falls_back_and_the_streamed_part_is_not_the_answer(server, openai_service):
    server.responder = lambda request: truncate("China-Europe freight trains made 99,999")
    events = list(openai_service.ask_stream("How many trips did China-Europe freight trains make in 2020?",
                                            llm="openai"))
    answer = events[-1][1]
    assert "".join(v for kind, v in events if kind == "token").startswith("China-Europe freight trains made 99")
    assert answer.fallback and "12,406" in answer.answer and "99,999" not in answer.answer


def test_follow_up_is_condensed_by_the_model_before_retrieval(server, openai_service):
    rewrite = "What does the circular say about after-sale service for second-hand car exports?"

    def model(request: Request) -> str:
        if request.is_condense:
            return rewrite
        n, text = sentence(shown(request), "after-sale")
        return f"{text} [{n}]"

    server.responder = model
    history = [{"role": "user", "content": "What does the circular say about second-hand car exports?"},
               {"role": "assistant", "content": "It supports them [1]."}]
    answer = openai_service.ask("What about their after-sale service?", history=history, llm="openai")
    condense = [r for r in server.chat_requests() if r.is_condense]
    assert len(condense) == 1
    assert "second-hand car exports" in condense[0].text and "their after-sale service" in condense[0].text
    assert answer.standalone_question == rewrite
    assert f"Question: {rewrite}" in answer_requests(server)[0].text
    assert answer.answerable and not answer.fallback and "after-sale" in answer.answer.lower()


def test_chinese_question_is_answered_in_chinese_from_a_chinese_passage(server, openai_service):
    def model(request: Request) -> str:
        assert "in Chinese" in request.text or "in Simplified Chinese" in request.text
        n, text = sentence(shown(request), "十五个成员国")
        return f"{text.rstrip('。')}[{n}]。"

    server.responder = model
    answer = openai_service.ask("RCEP有哪些成员国？", llm="openai")
    assert answer.answerable and not answer.fallback
    assert "日本" in answer.answer and "[1]" in answer.answer
    assert answer.citations[0].doc_id == "2021-12-rcep-implementation-zh"


def test_chinese_question_the_model_refuses_gets_the_chinese_refusal(server, openai_service):
    server.responder = lambda request: "文件中没有提及这个问题。"
    answer = openai_service.ask("RCEP有哪些成员国？", llm="openai")
    assert len(answer_requests(server)) == 1
    assert not answer.answerable and answer.citations == []
    assert "文件中没有" in answer.answer
