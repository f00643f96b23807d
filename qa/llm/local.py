"""llama.cpp in-process: the default generator when llama-cpp-python is installed.

The model loads lazily, once, under a lock (a llama context is not thread-safe, so
generation is serialised too). The timeout is checked between tokens and while waiting
for the lock; a stuck call surfaces as LLMTimeout and the pipeline falls back.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import LLMTimeout, LLMUnavailable
from core.settings import Settings
from core.threads import spin_briefly
from qa.llm import LLM, Prompt
from qa.llm.model_files import ensure_packaged_model

if TYPE_CHECKING:
    from llama_cpp import Llama

log = logging.getLogger(__name__)

NOT_INSTALLED = "llama-cpp-python is not installed (pip install -e '.[local]')"
YES, NO = ("yes", "Yes", " yes", " Yes"), ("no", "No", " no", " No")  # how a reply starts
# What a token must not write in an answer for a reader of each language: Latin letters in a
# Chinese answer (but the acronyms its prompt uses, RCEP, CIIE), Han characters, full-width
# punctuation or a piece of a multi-byte character in an English one.
_OTHER_SCRIPT = {"zh": re.compile(rb"[A-Za-z]"),
                 "en": re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]|\ufffd".encode())}
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]*[A-Z]\b")
_CAPITALS = re.compile(r"[A-Z0-9&]+")
# A prompt long enough for batched matrix multiplies, then one generated token.
PROBE = ("import sys; from llama_cpp import Llama; "
         "Llama(model_path=sys.argv[1], n_ctx=512, verbose=False).create_completion('trade ' * 64, max_tokens=1)")


def gguf_path(settings: Settings) -> Path:
    """The model file: QA_LLM_MODEL_PATH, else the packaged GGUF (assembled on first use)."""
    path = settings.llm_model_path or ensure_packaged_model(settings.llm_cache_dir)
    if not path.is_file():
        raise LLMUnavailable(f"GGUF model file {path.name!r} not found")
    return path


def check_runs(path: Path, timeout: float = 300.0) -> None:
    """Run the GGUF for one token in a child process. A llama.cpp build that uses
    instructions this CPU cannot execute dies by a signal, which in-process would take
    the whole service down: better refused at install time with the fix."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise LLMUnavailable(NOT_INSTALLED)
    try:
        done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True,
                              timeout=timeout, check=False)  # the return code is judged below
    except subprocess.TimeoutExpired as exc:
        raise LLMUnavailable(f"llama.cpp did not answer one token of {path.name} in {timeout:g} s") from exc
    if done.returncode < 0:
        raise LLMUnavailable(
            f"llama.cpp died by {signal.Signals(-done.returncode).name} running {path.name}: llama-cpp-python "
            "was compiled for instructions this CPU cannot execute; rebuild it: rm -rf .venv && make install")
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise LLMUnavailable(f"llama.cpp cannot run {path.name}: {last}")


class LocalLLM(LLM):
    name = "local"
    generative = True

    def __init__(self, settings: Settings):
        self.settings = settings
        self._model: Llama | None = None
        self._lock = threading.Lock()
        self._banned: dict[str, np.ndarray] = {}  # per answer language: tokens of the other script
        self._capitals: dict[int, str] = {}  # tokens of capitals alone (RC, EP): parts of acronyms

    def _load(self) -> Llama:
        spin_briefly()  # before llama.cpp's libgomp loads
        try:
            from llama_cpp import Llama  # noqa: PLC0415 - optional dependency, imported only when used
        except ImportError as exc:
            raise LLMUnavailable(NOT_INSTALLED) from exc
        path = gguf_path(self.settings)
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
            self._loaded()

    @property
    def model(self) -> Llama:
        """The loaded llama.cpp model (loaded now if need be): for token counts and the
        raw-speed benchmark, which must measure the very model the answers use."""
        self.warm()
        assert self._model is not None
        return self._model

    def close(self) -> None:
        """Free the model's memory (shutdown); a later question would load it again."""
        with self._lock:
            if self._model is not None:
                self._model.close()
                self._model = None

    def yes_probability(self, prompt: Prompt) -> float | None:
        """The model's odds of "yes" against "no" for the first token of its reply. A
        logits processor sees them without keeping logits for every prompt token, and
        llama.cpp reuses the cached prefix the answer prompt shares (system, sources,
        question): judging first costs the answer little."""
        seen: list[np.ndarray] = []

        def keep(_ids: Any, logits: np.ndarray) -> np.ndarray:
            seen.append(np.array(logits, dtype=np.float64))
            return logits

        with self._locked():
            model = self._loaded()
            from llama_cpp import LogitsProcessorList  # noqa: PLC0415 - optional, present once loaded

            model.create_chat_completion(prompt.messages, max_tokens=1, temperature=0.0,  # type: ignore[arg-type]
                                         logits_processor=LogitsProcessorList([keep]))
            yes, no = self._answer_tokens(model)
        if not seen:
            raise LLMUnavailable("the local model returned no token odds")
        odds = np.exp(seen[0] - seen[0].max())
        return float(odds[yes].sum() / (odds[yes].sum() + odds[no].sum()))

    @staticmethod
    def _answer_tokens(model: Llama) -> tuple[list[int], list[int]]:
        """First tokens of the ways a reply says yes or no."""
        first = [model.tokenize(word.encode(), add_bos=False)[0] for word in YES + NO]
        return first[:len(YES)], first[len(YES):]

    def stream(self, prompt: Prompt, *, max_tokens: int) -> Iterator[str]:
        deadline = time.monotonic() + self.settings.llm_timeout
        with self._locked():
            model = self._loaded()
            # llama_cpp types messages and stream chunks as TypedDicts; ours are plain dicts.
            chunks: Iterator[dict[str, Any]] = model.create_chat_completion(  # type: ignore[assignment]
                prompt.messages, stream=True, temperature=0.0, max_tokens=max_tokens,  # type: ignore[arg-type]
                logits_processor=self._in_language(model, prompt))
            for chunk in chunks:
                if time.monotonic() > deadline:
                    raise LLMTimeout(f"the local model took longer than {self.settings.llm_timeout:g} s")
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece

    def _in_language(self, model: Llama, prompt: Prompt) -> Any:
        """An answer writes only the asker's script. Told "answer in Chinese" over English
        sources, the 1.5B model copies English words into its Chinese ("通知鼓励通过新
        technologies") or answers in English outright; with those tokens out of reach it
        translates them (tune, crosslingual: Chinese answers 0.67 -> 0.77 of all, accuracy
        unchanged). An acronym of the prompt stays writable; a name becomes 海南, not
        HAINAN. A translation for retrieval is held to English the same way. Other tasks (a
        rewritten question keeps its names) write freely."""
        if prompt.task not in ("answer", "translate"):
            return None
        from llama_cpp import LogitsProcessorList  # noqa: PLC0415 - optional, present once loaded

        lang = "zh" if prompt.lang == "zh" else "en"
        if lang not in self._banned:
            pieces = [model.detokenize([token]).decode("utf-8", "replace") for token in range(model.n_vocab())]
            self._banned[lang] = np.fromiter((bool(_OTHER_SCRIPT[lang].search(p.encode())) for p in pieces),
                                             dtype=bool, count=len(pieces))
            if lang == "zh":
                self._capitals = {token: p.strip() for token, p in enumerate(pieces) if _CAPITALS.fullmatch(p.strip())
                                  and not p.strip().isdigit()}
        banned = self._banned[lang]
        if lang == "zh":
            acronyms = " ".join(_ACRONYM.findall(" ".join(m["content"] for m in prompt.messages)))
            allowed = [token for token, text in self._capitals.items() if text in acronyms]
            banned = banned.copy()
            banned[allowed] = False

        def mask(_ids: Any, logits: np.ndarray) -> np.ndarray:
            logits[banned] = -np.inf
            return logits

        return LogitsProcessorList([mask])

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The model to oneself (a llama context is not thread-safe), or LLMTimeout."""
        if not self._lock.acquire(timeout=self.settings.llm_timeout):
            raise LLMTimeout("the local model is busy; timed out waiting for it")
        try:
            yield
        finally:
            self._lock.release()

    def _loaded(self) -> Llama:
        """The model, loaded now if need be; call with the lock held."""
        if self._model is None:
            self._model = self._load()
        return self._model
