"""The ``openai`` backend: the wire protocol through ``httpx.MockTransport`` (retries,
status codes, malformed and split streams, without sockets or sleeping), socket-level
faults against a real OpenAI-compatible server on 127.0.0.1, then the answer pipeline
driven by that server: what the model says is never trusted as is."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

import qa.llm.openai as openai_backend
from core.errors import LLMTimeout, LLMUnavailable
from core.settings import Settings
from qa.llm import Prompt
from qa.llm.openai import MAX_WAIT, OpenAILLM
from qa.alterations import ALTERATIONS, Source
from qa.events import Token
from qa.service import Service
from textkit.language import has_cjk
from tests.fakes.openai_server import Request, hang, reply, running_fake_openai, status, truncate
from tests.live import free_port

KEY = "sk-test-0123456789"
PROMPT = Prompt("answer", [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}], "Hi?")
MADE_UP = "Penguins will receive free ice cream on Mars every Tuesday."
BASE_URL = "https://llm.example/v1"


def settings(**overrides: Any) -> Settings:
    options: dict[str, Any] = {"openai_base_url": BASE_URL, "openai_api_key": KEY, "openai_model": "test-model",
               "openai_retries": 2, "llm_timeout": 10} | overrides
    return Settings(**options)


def collect(llm: OpenAILLM) -> tuple[list[str], Exception | None]:
    """Pieces streamed before any error, and the error."""
    pieces = []
    try:
        for piece in llm.stream(PROMPT, max_tokens=32):
            pieces.append(piece)
    except LLMUnavailable as exc:
        return pieces, exc
    return pieces, None


# --- the wire protocol, through a mock transport ---

Reply = httpx.Response | Callable[[httpx.Request], httpx.Response]


class Mock:
    """Answers requests with the scripted replies in turn, recording them. The last reply
    repeats, so a function may answer any number of requests; a response answers one."""

    def __init__(self, *replies: Reply):
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return answer(request) if callable(answer) else answer

    def backend(self, **overrides) -> OpenAILLM:
        return OpenAILLM(settings(**overrides), client=httpx.Client(transport=httpx.MockTransport(self)))


def chunk(content: str | None = None, finish: str | None = None) -> bytes:
    delta = {} if content is None else {"content": content}
    event = {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode()


def stream_of(text: str, *, split: int | None = None, done: bool = True) -> bytes:
    """An SSE body streaming ``text`` in 4-character pieces, finished and ``[DONE]``."""
    body = b": keep-alive\n\n" + b"".join(chunk(text[i:i + 4]) for i in range(0, len(text), 4))
    return body + (chunk(finish="stop") + b"data: [DONE]\n\n" if done else b"")


def sse(body: bytes | Iterable[bytes], status_code: int = 200) -> httpx.Response:
    content = iter(body) if not isinstance(body, bytes) else body
    return httpx.Response(status_code, headers={"content-type": "text/event-stream"}, content=content)


def error(status_code: int, retry_after: str | None = None) -> httpx.Response:
    headers = {"retry-after": retry_after} if retry_after else {}
    return httpx.Response(status_code, headers=headers, json={"error": {"message": f"mock error {status_code}"}})


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """The backoff waits the backend asked for, instead of sleeping them."""
    asked: list[float] = []
    monkeypatch.setattr(openai_backend.time, "sleep", asked.append)
    return asked


def test_request_carries_model_messages_generation_options_and_the_key():
    mock = Mock(sse(stream_of("Hi.")))
    collect(mock.backend())
    [request] = mock.requests
    assert request.url == f"{BASE_URL}/chat/completions"
    assert json.loads(request.content) == {"model": "test-model", "messages": PROMPT.messages, "stream": True,
                                           "temperature": 0, "max_tokens": 32}
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["accept"] == "text/event-stream"


def test_without_a_key_no_authorization_header_is_sent():
    mock = Mock(sse(stream_of("Hi.")))
    collect(mock.backend(openai_api_key=None))
    assert "authorization" not in mock.requests[0].headers


def test_azure_style_base_url_keeps_its_query_and_gets_the_key_header():
    mock = Mock(sse(stream_of("Hi.")))
    collect(mock.backend(openai_base_url="https://azure.example/openai/deployments/gpt4o?api-version=2024-06-01"))
    [request] = mock.requests
    assert request.url.path == "/openai/deployments/gpt4o/chat/completions"
    assert request.url.params["api-version"] == "2024-06-01"
    assert request.headers["api-key"] == KEY


def test_wrong_key_fails_at_once_with_the_status_and_without_the_key(waits):
    mock = Mock(error(401))
    pieces, failure = collect(mock.backend(openai_api_key="sk-wrong-secret"))
    assert isinstance(failure, LLMUnavailable) and "401" in str(failure)
    assert "sk-wrong-secret" not in str(failure) and "\n" not in str(failure)
    assert len(mock.requests) == 1 and waits == []


def test_rate_limited_request_is_retried_after_the_servers_delay(waits):
    mock = Mock(error(429, retry_after="2"), sse(stream_of("Second time lucky.")))
    pieces, failure = collect(mock.backend())
    assert failure is None and "".join(pieces) == "Second time lucky."
    assert len(mock.requests) == 2 and waits == [2.0]


def test_retry_after_may_be_an_http_date(waits):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    mock = Mock(error(429, retry_after=when), sse(stream_of("Later.")))
    pieces, failure = collect(mock.backend())
    assert failure is None and len(waits) == 1 and 3 <= waits[0] <= 5


def test_retry_after_is_capped(waits):
    mock = Mock(error(503, retry_after="50"), sse(stream_of("Back.")))
    pieces, failure = collect(mock.backend(llm_timeout=120))
    assert failure is None and waits == [MAX_WAIT]


def test_retry_after_beyond_the_time_budget_gives_up_instead_of_sleeping(waits):
    mock = Mock(error(429, retry_after="3600"))
    pieces, failure = collect(mock.backend(llm_timeout=5))
    assert isinstance(failure, LLMUnavailable) and "429" in str(failure)
    assert len(mock.requests) == 1 and waits == []


def test_server_errors_are_retried_with_exponential_backoff_then_reported(waits):
    mock = Mock(error(500), error(500), error(500))
    pieces, failure = collect(mock.backend(openai_retries=2))
    assert type(failure) is LLMUnavailable
    assert "500" in str(failure) and "after 3 attempts" in str(failure) and "mock error" not in str(failure)
    assert len(mock.requests) == 3 and waits == [0.5, 1.0]


def test_a_server_error_then_a_reply_is_a_normal_answer(waits):
    mock = Mock(error(502), sse(stream_of("Recovered.")))
    pieces, failure = collect(mock.backend())
    assert failure is None and "".join(pieces) == "Recovered." and waits == [0.5]


def test_refused_connections_are_retried_then_unreachable(waits):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    mock = Mock(refuse)
    pieces, failure = collect(mock.backend(openai_retries=1))
    assert type(failure) is LLMUnavailable and "cannot reach" in str(failure)
    assert len(mock.requests) == 2 and waits == [0.5]


def test_a_read_timeout_is_a_timeout_and_not_retried(waits):
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    mock = Mock(slow)
    pieces, failure = collect(mock.backend())
    assert isinstance(failure, LLMTimeout) and len(mock.requests) == 1


@pytest.mark.parametrize("line", [b"<html><body>502 Bad Gateway</body></html>", b"data: {not json", b"data: [1, 2]"])
def test_garbage_in_the_stream_is_unavailable_after_what_was_streamed(line):
    mock = Mock(sse(stream_of("Sure", done=False) + line + b"\n\n"))
    pieces, failure = collect(mock.backend())
    assert type(failure) is LLMUnavailable
    assert "".join(pieces) == "Sure" and len(mock.requests) == 1


def test_an_error_event_mid_stream_is_unavailable():
    mock = Mock(sse(stream_of("Half", done=False) + b'data: {"error": {"message": "overloaded"}}\n\n'))
    pieces, failure = collect(mock.backend())
    assert type(failure) is LLMUnavailable and "overloaded" not in str(failure)
    assert "".join(pieces) == "Half"


def test_a_stream_ending_without_a_finish_reason_is_unavailable():
    mock = Mock(sse(stream_of("The answer is", done=False)))
    pieces, failure = collect(mock.backend())
    assert type(failure) is LLMUnavailable and "".join(pieces) == "The answer is"


@pytest.mark.parametrize("size", [1, 3, 7, 64])
def test_events_split_across_network_chunks_are_reassembled(size):
    text = "Hainan 海南自由贸易港 law, passed 10 June 2021."
    body = stream_of(text)  # the Chinese characters are 3 bytes each: some splits cut them
    pieces, failure = collect(Mock(sse(body[i:i + size] for i in range(0, len(body), size))).backend())
    assert failure is None and "".join(pieces) == text


def test_crlf_lines_comments_other_fields_and_multiline_data_are_understood():
    event = json.dumps({"choices": [{"delta": {"content": "two lines"}, "finish_reason": "stop"}]}, indent=1)
    body = (b": keep-alive\r\n\r\nevent: message\r\nid: 7\r\nretry: 1000\r\n"
            + b"".join(b"data: " + line.encode() + b"\r\n" for line in event.splitlines()) + b"\r\n")
    pieces, failure = collect(Mock(sse(body)).backend())  # no [DONE]: finish_reason is enough
    assert failure is None and pieces == ["two lines"]


def test_the_last_event_needs_no_blank_line_after_it():
    body = chunk("Done", finish="stop").rstrip(b"\n")
    pieces, failure = collect(Mock(sse(body)).backend())
    assert failure is None and pieces == ["Done"]


def test_server_that_ignores_stream_and_sends_one_json_reply_still_works():
    whole = httpx.Response(200, json={"object": "chat.completion", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "All in one go."}, "finish_reason": "stop"}]})
    pieces, failure = collect(Mock(whole).backend())
    assert failure is None and pieces == ["All in one go."]


def test_the_backend_closes_the_client_it_made_and_not_an_injected_one():
    own = OpenAILLM(settings())
    own.close()
    assert own._client.is_closed
    injected = httpx.Client(transport=httpx.MockTransport(Mock(sse(stream_of("Hi.")))))
    OpenAILLM(settings(), client=injected).close()
    assert not injected.is_closed
    injected.close()


# --- socket-level faults, against a real server on 127.0.0.1 ---

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
    return OpenAILLM(settings(**{"openai_base_url": fake.base_url} | overrides))


def test_streamed_pieces_assemble_into_the_reply(server):
    server.script(reply("The circular was issued in November 2020."))
    pieces, failure = collect(backend(server))
    assert failure is None
    assert len(pieces) > 1
    assert "".join(pieces) == "The circular was issued in November 2020."
    assert server.chat_requests()[0].authorization == f"Bearer {KEY}"


def test_unreachable_server_is_unavailable_after_retries(server):
    pieces, failure = collect(backend(server, openai_base_url=f"http://127.0.0.1:{free_port()}/v1", openai_retries=1))
    assert type(failure) is LLMUnavailable and "cannot reach" in str(failure)


def test_server_that_never_answers_times_out(server):
    server.script(hang(30))
    pieces, failure = collect(backend(server, llm_timeout=1))
    assert isinstance(failure, LLMTimeout)
    assert pieces == []


def test_stream_that_stalls_midway_times_out_keeping_what_was_streamed(server):
    server.script(hang(30, after="Half an ans"))
    pieces, failure = collect(backend(server, llm_timeout=1))
    assert isinstance(failure, LLMTimeout)
    assert "".join(pieces) == "Half an ans"


def test_stream_cut_off_before_it_finished_is_unavailable_and_not_retried(server):
    server.script(truncate("The answer is"))
    pieces, failure = collect(backend(server))
    assert type(failure) is LLMUnavailable
    assert "".join(pieces) == "The answer is"
    assert len(server.chat_requests()) == 1


# --- the pipeline with the openai backend ---

@pytest.fixture(scope="module")
def openai_service(fake, corpus_settings, embedder):
    settings = corpus_settings.model_copy(update={
        "openai_base_url": fake.base_url, "openai_api_key": SecretStr(KEY), "openai_model": "test-model",
        "openai_retries": 1, "llm_timeout": 10, "generate": "always",
        # Six sentences, so a test's model can cite facts past the fourth best (what it
        # cites, and how the pipeline repairs that, is the subject here, not the ranking).
        "context_sentences": 6})
    return Service(settings, embedder)


def shown(request: Request) -> dict[int, str]:
    """The source sentences the pipeline showed the model, by number: the sources of an
    answer prompt, or the quotes a translation prompt gives after its instruction."""
    user = request.body["messages"][-1]["content"]
    if "<sources>" not in user:
        quotes: dict[int, list[str]] = {}
        for text, n, stop in re.findall(r"\s*(.+?)\s?\[(\d+)\]([.。!?！？]?)", user.rsplit("\n\n", 1)[1]):
            quotes.setdefault(int(n), []).append(text + stop)
        return {n: " … ".join(texts) for n, texts in quotes.items()}
    block = user.split("<sources>", 1)[1].split("</sources>", 1)[0]
    return {int(n): text.strip() for n, text in re.findall(r"^\[(\d+)\] (.*)$", block, re.M)}


def sentence(passages: dict[int, str], fragment: str) -> tuple[int, str]:
    """(passage number, the shown sentence containing ``fragment``)."""
    for n, text in passages.items():
        for part in text.split(" … "):
            if fragment in part:
                return n, part.strip()
    raise AssertionError(f"{fragment!r} was not shown to the model: {passages}")


def citing(fragment: str, reply: str) -> Callable[[Request], str]:
    """A model that replies ``reply`` with {n} the number of the shown sentence containing ``fragment``."""
    def model(request: Request) -> str:
        n, _ = sentence(shown(request), fragment)
        return reply.format(n=n)
    return model


def answer_requests(fake) -> list[Request]:
    return [r for r in fake.chat_requests() if not r.is_condense]


def test_wrong_citations_are_moved_to_the_supporting_passage_and_made_up_claims_dropped(server, openai_service):
    """The model restates two shown sentences of two passages, each under the other's
    number, and adds a made-up one under a third."""
    said: list[str] = []

    def model(request: Request) -> str:
        passages = shown(request)
        english = [(n, text.split(" … ")[0].strip()) for n, text in passages.items() if not has_cjk(text)]
        (n_a, a), (n_b, b) = english[:2]
        other = next((n for n in passages if n not in (n_a, n_b)), n_a)
        said[:] = [a, b]
        return f"{a} [{n_b}] {b} [{n_a}] {MADE_UP} [{other}]"  # every marker wrong

    server.responder = model
    answer = openai_service.ask("When did RCEP enter into force, and when was it signed?", llm="openai")
    assert answer.llm == "openai" and not answer.fallback and answer.answerable
    assert "Penguins" not in answer.answer
    assert [c.n for c in answer.citations] == [1, 2]
    first, second = (text.rstrip(".") for text in said)  # the marker goes before the full stop
    assert first in answer.citations[0].text and second in answer.citations[1].text
    assert answer.answer.index(first) < answer.answer.index("[1]") < answer.answer.index(second) \
        < answer.answer.index("[2]")
    for citation in answer.citations:
        start, end = citation.span
        assert citation.text[start:end] in answer.answer.replace(" [1]", "").replace(" [2]", "")


def test_a_model_that_refuses_cannot_overrule_the_answerability_decision(server, openai_service):
    server.responder = lambda request: "NOT_IN_DOCUMENTS"
    answer = openai_service.ask("How many trips did China-Europe freight trains make in 2020?", llm="openai")
    assert len(answer_requests(server)) == 1  # the model was asked, and it refused
    assert answer.answerable and "12,406" in answer.answer and answer.citations  # the quotes stand
    assert answer.fallback and "did not pass verification" in answer.fallback_reason


def test_a_verbatim_answer_that_restates_the_wrong_sentence_leaves_the_quotes(server, openai_service):
    """Every sentence is verbatim, so verification keeps it; but it gives the rule for
    taking effect, and the question asks when the agreement took effect, which the quotes
    do give."""
    def model(request: Request) -> str:
        n, rule = sentence(shown(request), "ratification by at least six")
        return f"{rule} [{n}]"

    server.responder = model
    answer = openai_service.ask("When did RCEP enter into force?", llm="openai")
    assert len(answer_requests(server)) == 1
    assert answer.answerable and answer.llm == "extractive" and "1 January 2022" in answer.answer
    assert answer.fallback and "did not give what was asked" in answer.fallback_reason
    assert [s.supported for s in answer.sentences] == [True]  # verified, and still not the answer


def test_an_answer_that_repeats_the_question_leaves_the_quotes(server, openai_service):
    """It cites a passage and says nothing the question did not: "which" stays unanswered."""
    server.responder = lambda request: "Service exports will be expanded [1]."
    answer = openai_service.ask("Which service exports will be expanded?", llm="openai")
    assert answer.answerable and answer.llm == "extractive" and "Traditional Chinese Medicine" in answer.answer
    assert answer.fallback and "did not give what was asked" in answer.fallback_reason


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
    answer = events[-1].answer
    assert "".join(e.text for e in events if isinstance(e, Token)).startswith("China-Europe freight trains made 99")
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
        assert "用中文回答" in request.text
        n, text = sentence(shown(request), "411")
        return f"{text.rstrip('。')}[{n}]。"

    server.responder = model
    answer = openai_service.ask("第三届进博会一共展示了多少项新产品、新技术和新服务？", llm="openai")
    assert answer.answerable and not answer.fallback and answer.llm == "openai"
    assert "411项" in answer.answer and "[1]" in answer.answer
    assert answer.citations[0].language == "zh"


def test_a_million_rendered_word_for_word_is_written_as_chinese_counts_and_still_verified(server, openai_service):
    """"1.8 million" rendered "1.8百万" reads as no Chinese source would write it: 180万."""
    server.responder = citing("1.8 million", "第127届网上广交会展示了约1.8百万件展品[{n}]。")
    answer = openai_service.ask("第127届网上广交会展示了多少件展品？", llm="openai")
    assert answer.answerable and not answer.fallback and answer.llm == "openai"
    assert "180万件展品" in answer.answer and "百万" not in answer.answer
    assert "1.8 million" in answer.citations[0].text


def test_english_quotes_are_translated_for_a_chinese_question_in_its_own_terms(server, openai_service):
    """Asked in Chinese over English quotes, the model translates the quotes (not answers
    from them), told the English of the question's words."""
    def model(request: Request) -> str:
        assert "<sources>" not in request.text and "译成中文" in request.text
        assert "consumer goods=消费品" in request.text  # the question's term for the quote's words
        n, _ = sentence(shown(request), "consumer goods")
        return f"应欢迎更多进口优质消费品、知识和技术密集型服务以及旅游产品[{n}]。"

    server.responder = model
    answer = openai_service.ask("通知鼓励进口哪些服务和消费品？", llm="openai")
    assert answer.answerable and not answer.fallback and answer.llm == "openai"
    assert answer.answer.startswith("应欢迎更多进口优质消费品") and "[1]" in answer.answer
    assert "consumer goods" in answer.citations[0].text


def test_a_translation_that_words_the_count_as_its_source_does_is_the_answer(server, openai_service):
    """The question counts 条 of 特别管理措施, the quote "70 special measures": its faithful
    translation says 70项特别措施, and that answers."""
    server.responder = citing("70 special measures", "它列出了11个类别中的70项特别措施，适用于外国服务提供者[{n}]。")
    answer = openai_service.ask("海南自贸港跨境服务贸易负面清单里共有多少条特别管理措施？", llm="openai")
    assert answer.answerable and not answer.fallback and answer.llm == "openai"
    assert "70项特别措施" in answer.answer


def test_a_translation_that_leaves_out_the_answering_quote_leaves_the_quotes(server, openai_service):
    server.responder = citing("first unified law", "这是中国第一部统一的出口管制法律[{n}]。")
    answer = openai_service.ask("出口管制法是哪天生效的？", llm="openai")
    assert [s.supported for s in answer.sentences] == [True]  # faithful, and not the answer
    assert answer.answerable and answer.llm == "extractive" and "1 December 2020" in answer.answer
    assert answer.fallback and "没有给出所问的内容" in answer.fallback_reason


def test_a_translation_that_loses_the_lead_quote_leaves_the_quotes(server, openai_service):
    """The lead quote names the accounts; its translation drops "without" and fails
    verification; what follows it, though faithful, does not answer."""
    def model(request: Request) -> str:
        quotes = shown(request)
        lead, _ = sentence(quotes, "securities and futures accounts")
        other, rest = next((n, part) for n, text in quotes.items() for part in text.split(" … ")
                           if "securities" not in part)
        # "without setting up a subsidiary on the mainland" lost
        unfaithful = "例如，海外个人可以在海南开证券和期货账户，外国船分类企业可以在大陆派遣人员进行船的检查"
        return f"{unfaithful}[{lead}]。{rest}[{other}]"

    server.responder = model
    # asked only which accounts, the listing lead stands so far ahead that it is quoted alone
    answer = openai_service.ask("海南跨境服务贸易负面清单对境外个人开立账户有什么规定？", llm="openai")
    assert [s.supported for s in answer.sentences] == [False, True]
    assert answer.answerable and answer.llm == "extractive" and answer.fallback
    assert "securities and futures accounts" in answer.answer and "未通过核验" in answer.fallback_reason


MIXED = "RCEP对中日两国经贸关系有什么特殊意义？"  # a Chinese quote, then an English one


def test_quotes_in_the_askers_language_stay_verbatim_and_only_the_others_are_translated(server, openai_service):
    def model(request: Request) -> str:
        quotes = shown(request)
        assert all("十五个成员国" not in text for text in quotes.values())  # the Chinese quote is not sent
        n, _ = sentence(quotes, "first free trade agreement")
        return f"对中国和日本而言，这是连接两国经济的第一个自由贸易协定[{n}]。"

    server.responder = model
    answer = openai_service.ask(MIXED, llm="openai")
    assert answer.answerable and not answer.fallback and answer.llm == "openai"
    assert answer.answer.startswith("《区域全面经济伙伴关系协定》（RCEP）于2020年11月15日")
    assert answer.answer.endswith("对中国和日本而言，这是连接两国经济的第一个自由贸易协定[2]。")
    assert [c.language for c in answer.citations] == ["zh", "en"]


def test_a_translation_that_fails_verification_leaves_the_quotes_though_one_was_kept(server, openai_service):
    server.responder = lambda request: "企鹅在南极洲主管所有出口管制[1]。"
    answer = openai_service.ask(MIXED, llm="openai")
    assert answer.answerable and answer.llm == "extractive" and "did not pass" not in answer.answer
    assert answer.fallback and "未通过核验" in answer.fallback_reason
    assert "first free trade agreement" in answer.answer  # the English quote the translation was to replace


def test_chinese_question_outside_the_documents_gets_the_chinese_refusal_without_asking(server, openai_service):
    server.responder = lambda request: "文件中没有提及这个问题。"
    answer = openai_service.ask("2018年世界杯冠军是哪个国家？", llm="openai")
    assert answer_requests(server) == []  # refused before any model call
    assert not answer.answerable and answer.citations == []
    assert "文件中没有" in answer.answer and answer.answerability.reason


# --- a lying model, end to end through the running service ---

LIES = ("negation", "antonym", "number", "entity", "addition")


@pytest.mark.parametrize("question", [
    "How many trips did China-Europe freight trains make in 2020?",
    "中欧班列2020年开行了多少列？",
])
def test_a_lying_models_altered_sentences_never_reach_the_answer(server, openai_service, question):
    """The model answers with one faithful sentence (a source sentence as shown) and, for
    every alteration that applies to it, an altered copy citing the same source."""
    told: dict[str, list[str]] = {"faithful": [], "altered": []}

    def liar(request: Request) -> str:
        sources = shown(request)
        number, text = next(iter(sources.items()))
        faithful = text.split(" … ")[0]
        source = Source(passage=faithful, other_names={"rcep", "wto", "hainan"},
                        other_sentences=[t for n, t in sources.items() if n != number])
        rng = random.Random(7)
        altered = [lie for name in LIES if (lie := ALTERATIONS[name](faithful, source, rng)) and lie != faithful]
        told["faithful"], told["altered"] = [faithful], altered
        return " ".join(f"{s.rstrip('.。')} [{number}]." for s in [faithful, *altered])

    server.responder = liar
    from qa.app import create_app
    from tests.live import running

    with running(create_app(openai_service.settings, openai_service)) as url:
        body = httpx.post(f"{url}/api/ask", json={"question": question, "llm": "openai"}, timeout=120).json()
    assert len(told["altered"]) >= 3, told  # the model really lied several ways
    assert body["llm"] == "openai" and not body["fallback"]
    said = body["answer"]
    assert told["faithful"][0].rstrip(".。")[:40] in said
    for lie in told["altered"]:
        assert lie.rstrip(".。") not in said, lie
    dropped = [s for s in body["sentences"] if not s["supported"]]
    assert len(dropped) >= len(told["altered"]) - 1 and all(s["reason"] for s in dropped)
