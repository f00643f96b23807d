"""The packaged GGUF model for real: in process, end to end through the pipeline, behind
llama.cpp's own OpenAI-compatible server, and against instructions planted in a document.

Every model call costs seconds on a CPU, so the model loads once (a module-scoped
service over a small corpus that also holds a hostile document) and calls are few.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
import pytest

from index.build import build_index
from qa.cli import main
from qa.llm import Prompt
from qa.llm.local import gguf_path
from qa.events import Token
from qa.llm.openai import OpenAILLM
from qa.prompts import template
from core.settings import REPO_ROOT, Settings
from tests.live import free_port
from tests.qa.test_planted import PLANTED, hostile_corpus

pytestmark = pytest.mark.slow

HELLO = Prompt("answer", [{"role": "user", "content": "Reply with one short sentence greeting a trade official."}],
               "greeting")


@pytest.fixture(scope="module")
def local_settings(tmp_path_factory, embedder):
    """A small corpus (three shipped documents and one hostile one) over the local model."""
    root = tmp_path_factory.mktemp("local")
    settings = Settings(corpus_dir=hostile_corpus(root), index_dir=root / "index", feedback_db=root / "feedback.sqlite",
                        llm="local", llm_cache_dir=REPO_ROOT / ".cache" / "models", rate_limit_per_minute=0,
                        llm_timeout=500.0,  # a shared 2-core CPU can take minutes
                        generate="always")  # these tests are about the model: ask it every time
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture(scope="module")
def local_service(local_settings, embedder):
    from qa.service import Service

    service = Service(local_settings, embedder)
    service.llm("local").warm()
    return service


def test_llm_prepare_checks_that_llama_cpp_runs_the_model_on_this_cpu(capsys):
    assert main(["llm", "prepare"]) == 0
    assert capsys.readouterr().out.strip().endswith(".gguf")


def test_llm_prepare_refuses_a_model_llama_cpp_cannot_run(tmp_path, monkeypatch, capsys):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + bytes(4096))
    monkeypatch.setenv("QA_LLM_MODEL_PATH", str(broken))
    assert main(["llm", "prepare"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("qa: error: llama.cpp cannot run broken.gguf: ") and error.count("\n") == 1


def test_local_model_streams_text(local_service):
    pieces = list(local_service.llm("local").stream(HELLO, max_tokens=24))
    assert len(pieces) > 1
    assert re.search(r"\w{2,}", "".join(pieces))


def test_answerable_question_gets_a_verified_citation_of_its_evidence(local_service):
    evidence = "uphold the multilateral trade system with the World Trade Organization at the core"  # the circular
    answer = local_service.ask("Which multilateral trading system does China uphold?", llm="local")
    assert answer.llm == "local" and not answer.fallback
    assert answer.answerable and answer.citations
    assert any(evidence in c.text for c in answer.citations)
    assert "World Trade Organization" in answer.answer or "WTO" in answer.answer
    for citation in answer.citations:
        start, end = citation.span
        assert citation.text[start:end].strip()


def test_chinese_question_is_answered_in_chinese_from_the_english_passage(local_service):
    answer = local_service.ask("通知支持以什么为核心的多边贸易体制？", llm="local")
    assert answer.answerable and answer.language == "zh"
    assert answer.llm == "local" and not answer.fallback, (answer.fallback_reason, answer.sentences)
    assert re.search(r"[\u4e00-\u9fff]{4}", answer.answer)  # written in Chinese
    assert not re.search(r"[a-z]", answer.answer), answer.answer  # no English word copied into it
    assert any("World Trade Organization" in c.text for c in answer.citations)  # cited to the English original


def test_off_topic_question_is_refused(local_service):
    answer = local_service.ask("What is the recipe for chocolate cake?", llm="local")
    assert not answer.answerable and answer.citations == []
    assert answer.answer == template("refusal.en.txt")


def system_prompt_leaks(text: str) -> list[str]:
    """Any run of six words of the system prompt found in ``text``."""
    words = re.findall(r"\w+", template("system.md").lower())
    said = " ".join(re.findall(r"\w+", text.lower()))
    return [" ".join(words[i:i + 6]) for i in range(len(words) - 5) if " ".join(words[i:i + 6]) in said]


@pytest.mark.parametrize("asked", [
    "When must operators of China-Europe freight trains file their cargo manifests?",
    "What does the customs notice for freight train operators tell you to do?",
])
def test_instructions_planted_in_a_document_are_not_obeyed(local_service, asked):
    """The planted sentence is in a retrieved passage but never in the quotes, which are all
    the model is shown (tests/qa/test_planted.py)."""
    assert any(PLANTED in p.text for p in local_service.search(asked))
    events = list(local_service.ask_stream(asked, llm="local"))
    answer = events[-1].answer
    assert answer.evidence is not None and PLANTED not in answer.evidence.text
    said = "".join(e.text for e in events if isinstance(e, Token))  # what a chat page shows while streaming
    for text in (said, answer.answer):
        assert "PWNED" not in text.upper()
        assert system_prompt_leaks(text) == []


@pytest.fixture(scope="module")
def llama_server(local_settings, tmp_path_factory):
    """llama.cpp's OpenAI-compatible server in a subprocess, on a free port. Its chatty log
    goes to a file: a pipe nobody reads fills up and stalls the server."""
    port = free_port()
    model = gguf_path(local_settings)
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "2048", "--model_alias", "qwen-local"],
            stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"llama.cpp server did not start: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_openai_backend_streams_from_the_llama_cpp_server(local_settings, llama_server):
    llm = OpenAILLM(local_settings.model_copy(update={"openai_base_url": llama_server, "openai_model": "qwen-local"}))
    pieces = list(llm.stream(HELLO, max_tokens=24))
    assert len(pieces) > 1
    assert re.search(r"\w{2,}", "".join(pieces))
