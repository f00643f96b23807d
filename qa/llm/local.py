"""llama.cpp in-process: the default generator when llama-cpp-python is installed.

The model loads lazily, once, under a lock (a llama context is not thread-safe, so
generation is serialised too). The timeout is checked between tokens and while waiting
for the lock; a stuck call surfaces as LLMTimeout and the pipeline falls back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

from qa.errors import LLMTimeout, LLMUnavailable
from qa.llm import Prompt
from qa.llm.model_files import ensure_packaged_model
from qa.settings import Settings

log = logging.getLogger(__name__)


class LocalLLM:
    name = "local"

    def __init__(self, settings: Settings):
        self.settings = settings
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise LLMUnavailable("llama-cpp-python is not installed (pip install -e '.[local]')") from exc
        path = self.settings.llm_model_path or ensure_packaged_model(self.settings.llm_cache_dir)
        if not path.is_file():
            raise LLMUnavailable(f"GGUF model file {path.name!r} not found")
        started = time.perf_counter()
        try:
            model = Llama(model_path=str(path), n_ctx=self.settings.llm_context,
                          n_threads=self.settings.llm_threads, n_batch=512, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise LLMUnavailable(f"cannot load GGUF model {path.name!r}: {exc}") from exc
        log.info("local LLM loaded: %s in %.1f s", path.name, time.perf_counter() - started)
        return model

    def warm(self) -> None:
        """Load the model now (the app's start-up), not during the first question."""
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def stream(self, prompt: Prompt, *, max_tokens: int) -> Iterator[str]:
        deadline = time.monotonic() + self.settings.llm_timeout
        if not self._lock.acquire(timeout=self.settings.llm_timeout):
            raise LLMTimeout("the local model is busy; timed out waiting for it")
        try:
            if self._model is None:
                self._model = self._load()
            chunks = self._model.create_chat_completion(
                prompt.messages, stream=True, temperature=0.0, max_tokens=max_tokens)
            for chunk in chunks:
                if time.monotonic() > deadline:
                    raise LLMTimeout(f"the local model took longer than {self.settings.llm_timeout:g} s")
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece
        finally:
            self._lock.release()
