"""Run llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server``) with llama.cpp's
extra weight buffers (repacking, AMX) switched off, under the llama venv's own Python:

    $CACHE/venv/bin/python tests/realmodel/llama_cpp_server.py --model ... --port ...

Some virtual machines advertise AMX in CPUID without enabling it for guests; llama.cpp then places
the weights in AMX buffers and the first matrix product traps (SIGILL, "invalid opcode"). Repacked
weights only make a CPU faster, so the tests turn them off. llama-cpp-python's server has no
option for it; llama.cpp's ``llama-server`` has ``--no-repack``.
"""

from __future__ import annotations

import llama_cpp.llama_cpp as llama_cpp_lib

_defaults = llama_cpp_lib.llama_model_default_params


def _without_extra_buffers():  # type: ignore[no-untyped-def]
    params = _defaults()
    params.use_extra_bufts = False
    return params


llama_cpp_lib.llama_model_default_params = _without_extra_buffers

if __name__ == "__main__":
    from llama_cpp.server.__main__ import main

    main()
