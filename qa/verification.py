"""Does this passage support this claim? The one place that decides, claim by claim.

Sharing words is not support: "the trains did not carry 1.14 million TEU" shares every
word with its source. So a claim is aligned with the passage sentence(s) it restates and
must pass each named check below; the first that fails names the reason ("number",
"entity", "negation", "antonym", "order", "unsupported", "low-similarity"). A claim
quoted verbatim passes unchanged. Thresholds are ``Settings.verify_*`` fields.

Across languages (a Chinese claim about an English passage) words cannot be compared
one by one: figures, names, negation and direction are still compared (they are
normalised across languages in ``textkit``), and meaning is judged by the centred
multilingual embedding (:class:`qa.semantics.Semantics`). Word order is only compared
within one language. This module decides; it does not rewrite answers (qa/citations.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.settings import Settings
from qa.planted import blanked
from qa.semantics import Semantics
from textkit.gloss import bilingual_terms, gloss
from textkit.language import CJK_RUN, has_cjk
from textkit.names import mentions, names
from textkit.numbers import quantities, supported
from textkit.polarity import directions, negations
from textkit.sentences import sentence_spans
from textkit.terms import fold, jieba_segmenter, terms
from textkit.tokens import Token, tokens

_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"^[\s\"'“”‘’「」]+|[\s.。!！?？;；:：,，\"'“”‘’「」]+$")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en)\s+by\b|[被由]", re.I)
# Latin letters only: in "RCEP达到门槛" the name is RCEP (\w would take the Chinese too).
_CAPITALISED = re.compile(r"(?<![A-Za-z0-9'])[A-Z][A-Za-z0-9]*(?:-[A-Z][A-Za-z0-9]*)*")
_LATIN_WORD = re.compile(r"[A-Za-z0-9']+(?:-[A-Za-z0-9']+)*")
_CALENDAR = frozenset(["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
_CLAUSE = re.compile(r"[,;:，；：]|\s(?:but|while|whereas)\s|而是|但是?")
_RESPECTIVELY = re.compile(r"\brespectively\b|分别|依次", re.I)
_RELATIONS = frozenset(["to", "from", "than", "by", "into", "到", "至", "从", "比", "由", "被", "向"])
_FIGURE = re.compile(r"[\d.,%]+|[零〇一二两三四五六七八九十百千万亿]+")


@dataclass(frozen=True)
class Check:
    supported: bool
    reason: str = ""  # empty when supported
    score: float = 0.0  # how well the passage supports the claim: ranks supporting passages
    span: tuple[int, int] = (0, 0)  # the passage sentence the claim restates


@dataclass(frozen=True)
class _Sentence:
    span: tuple[int, int]
    text: str
    cover: frozenset[str]  # content terms, a Chinese sentence's English gloss included


class ClaimChecker:
    """Built once per service: ``check(claim, passage)`` for each answer sentence and
    passage; sentence vectors come from the shared, cached :class:`Semantics`."""

    def __init__(self, settings: Settings, semantics: Semantics):
        self.settings = settings
        self.semantics = semantics

    def citable(self, claim: str) -> bool:
        """Enough content to cite: "Yes." or an injected "PWNED." carries nothing."""
        return len([t for t in tokens(claim)]) >= self.settings.verify_min_claim_terms

    def check(self, claim: str, passage: str, context: str = "") -> Check:
        """``context``: the passage's title and heading, where a name it leaves implicit
        ("the trains" of a paragraph titled "China-Europe freight trains …") is given.
        A sentence the passage addresses to the assistant supports nothing (``qa.planted``)."""
        passage = blanked(passage)
        sentences = _sentences(passage)
        if not sentences:
            return Check(False, "unsupported")
        verbatim = _verbatim(_EDGE.sub("", claim), sentences)
        if verbatim is not None:
            return Check(True, score=1.0, span=verbatim.span)
        if has_cjk(claim) == has_cjk(passage):
            return self._same_language(claim, passage, sentences, context)
        return self._cross_language(claim, passage, sentences, context)

    def _same_language(self, claim: str, passage: str, sentences: list[_Sentence], context: str) -> Check:
        s = self.settings
        cover, run = coverage(claim, passage)
        aligned = _align(claim, sentences)
        span = aligned[0].span
        if cover < s.verify_min_coverage:  # another subject: no use reading closer
            return Check(False, "unsupported", cover, span)
        reason = (_first_failure(claim, " ".join(x.text for x in aligned), passage, context)
                  or ("order" if not same_order(claim, aligned[0].text) else "")
                  or ("unsupported" if run >= s.verify_max_uncovered_run else ""))
        if not reason and (cover < s.verify_confident_coverage or run >= s.verify_confirm_run):
            least = s.verify_phrase_similarity if run >= s.verify_confirm_run else s.verify_min_similarity
            if self._similarity(claim, aligned) < least:
                reason = "low-similarity"
        return Check(not reason, reason, cover, span)

    def _cross_language(self, claim: str, passage: str, sentences: list[_Sentence], context: str) -> Check:
        """Aligned by meaning: the most similar sentence; its figures may also come from the
        next most similar one (a claim merging two facts: across languages the second's
        similarity says little)."""
        similarities = self.semantics.similarity([claim], [x.text for x in sentences])[0]
        ranked = similarities.argsort()[::-1][:2]
        similarity = float(similarities[ranked[0]])
        best = sentences[ranked[0]].text
        figures = " ".join(sentences[i].text for i in sorted(ranked)) if _merges(claim, best) else best
        reason = (_first_failure(claim, best, passage, context, figures)
                  or ("low-similarity" if similarity < self.settings.verify_cross_similarity else ""))
        return Check(not reason, reason, similarity, sentences[ranked[0]].span)

    def _similarity(self, claim: str, aligned: list[_Sentence]) -> float:
        texts = [x.text for x in aligned] + ([" ".join(x.text for x in aligned)] if len(aligned) > 1 else [])
        return float(self.semantics.similarity([claim], texts)[0].max())


def _merges(claim: str, best: str) -> bool:
    """Whether the claim's figures the best-aligned sentence lacks may come from the next
    one (two facts merged): only when, for each such figure's kind, that sentence states
    none of that kind or the claim also restates one of its own. Otherwise the figure
    replaced the sentence's own: "协定生效6个月后可申请加入" took its 6 from "within six
    years" next to "eighteen months" (Chinese renderings with a neighbour's figure were
    accepted 3 of 23 times, now none; faithful claims kept as before)."""
    own = quantities(best)
    found = {q: supported(q, own) for q in quantities(claim)}
    restated = {q.kind for q, ok in found.items() if ok}
    return all(q.kind in restated or all(o.kind != q.kind for o in own) for q, ok in found.items() if not ok)


# --- the checks -----------------------------------------------------------------------------

def _first_failure(claim: str, sentence: str, passage: str, context: str, figures: str = "") -> str:
    """The checks every claim passes in either language, in the order their reasons are
    reported: a changed figure says more than the words it changed. ``figures``: where
    the claim's figures may be, when wider than the sentence."""
    if not figures_found(claim, figures or sentence, passage):
        return "number"
    if not entities_found(claim, passage + "\n" + context):
        return "entity"
    if not same_polarity(claim, sentence):
        return "negation"
    if not same_direction(claim, sentence):
        return "antonym"
    return ""


def figures_found(claim: str, sentence: str, passage: str) -> bool:
    """Every figure and unit of the claim is in the sentence it restates. A year or a date
    may come from elsewhere in the passage (it is often named once, at the start), but
    not when the sentence names its own: then it is one of those."""
    near, anywhere = quantities(sentence), quantities(passage)
    dated = any(q.kind in ("year", "date") for q in near)
    return all(supported(q, anywhere if q.kind in ("year", "date") and not dated else near) for q in quantities(claim))


def entities_found(claim: str, passage: str) -> bool:
    """Every name the claim gives is in the passage, in either language (the name table);
    another capitalised English word must be in the passage or its English gloss."""
    listed = names(claim)
    if not all(mentions(name, passage) for name, _ in listed):
        return False
    inside = [span for _, span in listed] + [q.span for q in quantities(claim)]  # "US dollars" is a unit
    words = _words(passage)
    for match in _CAPITALISED.finditer(claim):
        if (match.start() == 0 and not match.group(0).isupper()) or match.group(0) in _CALENDAR:
            continue  # a sentence's first word is capitalised anyway; dates are figures
        if not any(a <= match.start() < b for a, b in inside) and match.group(0).lower() not in words:
            return False
    return True


def same_polarity(claim: str, sentence: str) -> bool:
    """Each negated clause of the claim ("did not", 未, 没有) answers a negated clause of
    the sentence about the same thing, and each negated clause of the sentence that the
    claim restates is still negated (a clause the claim leaves out may keep its "not")."""
    mine = [c for c in _CLAUSE.split(claim) if negations(c) % 2]
    theirs = [c for c in _CLAUSE.split(sentence) if negations(c) % 2]
    if any(not any(_share(a, b) for b in theirs) for a in mine):
        return False
    return not any(_restates(claim, b) and not any(_share(a, b) for a in mine) for b in theirs)


def same_direction(claim: str, sentence: str) -> bool:
    """The claim says a direction ("fewer", 下降, "restrict") more often than the sentence
    while the sentence says its opposite more often than the claim: it was flipped."""
    said, stated = directions(claim), directions(sentence)
    for (concept, side), count in said.items():
        other = (concept, "-" if side == "+" else "+")
        if count > stated.get((concept, side), 0) and stated.get(other, 0) > said.get(other, 0):
            return False
    return True


def same_order(claim: str, sentence: str) -> bool:
    """Roles are where they were: no two names or figures of the claim in the opposite
    order around a word that also stands between them in the sentence ("Vietnam hosted
    ASEAN" restating "ASEAN hosted Vietnam", "from 2025 to 2021"). Moving one phrase
    ("In 2020, X…" -> "X … in 2020") or reordering a list keeps that; a passive restating
    an active is not judged."""
    if bool(_PASSIVE.search(claim)) != bool(_PASSIVE.search(sentence)):
        return True
    mine, theirs = _unique(tokens(claim)), _unique(tokens(sentence))
    roles = [key for key, token in mine.items() if key in theirs and not token.word]
    paired = bool(_RESPECTIVELY.search(sentence))  # "A and B were X and Y respectively": a list's order is its meaning
    for i, a in enumerate(roles):
        for b in roles[i + 1:]:
            if theirs[b].start < theirs[a].start and (paired or (
                    _pivots(claim, mine[a].end, mine[b].start) & _pivots(sentence, theirs[b].end, theirs[a].start))):
                return False
    return True


def coverage(claim: str, passage: str) -> tuple[float, int]:
    """(share of the claim's words found in the passage, longest run of claim words in a
    row that are not): an added clause is a run, a synonym is one word."""
    found = [_covered(token, passage) for token in tokens(claim) if token.word]
    run = longest = 0
    for hit in found:
        run = 0 if hit else run + 1
        longest = max(longest, run)
    return (sum(found) / len(found) if found else 1.0), longest


# --- alignment and caches ---------------------------------------------------------------------

def _align(claim: str, sentences: list[_Sentence]) -> list[_Sentence]:
    """The sentence the claim restates, and a second one when the claim merges two facts
    (it adds two of the claim's terms, one of them a word), in passage order. A figure
    alone must not pull in a sentence: a wrong date would find the sentence it came from."""
    found = tokens(claim)
    hits = [{t.key for t in found if _covered(t, x.text)} for x in sentences]
    words = [{t.key for t in found if t.word} & h for h in hits]
    ranked = sorted(range(len(sentences)), key=lambda i: (len(hits[i]), len(hits[i] - words[i])), reverse=True)
    best = ranked[0]
    chosen = [best] + [i for i in ranked[1:2] if len(hits[i] - hits[best]) >= 2 and words[i] - words[best]]
    return [sentences[i] for i in sorted(chosen)]


def _unique(found: tuple[Token, ...]) -> dict[str, Token]:
    """Tokens whose key occurs once (an ambiguous one cannot be ordered), in order."""
    keys = [t.key for t in found]
    return {t.key: t for t in found if keys.count(t.key) == 1}


def _pivots(text: str, start: int, end: int) -> set[str]:
    """What stands between two terms: its content words found once in the whole text
    (names and figures left out), and a relation word ("to", "by", 到) when it stands
    alone there ("from 2021 to 2025")."""
    once = {k for k, t in _unique(tokens(text)).items() if t.word}
    between = text[start:end]
    for _, (a, b) in names(between):
        between = between[:a] + " " * (b - a) + between[b:]
    words = [fold(w) for w in re.findall(r"[a-z]+", between.lower())]
    words += [w for run in CJK_RUN.findall(between) for w in jieba_segmenter().lcut(run)]
    content = {w for w in words if w in once and not _FIGURE.fullmatch(w)}
    return content | ({w for w in words if w in _RELATIONS} if len(words) <= 2 else set())


def _restates(claim: str, clause: str) -> bool:
    """Does the claim carry at least half the words of this clause (in either language)?"""
    words = _view(clause, claim)
    return bool(words) and len(words & _view(claim, clause)) >= 0.5 * len(words)


def _share(a: str, b: str) -> bool:
    """Are two clauses about the same thing: a third of the shorter one's words in common?"""
    mine, theirs = _view(a, b), _view(b, a)
    return len(mine & theirs) >= max(1.0, 0.3 * min(len(mine), len(theirs)))


def _view(text: str, other: str) -> frozenset[str]:
    """The words of ``text`` comparable with ``other``: its own when both are in one
    language, else English (a Chinese text through its gloss)."""
    return _english(text) if has_cjk(text) != has_cjk(other) else frozenset(terms(text))


@lru_cache(maxsize=8192)
def _english(text: str) -> frozenset[str]:
    return frozenset(terms(gloss(text) if has_cjk(text) else text))


def _covered(token: Token, passage: str) -> bool:
    """Is this claim term in the passage? Figures and names by value in either language."""
    if not token.word:
        return token.key in {t.key for t in tokens(passage)}
    if has_cjk(token.key):
        return token.key in passage
    return token.key in bilingual_terms(passage)


def quoted(claim: str, passage: str) -> bool:
    """Is the claim one passage sentence's words verbatim (end punctuation aside)?"""
    return _verbatim(_EDGE.sub("", claim), _sentences(blanked(passage))) is not None


def _verbatim(claim: str, sentences: list[_Sentence]) -> _Sentence | None:
    wanted = _SPACE.sub(" ", claim)
    return next((x for x in sentences if wanted and wanted in _SPACE.sub(" ", x.text)), None)


@lru_cache(maxsize=4096)
def _words(passage: str) -> frozenset[str]:
    """Lower-cased Latin words of the passage and of its English gloss when it is Chinese,
    hyphenated ones whole and in parts (a claim may say Beijing-Tianjin-Hebei, or Hebei)."""
    text = passage + (" " + gloss(passage) if has_cjk(passage) else "")
    words = {w.lower() for w in _LATIN_WORD.findall(text)}
    return frozenset(words | {part for w in words for part in w.split("-")})


@lru_cache(maxsize=4096)
def _sentences(passage: str) -> list[_Sentence]:
    return [_Sentence((a, b), passage[a:b], bilingual_terms(passage[a:b])) for a, b in sentence_spans(passage)]
