"""Cost of hostile and oversized local inputs through `tradeclaims extract` (issue 14).

Generates, in a temporary folder, (1) a one-page PDF whose content stream inflates to
``--inflate-mb`` (default 1024: the audit's case), (2) a text file of ``--text-mb`` of
NTE-like prose (default 30), (3) a sparse 2 GiB file, and runs ``tradeclaims extract``
on each with the default limits, printing wall time, peak RSS of the largest process
(the command or its PDF child) and the first error line.

    .venv/bin/python benchmarks/bad_inputs.py [--inflate-mb 1024] [--text-mb 30]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.nte_text import nte_text  # noqa: E402
from tests.pdf_factory import inflating_pdf  # noqa: E402

TRADECLAIMS = Path(sys.executable).parent / "tradeclaims"


# Runs one command and prints the peak RSS of its largest process: RUSAGE_CHILDREN of a
# fresh wrapper counts that case alone (the PDF child included: it is reaped at exit).
_WRAPPER = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode); "
            "print((done.stderr.strip().splitlines() or [''])[0])")


def measure(path: Path) -> tuple[float, float, int, str]:
    """Seconds, peak RSS (MiB) of the largest process, exit code and first stderr line of one extract."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _WRAPPER, str(TRADECLAIMS), "extract", str(path)],
                          capture_output=True, text=True, check=True)
    seconds = time.monotonic() - started
    counts, first = (done.stdout.splitlines() + [""])[:2]
    peak_kib, code = counts.split()
    return seconds, int(peak_kib) / 1024, int(code), first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inflate-mb", type=int, default=1024)
    parser.add_argument("--text-mb", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sparse = folder / "sparse.bin"
        with sparse.open("wb") as fh:
            fh.truncate(2 * 1024 ** 3)
        bomb = folder / "bomb.pdf"
        bomb.write_bytes(inflating_pdf(args.inflate_mb * 1024 * 1024))
        text = folder / "big.txt"
        text.write_text(nte_text(args.text_mb * 1024 * 1024), "utf-8")
        cases = [("sparse 2 GiB file", sparse),
                 (f"PDF inflating to {args.inflate_mb} MB ({bomb.stat().st_size / 1e6:.1f} MB file)", bomb),
                 (f"{text.stat().st_size / 1e6:.0f} MB text file", text)]
        print(f"{'input':<45} {'seconds':>8} {'peak MiB':>9} {'exit':>5}  first error line")
        for name, path in cases:
            seconds, peak, code, first = measure(path)
            print(f"{name:<45} {seconds:8.1f} {peak:9.0f} {code:5d}  {first[:120]}")


if __name__ == "__main__":
    main()
