"""The serving side's state in one object: the live index, the embedder and the LLMs.

Plain methods that the HTTP routers, the CLI, Slack and tests all call. The index is
re-opened when a new version is published (``qa index build`` or ``/api/reindex``),
without blocking queries: they keep using the old version until the new one is loaded.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Generator
from pathlib import Path

from core.errors import LLMUnavailable, NotFound, QAError
from core.settings import Settings
from index.build import BuildReport, build_index
from index.embedding import Embedder, shared_embedder
from index.store import IndexReader, current_version
from qa import pipeline
from qa.answer_types import Answer
from qa.events import Event, Final
from qa.llm import LLM, create_llm, judge_name, resolve_name, translator_name
from qa.passages import Passage
from qa.prompts import translate_prompt
from qa.ranking import RankedSentence, SentenceRanker, by_best_sentence
from qa.retrieval import Retriever
from qa.semantics import Semantics
from qa.verification import ClaimChecker
from textkit.gloss import chinese_for, readings
from textkit.language import language_of
from textkit.numbers import quantities, supported
from textkit.sentences import clauses
from textkit.terms import chinese_names

log = logging.getLogger(__name__)
TRANSLATE_TOKENS = 64  # a question's English rendering
# How much better the best sentence found with a Chinese question's own words must score
# than the one found with its rendering beside them for the own words' search to stand
# (hit@1 over 171 Chinese questions of eight sets: 0.901 -> 0.924; 0.918 at 0.1 to 0.2).
OWN_WORDS_MARGIN = 0.05
_MARKER = re.compile(r"\[\d+\]")
_SPACES = re.compile(r"\s+")
_FRAMING = re.compile(r"\b(?:translat\w*|in English)\b", re.IGNORECASE)
_QUOTED = re.compile(r'["“]([^"”]+)(?:["”]|$)')


class Service:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or shared_embedder(settings.embedding_model, settings.embed_batch_size)
        self._retriever: Retriever | None = None
        self._version: Path | None = None
        self._swap = threading.Lock()
        self._llms: dict[str, LLM] = {}
        self._llm_lock = threading.Lock()
        self.semantics = Semantics(self.embedder, lambda: self.retriever().reader.centring)
        self.ranker = SentenceRanker(self.semantics)
        self.checker = ClaimChecker(settings, self.semantics)

    # --- index ---
    def retriever(self) -> Retriever:
        """The retriever over the newest published version; swaps in a new one when it
        appears. Only one thread loads; the others keep answering from the old one."""
        version = current_version(self.settings.index_dir)
        if self._retriever is not None and (version is None or version == self._version):
            return self._retriever
        if self._retriever is not None and not self._swap.acquire(blocking=False):
            return self._retriever
        if self._retriever is None:
            self._swap.acquire()
        try:
            version = current_version(self.settings.index_dir)
            if self._retriever is None or version != self._version:
                reader = IndexReader.open(self.settings.index_dir, self.settings.embedding_model)
                self._retriever = Retriever(reader, self.embedder, candidates=self.settings.candidates,
                                            rrf_k=self.settings.rrf_k, lists=tuple(self.settings.retrievers),
                                            bm25_weight=self.settings.bm25_weight,
                                            questions=self.semantics.search)
                self._version = reader.version
                self.semantics.forget()
                log.info("index loaded: version=%s chunks=%d", reader.version.name, reader.chunk_count())
        finally:
            self._swap.release()
        return self._retriever

    def search(self, query: str, k: int | None = None, mode: str = "hybrid") -> list[Passage]:
        """Passages for a query: hybrid search is ordered by best sentence (``find``); a single
        retriever's list (``mode``, for evaluation) comes as that retriever ranks it."""
        if mode == "hybrid":
            return self.find(query, k)[0]
        if mode == "translated":
            return self.find_either(query, self.rendering(query), k)[0]
        return self.retriever().search(query, k or self.settings.top_k, mode=mode)

    def rendering(self, question: str) -> str:
        """A Chinese question's English rendering, which answers search and rank with beside
        its own words (``qa.pipeline.translate`` says why); "" when the question is English,
        no translator is set, or the translator fails."""
        translator = self.translator()
        if translator is None or not self.translates(question):
            return ""
        try:
            english = "".join(translator.stream(translate_prompt(question), max_tokens=TRANSLATE_TOKENS))
        except LLMUnavailable as exc:
            log.warning("translator %s failed (%s); searching with the question alone", translator.name, exc)
            return ""
        return _invented_figures_cut(_translation_in(english), question)

    def translates(self, question: str) -> bool:
        """Whether the question gets a rendering: it is Chinese and a translator is set."""
        return language_of(question) == "zh" and self.translator() is not None

    def find(self, query: str, k: int | None = None, rendering: str = "") -> tuple[list[Passage], list[RankedSentence]]:
        """The passages hybrid search finds, in the order of their best sentence, and every
        sentence of them ranked: what the search API shows and what answers are made of. A
        rendering is searched as ``Retriever.search`` says; sentences are ranked against the
        question and its rendering as one text."""
        retriever = self.retriever()
        k = k or self.settings.top_k
        pool = retriever.search(query, max(k, self.settings.rerank_pool), rendering=rendering)
        read = f"{query} {rendering}" if rendering else query
        passages, ranked = by_best_sentence(pool, self.ranker.rank(read, pool, retriever))
        return passages[:k], [sentence for sentence in ranked if sentence.passage < k]

    def find_either(self, question: str, rendering: str, k: int | None = None,
                    own: tuple[list[Passage], list[RankedSentence]] | None = None
                    ) -> tuple[list[Passage], list[RankedSentence]]:
        """``find`` with the question's rendering, unless the question's own words alone find
        a sentence that scores clearly better. A rendering can pull the search away from a
        Chinese passage that answers in the question's own words: "What direction does the
        Expo hope to develop?" lost 使其更加国际化、专业化 (0.40 with the question alone) to
        English sentences scoring 0.19, and a Chinese brief's 中欧班列 figures to the English
        one's. ``own`` is what ``find`` found with the own words already (the pipeline
        searches them while the model translates), so they are not searched again."""
        found = self.find(question, k, rendering)
        if not rendering:
            return found
        own = own or self.find(question, k)
        best = found[1][0].score if found[1] else float("-inf")
        return own if own[1] and own[1][0].score > best + OWN_WORDS_MARGIN else found

    def documents(self) -> list[dict]:
        return self.retriever().reader.documents()

    def document(self, doc_id: str) -> dict:
        doc = self.retriever().reader.document(doc_id)
        if doc is None:
            raise NotFound(f"no document with id {doc_id!r}")
        return doc

    def reindex(self) -> BuildReport:
        report = build_index(self.settings, self.embedder, progress=False)
        self.retriever()
        return report

    def index_info(self) -> dict:
        reader = self.retriever().reader
        return {"version": reader.version.name, "chunks": reader.chunk_count(),
                "documents": len(reader.manifest["documents"]), "model": reader.manifest["model"]}

    # --- start-up ---
    def warm(self, llm: str | None = None, *, background: bool = True) -> None:
        """Load now what the first question would otherwise wait seconds for: the index and
        its sentence vectors (``warm_index``), the generator, the judge and the translator."""
        self.warm_index(background=background)
        try:
            self.llm(llm).warm()
        except QAError as exc:
            log.error("LLM %s not ready, answers fall back to extractive: %s", llm or self.settings.llm, exc)
        for role, helper in (("judge", self.judge), ("translator", self.translator)):
            try:
                backend = helper()
                if backend is not None:
                    backend.warm()
            except QAError as exc:
                log.error("%s not ready, answers go on without it: %s", role, exc)

    def warm_index(self, *, background: bool = True) -> None:
        """The index, the embedding model and the Chinese dictionaries; then the sentence
        vectors that search and the extractive ranking read, in the background by default."""
        try:
            retriever = self.retriever()
            retriever.search("warm up 预热", 1)
            chinese_names("预热")  # jieba's part-of-speech tables (the name check), half a second
            readings()  # CC-CEDICT: the gloss and the pinyin the name check reads, two seconds once
            chinese_for("China")  # its senses read backwards, for 中哈 in "China-Kazakhstan": 0.1 s
        except QAError as exc:
            log.error("index not ready: %s", exc)
            return
        if not self.settings.preload_sentences:
            return
        if background:
            threading.Thread(target=self._preload, args=(retriever.reader,), name="preload", daemon=True).start()
        else:
            self._preload(retriever.reader)

    def _preload(self, reader: IndexReader) -> None:
        """Hand the ranker the sentence vectors the index already holds, then embed the
        items of its long list sentences (``qa.ranking``), as many as the cache has room
        for: without them the first question on a passage waited for its items."""
        started = time.perf_counter()
        try:
            texts, vectors = reader.sentence_vectors(self.settings.preload_sentences)
            held = self.semantics.remember(texts, vectors)
            total = self.semantics.prefill([item for text in texts for item in clauses(text)])
        except Exception:  # a cache warm-up: a failure costs speed, never an answer
            log.exception("sentence preload stopped")
            return
        log.info("preloaded %d sentence vectors, then embedded %d list items: %d held, in %.1f s", held, total - held,
                 total, time.perf_counter() - started)

    # --- answers ---
    def llm(self, name: str | None = None) -> LLM:
        name = resolve_name(self.settings, name)
        with self._llm_lock:
            if name not in self._llms:
                self._llms[name] = create_llm(self.settings, name)
            return self._llms[name]

    def judge(self) -> LLM | None:
        """The backend that confirms the quotes answer (QA_JUDGE), or None."""
        name = judge_name(self.settings)
        return self.llm(name) if name else None

    def translator(self) -> LLM | None:
        """The generative backend that renders Chinese questions in English (QA_TRANSLATE), or None."""
        name = translator_name(self.settings)
        backend = self.llm(name) if name else None
        return backend if backend is not None and backend.generative else None

    def ask(self, question: str, history: list[dict] | None = None, k: int | None = None,
            llm: str | None = None) -> Answer:
        for event in self.ask_stream(question, history, k, llm):
            if isinstance(event, Final):
                return event.answer
        raise RuntimeError("the answer pipeline ended without an answer")

    def ask_stream(self, question: str, history: list[dict] | None = None, k: int | None = None,
                   llm: str | None = None) -> Generator[Event, None, None]:
        """Events (qa.events): Meta, EvidenceFound, Token*, then Final."""
        yield from pipeline.run(self, question, history or [], k or self.settings.top_k, llm)

    def close(self) -> None:
        """Release what the backends hold (HTTP connections, model memory)."""
        with self._llm_lock:
            for backend in self._llms.values():
                backend.close()
            self._llms.clear()


def _translation_in(reply: str) -> str:
    """The translation in the translator's reply, without the [n] the answer's system prompt
    asks of every sentence and without the framing the 1.5B model adds to one reply in
    eight: 'The question "..." translates to English as "..."' (the last quote is the
    translation), or "The translation of the question into English is:" with the
    translation on the next line (nothing when there is none). The framing's words
    (question, translation, English) were searched too, and the first line alone was the
    framing with nothing after it."""
    lines = [line for line in (_MARKER.sub(" ", raw).strip() for raw in reply.splitlines()) if line]
    if not lines:
        return ""
    if lines[0].endswith(":"):
        return lines[1] if len(lines) > 1 else ""
    if _FRAMING.search(lines[0]) and (quoted := _QUOTED.findall(lines[0])):
        return quoted[-1].strip()
    return lines[0]


def _invented_figures_cut(english: str, question: str) -> str:
    """The rendering without figures the question does not have. Asked "how many" or
    "when", the 1.5B model often answers instead of translating ("There were 3,000
    companies at the third CIIE"): its words still find the sentence that answers (a
    prompt that stopped the answering lost hit@1), its made-up figure must not."""
    asked = quantities(question)
    for q in sorted(quantities(english), key=lambda q: -q.span[0]):
        written = english[q.span[0]:q.span[1]]  # "14th Five-Year Plan" renders 十四五: a name, kept
        if q.kind != "ordinal" and any(ch.isdigit() for ch in written) and not supported(q, asked):
            english = english[:q.span[0]] + english[q.span[1]:]
    return _SPACES.sub(" ", english).strip()
