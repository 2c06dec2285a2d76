"""Start-up: what a command costs before it does anything, as ratios measured in one run.

Run: python benchmarks/startup.py [--runs 15]

Each command runs as a whole process (the way pre-commit and CI run it), `--runs` times; the
median wall time is printed beside a bare `python -c pass` and the import floor of the stack
(`import typer, rich.console, pydantic, yaml, jinja2`). `validate` runs on the example
workspace of this repository.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import typer, rich.console, pydantic, yaml, jinja2"


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # As installed from a wheel: bytecode compiled (an editable install, with
    # PYTHONDONTWRITEBYTECODE set, would compile every module in every run).
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "src/mcplan", quiet=1)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    python = [sys.executable]
    mcplan = [*python, "-m", "mcplan"]
    bare = median_seconds([*python, "-c", "pass"], args.runs)
    floor = median_seconds([*python, "-c", FLOOR], args.runs)
    print(f"{'command':28} {'median':>8} {'× bare python':>14} {'× import floor':>15}")
    for name, argv in (
        ("python -c pass", [*python, "-c", "pass"]),
        ("import floor", [*python, "-c", FLOOR]),
        ("mcplan --version", [*mcplan, "--version"]),
        ("mcplan --help", [*mcplan, "--help"]),
        ("mcplan validate", [*mcplan, "validate"]),
    ):
        seconds = median_seconds(argv, args.runs)
        print(f"{name:28} {seconds:7.3f}s {seconds / bare:13.1f}× {seconds / floor:14.2f}×")


if __name__ == "__main__":
    main()
