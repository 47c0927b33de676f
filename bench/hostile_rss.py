"""Peak memory of ingesting hostile files (a benchmark, not a test; issue 17).

Generates in a temporary folder the probe's files: a ~1.15 MB DOCX whose word/document.xml
unpacks to ~1.1 GB, and a 50 MB text file of one sentence repeated on one line (and a 5 MB
one, under the size limit: one passage); then ingests each, and a tiny normal text for the
baseline (the e5 embedder is loaded in every run), in its
own process under `/usr/bin/time -v` (else getrusage of the children), with a fresh store.
Prints per file: peak RSS, wall time and the outcome (status, code, reason, passages).

Target: ingesting the bomb peaks at 500 MB or less.

Usage: python bench/hostile_rss.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_files import make_docx_bomb  # noqa: E402

SENTENCE = "Vejstøjen langs Ringvejen skal måles igen, før byrådet tager stilling til skærmen. "

INGEST = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from ui.config import load_settings
from ui.factory import build_ingestor
settings = load_settings(store_dir=sys.argv[2])
report = build_ingestor(settings).run([sys.argv[3]])
(f,) = report.files
print(json.dumps({"status": f.status, "code": f.code, "reason": f.reason,
                  "passages": f.passages}, ensure_ascii=False))
"""


def make_one_line(path: Path, size: int) -> None:
    line = SENTENCE.encode() * (size // len(SENTENCE.encode()))
    path.write_bytes(line + b"\n")


def ingest(file: Path, work: Path) -> dict:
    store = work / f"store-{file.stem}"
    command = [sys.executable, "-c", INGEST, str(ROOT), str(store), str(file)]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    started = time.perf_counter()
    if timer:
        done = subprocess.run([timer, "-v", *command], capture_output=True, text=True)
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peak_kb = int(match.group(1)) if match else -1
    else:  # the largest child so far: run the files from small to large
        done = subprocess.run(command, capture_output=True, text=True)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds = time.perf_counter() - started
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    outcome = json.loads(lines[-1]) if lines else {"status": f"exit {done.returncode}"}
    if not lines:
        outcome["stderr"] = done.stderr[-500:]
    return {"file": file.name, "size_mb": file.stat().st_size / 1e6, "peak_rss_mb": peak_kb / 1024,
            "seconds": seconds, **outcome}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="generate into DIR and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hostile-rss-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        files = work / "files"
        files.mkdir(exist_ok=True)
        tiny = files / "normal.txt"
        tiny.write_text(f"Notat om vejstøj\n\n{SENTENCE * 3}\n", encoding="utf-8")
        bomb, one_line = files / "bomb.docx", files / "one-line.txt"
        short_line = files / "one-line-5mb.txt"
        t0 = time.perf_counter()
        make_docx_bomb(bomb, 1100 << 20)
        make_one_line(one_line, 50 * 1_000_000)
        make_one_line(short_line, 5 * 1_000_000)
        with zipfile.ZipFile(bomb) as archive:
            xml = archive.getinfo("word/document.xml").file_size
        print(f"generated in {time.perf_counter() - t0:.1f} s: {bomb.name} "
              f"{bomb.stat().st_size / 1e6:.2f} MB (word/document.xml {xml / 1e6:.0f} MB "
              f"unpacked), {one_line.name} {one_line.stat().st_size / 1e6:.0f} MB")  # fmt: skip
        for file in (tiny, short_line, one_line, bomb):
            r = ingest(file, work)
            print(f"{r['file']:<16} {r['size_mb']:>7.2f} MB  peak RSS {r['peak_rss_mb']:>6.0f} MB"
                  f"  {r['seconds']:>5.1f} s  {r.get('status')} {r.get('code', '')}"
                  f" passages={r.get('passages', '')}")  # fmt: skip
            if r.get("reason"):
                print(f"{'':<18}{r['reason']}")
            if r.get("stderr"):
                print(r["stderr"])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
