"""How long `mcplan plan` takes as a user runs it, on workspaces that vary as real ones do.

Run: python benchmarks/plan.py [--personas 250 500 1000 2000] [--campaigns 50] [--runs 3]
                               [--send-times] [--before REV]

For each size, one generated workspace (benchmarks/varied.py: personas of four kinds with
five or six channels each, mixed consent, five countries, languages and time zones;
campaigns with two objectives, some with touches, tests, holdouts and translations) is
timed, in the same run:

- `mcplan plan --format json` and `mcplan plan` (text) as whole processes, their output
  written to a file, median of ``--runs`` (every campaign is planned: a campaign that cannot
  be is said, as a user sees it);
- the library call alone (`load_workspace` then `plan`), in this process.

Printed: seconds, the JSON's size, and the time per persona × campaign, to see how the cost
grows. With ``--before REV``, the processes also run on the code of the git revision REV
(its `src/` exported to a temporary folder), so that a change is measured against what it
changes in one run. With ``--send-times``, each persona has a learned send time on each of
its channels (issue 30): a proposed touch goes out in many groups of personas.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from varied import generate

ROOT = Path(__file__).resolve().parent.parent


def exported(revision: str, into: Path) -> Path:
    """The `src/` folder of a git revision, written under ``into``."""
    archive = subprocess.run(
        ["git", "archive", revision, "src"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    compileall.compile_dir(into / "src", quiet=1)
    return into / "src"


def process(argv: list[str], cwd: Path, source: Path, runs: int) -> tuple[float, int]:
    """The median wall seconds of a whole process run on the code under ``source``, and the
    size of its output."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    times, size = [], 0
    for _ in range(runs):
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            subprocess.run(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
            size = out.tell()
    return statistics.median(times), size


def library(root: Path) -> float:
    from mcplan import load_workspace
    from mcplan.plan import plan

    started = time.perf_counter()
    plan(load_workspace(root, discover=False))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--campaigns", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--send-times", action="store_true", help="learned send times too")
    parser.add_argument("--before", metavar="REV", help="also time the code of this revision")
    args = parser.parse_args()
    # As installed from a wheel: bytecode compiled.
    compileall.compile_dir(ROOT / "src/mcplan", quiet=1)
    mcplan = [sys.executable, "-m", "mcplan", "plan"]
    with tempfile.TemporaryDirectory() as scratch:
        codes = {"now": ROOT / "src"}
        if args.before:
            codes[args.before] = exported(args.before, Path(scratch))
        with tempfile.TemporaryDirectory() as warm:  # what planning imports, loaded once
            generate(Path(warm), 4, 2)
            library(Path(warm))
        print(f"{'personas':>8} {'code':>8} {'json process':>13} {'text process':>13} "
              f"{'library':>8} {'JSON MB':>8} {'ms/persona×campaign':>20}")  # fmt: skip
        for personas in args.personas:
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                generate(root, personas, args.campaigns, send_times=args.send_times)
                call = library(root)
                for name, source in codes.items():
                    as_json, size = process([*mcplan, "-f", "json"], root, source, args.runs)
                    as_text, _ = process(mcplan, root, source, args.runs)
                    shown = f"{call:>7.2f}s" if name == "now" else f"{'':>8}"
                    per = 1000 * as_json / (personas * args.campaigns)
                    print(f"{personas:>8} {name:>8} {as_json:>12.2f}s {as_text:>12.2f}s "
                          f"{shown} {size / 1e6:>8.1f} {per:>20.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
