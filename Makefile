# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# torch is pinned to the CPU build that ships on this machine's disk; a loose pin pulls CUDA.
TORCH  := torch==2.13.0
STAMP  := $(VENV)/.installed
# llama.cpp is compiled for this CPU, minus AMX: VMs list AMX in cpuinfo yet the kernel
# refuses the tile state, and the first matrix multiply dies with SIGILL. No pip cache:
# it would hand back a wheel compiled on another machine, for another CPU.
ifeq ($(shell uname -m),x86_64)
NO_AMX := -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
endif

.PHONY: install index run lint test test-quick bench browser clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	CMAKE_BUILD_PARALLEL_LEVEL=2 CFLAGS='$(NO_AMX)' CXXFLAGS='$(NO_AMX)' \
	  $(BIN)/pip install -q --no-cache-dir -e '.[local,test,qdrant]'
	$(BIN)/qa llm prepare
	touch $@

# Incremental: re-embeds only added or changed documents, a no-op when nothing changed.
index: install
	$(BIN)/qa index build

run: index
	$(BIN)/qa serve

# Headless Chromium for the end-to-end tests, and a CJK font so Chinese renders in screenshots.
browser:
	@(command -v chromium >/dev/null && fc-list | grep -qi wenquanyi) || \
	  (apt-get update -q && apt-get install -y -q chromium chromium-driver fonts-wqy-microhei)

# Lint, types and dead code: zero findings, so a new one stands out (configured in pyproject.toml).
lint: install
	$(BIN)/ruff check . && $(BIN)/mypy core textkit index qa && $(BIN)/vulture core textkit index qa --min-confidence 80

test: install lint browser
	$(BIN)/python -m pytest -ra

test-quick: install lint
	$(BIN)/python -m pytest -ra -m "not slow"

bench: install
	$(BIN)/pip install -q -e '.[bench,qdrant]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data .cache
