"""The `qa` command: the real executable for building and for bad input, `qa.cli.main`
in-process (same code, without reloading the model) for search, ask and eval."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import main
from core.settings import REPO_ROOT
from tests.conftest import write

QA = str(Path(sys.executable).parent / "qa")


def run_qa(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    return subprocess.run([QA, *args], env=clean | env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture
def shipped_env(corpus_settings, monkeypatch):
    monkeypatch.setenv("QA_INDEX_DIR", str(corpus_settings.index_dir))
    monkeypatch.setenv("QA_CORPUS_DIR", str(corpus_settings.corpus_dir))
    monkeypatch.setenv("QA_LLM", "extractive")
    monkeypatch.setenv("QA_FEEDBACK_DB", str(corpus_settings.feedback_db))


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_build_then_status_with_the_real_executable(tmp_path):
    corpus = tmp_path / "docs"
    write(corpus / "grain.md", "---\ntitle: Grain Quotas\n---\n\n# Grain Quotas\n\nWheat import quotas rise in 2025.")
    write(corpus / "ports.txt", "Berth fees for bulk carriers stay unchanged.")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    env = {"QA_INDEX_DIR": str(tmp_path / "index")}

    built = run_qa("index", "build", "--corpus", str(corpus), "--json", env=env)
    assert built.returncode == 0, built.stderr
    report = json.loads(built.stdout)
    assert report["documents"] == 2 and report["chunks_embedded"] == report["chunks"] >= 2
    assert report["errors"][0]["path"] == "broken.pdf"
    assert "skipped broken.pdf:" in built.stderr

    status = run_qa("index", "status", "--corpus", str(corpus), "--json", env=env)
    assert status.returncode == 0, status.stderr
    info = json.loads(status.stdout)
    assert info["built"] and info["documents"] == 2 and info["stale"] is None and info["model_matches"]
    assert info["version"] == report["version"]


def test_index_build_reports_incremental_work_in_its_summary(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "docs"
    write(corpus / "a.md", "# A\n\nFirst document about grain.")
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    code, out, _ = run_main(capsys, "index", "build", "--corpus", str(corpus))
    assert code == 0 and "indexed 1 documents" in out and "added 1" in out
    write(corpus / "b.md", "# B\n\nSecond document about cotton.")
    code, out, _ = run_main(capsys, "index", "build", "--corpus", str(corpus))
    assert code == 0 and "added 1" in out and "unchanged 1" in out
    code, out, _ = run_main(capsys, "index", "status", "--corpus", str(corpus))
    assert code == 0 and "documents: 2" in out and "stale: None" in out


def test_status_of_a_missing_index_exits_non_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "none"))
    code, out, _ = run_main(capsys, "index", "status", "--json")
    assert code != 0 and json.loads(out)["built"] is False


def test_search_json_lists_ranked_passages(shipped_env, capsys):
    code, out, _ = run_main(capsys, "search", "When was the Law on the Hainan Free Trade Port passed?", "-k", "5",
                            "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "When was the Law on the Hainan Free Trade Port passed?"
    results = data["results"]
    assert [r["rank"] for r in results] == [1, 2, 3, 4, 5]
    for r in results:
        assert {"rank", "score", "chunk_id", "doc_id", "title", "source_url", "text", "scores", "start",
                "end"} <= set(r)
    assert results[0]["doc_id"] == "2021-06-10-hainan-free-trade-port-law-en"
    assert "10 June 2021" in results[0]["text"]
    assert results[0]["source_url"].startswith("http")


def test_search_text_output_is_readable(shipped_env, capsys):
    code, out, _ = run_main(capsys, "search", "Canton Fair online", "-k", "2")
    assert code == 0 and out.startswith("1. [") and "\n\n2. [" in out


def test_eval_retrieval_prints_hit_rates_overall_and_per_kind_and_language(shipped_env, tmp_path, capsys):
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"question": "When was the Law on the Hainan Free Trade Port passed?", "kind": "factual", "lang": "en",
         "evidence": ["passed the Law on the Hainan Free Trade Port on 10 June 2021"]},
        {"question": "How was the 127th Canton Fair held?", "kind": "factual", "lang": "en",
         "evidence": ["The 127th session ran on the internet"]},
        {"question": "中欧班列2020年运送了多少集装箱？", "kind": "related", "lang": "zh",
         "evidence": ["1.14 million twenty-foot equivalent units", "约114万标准箱"]},
        {"question": "Who won the 2018 FIFA World Cup?", "kind": "unanswerable", "lang": "en", "evidence": []},
    ]) + "\n", encoding="utf-8")
    code, out, _ = run_main(capsys, "eval", "retrieval", str(questions))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "== questions =="
    assert lines[1].split()[:5] == ["group", "n", "hit@1", "hit@5", "mrr"]
    assert {"all", "kind=factual", "kind=related", "lang=en", "lang=zh"} <= {line.split()[0] for line in lines[2:-1]}

    code, out, _ = run_main(capsys, "eval", "retrieval", str(questions), "--json")
    metrics = json.loads(out)["questions"]["metrics"]
    assert metrics["all"]["n"] == 3  # the unanswerable question has no evidence to find
    assert metrics["lang=en"]["hit@5"] == 1.0 and metrics["lang=zh"]["hit@5"] == 1.0
    assert 0 < metrics["all"]["mrr"] <= 1


def test_ask_json_answers_with_citations(shipped_env, capsys):
    code, out, _ = run_main(capsys, "ask", "When was the Law on the Hainan Free Trade Port passed?",
                            "--llm", "extractive", "--json")
    assert code == 0
    answer = json.loads(out)
    assert answer["answerable"] and "10 June 2021" in answer["answer"]
    assert answer["llm"] == "extractive"
    assert answer["citations"][0]["doc_id"] == "2021-06-10-hainan-free-trade-port-law-en"


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("qa: error: ")
    return lines[0]


def test_missing_corpus_folder_is_one_error_line(tmp_path):
    line = one_error_line(run_qa("index", "build", "--corpus", str(tmp_path / "nope"),
                                 env={"QA_INDEX_DIR": str(tmp_path / "index")}))
    assert "corpus folder not found" in line


def test_missing_index_is_one_error_line(tmp_path):
    line = one_error_line(run_qa("search", "tariffs", env={"QA_INDEX_DIR": str(tmp_path / "none")}))
    assert "qa index build" in line


def test_empty_query_is_one_error_line(corpus_settings):
    line = one_error_line(run_qa("search", "  ", env={"QA_INDEX_DIR": str(corpus_settings.index_dir)}))
    assert "empty" in line


@pytest.mark.parametrize(("content", "message"), [
    ('{"question": "ok"}\n{not json\n', "line 2: not JSON"),
    ('{"kind": "factual"}\n', "needs a 'question'"),
    ("\n\n", "has no questions"),
])
def test_malformed_eval_file_is_one_error_line(corpus_settings, tmp_path, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    line = one_error_line(run_qa("eval", "retrieval", str(bad), env={"QA_INDEX_DIR": str(corpus_settings.index_dir)}))
    assert message in line


def test_missing_eval_file_is_an_error(shipped_env, tmp_path, capsys):
    code, _, err = run_main(capsys, "eval", "retrieval", str(tmp_path / "none.jsonl"))
    assert code != 0 and err.startswith("qa: error: no such file")
