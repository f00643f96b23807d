"""Peer baseline: LlamaIndex's default RAG retrieval on the same corpus, embedder and questions.

Default pipeline as its docs show it: ``SimpleDirectoryReader`` over the corpus folder,
the default ``SentenceSplitter``, ``VectorStoreIndex`` (in-memory, exact cosine) and the
default retriever (top-k 2), plus top-k 5 for a like-for-like hit@5. Its embedding model
is ours, handed over through LlamaIndex's ``BaseEmbedding`` (questions as queries,
nodes as passages), so the difference is the pipeline, not the model. Scored by the same
``evaluate_retrieval`` as ours. ``Settings.llm = None`` keeps it off any API.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from importlib import metadata

from bench.context import Context
from bench.report import Section, table
from bench.retrieval import evaluate_warm, ours
from index.embedding import Embedder

INSTALL = "pip install -e '.[bench]'"


def adapter(embedder: Embedder):
    """Our embedder as a LlamaIndex embedding model."""
    from llama_index.core.embeddings import BaseEmbedding
    from pydantic import PrivateAttr

    class OurEmbedding(BaseEmbedding):
        _embedder: Embedder = PrivateAttr()

        def __init__(self, embedder: Embedder):
            super().__init__(model_name=embedder.name, embed_batch_size=32)
            self._embedder = embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.encode_queries([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embeddings([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.encode_passages(texts, progress=False).tolist()

    return OurEmbedding(embedder)


def run(ctx: Context) -> Section:
    title = "Peer baseline: LlamaIndex default pipeline"
    if importlib.util.find_spec("llama_index") is None or importlib.util.find_spec("llama_index.core") is None:
        return Section(title, f"Not measured: llama-index-core is not installed (the `bench` extra: `{INSTALL}`).")
    # Without llama-index-readers-file the reader reads .md as plain text, and says so per file.
    logging.getLogger("llama_index.core.readers.file.base").setLevel(logging.ERROR)
    from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex

    Settings.llm = None  # retrieval only; never reach for OpenAI
    Settings.embed_model = adapter(ctx.embedder)
    started = time.perf_counter()
    documents = SimpleDirectoryReader(str(ctx.corpus_dir)).load_data()
    index = VectorStoreIndex.from_documents(documents)
    build_s = time.perf_counter() - started
    nodes = len(index.docstore.docs)

    peers = {2: index.as_retriever(), 5: index.as_retriever(similarity_top_k=5)}
    pipelines = {"ours, hybrid": ours(ctx, "hybrid"), "ours, dense": ours(ctx, "dense")} | {
        ("LlamaIndex, default retriever" if top_k == 2 else "LlamaIndex, top-k 5"): lambda q, k, r=r: r.retrieve(q)
        for top_k, r in peers.items()}
    results = {(name, pipeline): evaluate_warm(items, search)
               for name, items in ctx.question_sets.items() for pipeline, search in pipelines.items()}
    rows = [[name, pipeline, 2 if "default" in pipeline else 5, r["metrics"]["all"]["n"], r["metrics"]["all"]["hit@1"],
             r["metrics"]["all"]["hit@5"], r["metrics"]["all"]["mrr"], r["latency_ms_p50"]]
            for (name, pipeline), r in results.items()]
    group_rows = []
    for name in ctx.question_sets:
        mine, theirs = results[(name, "ours, hybrid")]["metrics"], results[(name, "LlamaIndex, top-k 5")]["metrics"]
        group_rows += [[name, group, mine[group]["hit@5"], theirs[group]["hit@5"]]
                       for group in mine if group.startswith(("all", "lang=", "dir="))]
    body = "\n\n".join([
        f"Same process, same corpus folder, same embedder (`{ctx.embedder.name}`), same question sets and "
        f"scorer. LlamaIndex {metadata.version('llama-index-core')}: {len(documents)} files → {nodes} nodes "
        f"(default SentenceSplitter, 1024 tokens) indexed in {build_s:.1f} s; ours: "
        f"{ctx.service.retriever().reader.chunk_count()} chunks of ≤{ctx.settings.chunk_tokens} tokens. "
        "SimpleDirectoryReader reads every file, `MANIFEST.tsv` included, and `.md` as plain text (front "
        "matter and all) since `llama-index-readers-file` is not installed. Latency: one query at a time "
        "after one warm-up search.",
        table(["set", "pipeline", "k", "n", "hit@1", "hit@k", "MRR", "search p50 ms"], rows),
        "With k=2 only two passages come back, so the default retriever's hit@k is hit@2. "
        "hit@5 by language and direction, ours (hybrid) vs LlamaIndex (k=5):",
        table(["set", "group", "ours hybrid", "LlamaIndex k=5"], group_rows),
        "Why they differ: LlamaIndex's nodes (up to 1024 of its tokens) may run past what the model reads "
        f"({ctx.embedder.max_tokens} of its tokens), one vector stands for a whole node, and a Chinese question "
        "meets English text without correcting for the offset between languages; ours chunks to the model's "
        "window, ranks chunks by their best sentence too, removes each language's offset in the shared space "
        "(centring) and fuses BM25.",
    ])
    return Section(title, body)
