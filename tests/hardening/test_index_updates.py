"""Publishing a new index version while the service is busy, and a build killed halfway.

Queries keep using the version they started on and move to the new one once it is
published (``current`` symlink swap), so none fails; a build killed with SIGKILL leaves
the previous version serving and the next build completes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from index.build import build_index
from index.store import CURRENT, IndexReader, current_version
from qa.app import create_app
from qa.service import Service
from core.settings import REPO_ROOT
from tests.conftest import write
from tests.hardening.conftest import with_settings
from tests.live import running

NEW_DOC = """---
title: "Quokka Island tariff-free zone for marine robotics"
date: 2024-03-01
language: en
---

# Quokka Island tariff-free zone for marine robotics

The Quokka Island zone exempts imported marine robotics parts from customs duty from 1 March 2024.
Operators in the zone may re-export underwater drones without an export licence.
"""
NEW_QUERY = "Quokka Island marine robotics customs duty"


@pytest.fixture
def own_index(tmp_path, corpus_settings):
    """A corpus and index of our own to change, copied from the session's."""
    shutil.copytree(corpus_settings.corpus_dir, tmp_path / "corpus")
    shutil.copytree(corpus_settings.index_dir, tmp_path / "index", symlinks=True)
    return with_settings(corpus_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


class Load:
    """Threads posting searches and questions until stopped, recording every outcome."""

    def __init__(self, url: str, threads: int = 3):
        self.url, self.stop = url, threading.Event()
        self.outcomes: list[int | str] = []  # status codes, or the transport error
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, n: int) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while not self.stop.is_set():
                status: int | str
                try:
                    if n % 2:
                        status = client.post("/api/ask", json={"question": "What did RCEP members sign?"}).status_code
                    else:
                        status = client.post("/api/search", json={"query": "China-Europe freight trains"}).status_code
                except httpx.HTTPError as exc:
                    status = repr(exc)
                self.outcomes.append(status)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def wait_for(self, count: int) -> None:
        while len(self.outcomes) < count:
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def top_doc(client: httpx.Client, query: str) -> str:
    return client.post("/api/search", json={"query": query, "k": 1}).json()["results"][0]["doc_id"]


def test_reindex_under_load_fails_no_query_and_serves_the_change(own_index, embedder):
    service = Service(own_index, embedder)
    with running(create_app(own_index, service)) as url, httpx.Client(base_url=url, timeout=120) as client:
        before = client.get("/healthz").json()["index"]["version"]
        assert "quokka" not in top_doc(client, NEW_QUERY)
        with Load(url) as load:
            load.wait_for(6)
            write(own_index.corpus_dir / "2024-03-01-quokka-zone-en.md", NEW_DOC)
            report = client.post("/api/reindex")
            assert report.status_code == 200 and report.json()["added"] == ["2024-03-01-quokka-zone-en"]
            load.wait_for(len(load.outcomes) + 6)  # and more queries on the new version
        assert load.outcomes and set(load.outcomes) == {200}, [o for o in load.outcomes if o != 200]
        assert client.get("/healthz").json()["index"]["version"] != before
        assert top_doc(client, NEW_QUERY) == "2024-03-01-quokka-zone-en"
        answer = client.post("/api/ask", json={"question": "Which zone exempts marine robotics parts from duty?"})
        assert "Quokka" in answer.json()["answer"]


def test_a_build_in_another_thread_is_picked_up_without_failing_queries(own_index, embedder):
    service = Service(own_index, embedder)
    rcep = next(own_index.corpus_dir.glob("2020-11-15-rcep-signed-en.md"))
    with running(create_app(own_index, service)) as url, httpx.Client(base_url=url, timeout=120) as client:
        assert top_doc(client, "RCEP signed by fifteen Asia-Pacific economies") == rcep.stem
        with Load(url) as load:
            load.wait_for(6)
            rcep.unlink()
            builder = threading.Thread(target=build_index, args=(own_index, embedder), kwargs={"progress": False})
            builder.start()
            builder.join()
            load.wait_for(len(load.outcomes) + 6)
        assert set(load.outcomes) == {200}, [o for o in load.outcomes if o != 200]
        assert rcep.stem not in {r["doc_id"] for r in client.post(
            "/api/search", json={"query": "RCEP signed by fifteen Asia-Pacific economies", "k": 10}).json()["results"]}
        assert client.get(f"/api/documents/{rcep.stem}").status_code == 404


def synthetic_documents(folder: Path, count: int) -> None:
    words = ["tariff", "quota", "licence", "customs", "port", "freight", "bonded", "zone", "pilot", "services",
             "investment", "procurement", "subsidy", "drawback", "origin", "certificate", "inspection", "logistics"]
    for i in range(count):
        sentences = [" ".join(words[(i + j * 7 + k) % len(words)] for k in range(16)).capitalize() + "."
                     for j in range(30)]
        write(folder / f"synthetic-{i:03d}-en.md", f'---\ntitle: "Synthetic notice {i}"\ndate: 2023-01-01\n'
              f"language: en\n---\n\n# Synthetic notice {i}\n\n" + "\n\n".join(
                  " ".join(sentences[p:p + 5]) for p in range(0, 30, 5)))


def qa_index_build(settings) -> subprocess.Popen:
    env = os.environ | {"QA_CORPUS_DIR": str(settings.corpus_dir), "QA_INDEX_DIR": str(settings.index_dir),
                        "QA_EMBEDDING_MODEL": settings.embedding_model}
    return subprocess.Popen([str(REPO_ROOT / ".venv" / "bin" / "qa"), "index", "build"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_build_killed_while_writing_leaves_the_old_index_serving(own_index, embedder):
    index_dir = own_index.index_dir
    live = current_version(index_dir)
    query = "cross-border e-commerce pilot zones"
    before = [p.chunk_id for p in Service(own_index, embedder).search(query, 5)]
    synthetic_documents(own_index.corpus_dir, 12)

    # Kill at the worst moment: the new version folder is being written.
    build = qa_index_build(own_index)
    deadline = time.monotonic() + 600
    while build.poll() is None and time.monotonic() < deadline:
        if any(entry.name.startswith(".building-") for entry in os.scandir(index_dir)):
            build.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    assert build.wait(timeout=60) == -signal.SIGKILL, "the build finished before it could be killed"
    build.communicate()  # closes its pipes

    assert (index_dir / CURRENT).is_symlink() and current_version(index_dir) == live
    reader = IndexReader.open(index_dir, own_index.embedding_model)
    assert reader.version == live and reader.chunk_count() > 0
    assert [p.chunk_id for p in Service(own_index, embedder).search(query, 5)] == before

    rerun = qa_index_build(own_index)
    out, err = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, err
    assert "added 12" in out
    published = current_version(index_dir)
    assert published != live
    assert not any(entry.name.startswith(".building-") for entry in os.scandir(index_dir))
    results = Service(own_index, embedder).search("Synthetic notice 3 bonded zone drawback", 10, mode="bm25")
    assert any(p.doc_id.startswith("synthetic-") for p in results)
