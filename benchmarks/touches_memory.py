"""Reading a touchpoint export: peak memory and time against the file's size, in one run.

Run: python benchmarks/touches_memory.py [--mb 100 1000]

For each size, a touches CSV (contact id, time, channel, event, value; 1 to 8 touches per
contact, 3 % of contacts converting) is written to a temporary folder, then read in a fresh
process three ways: a bare `csv.reader` pass (the floor), `mcplan.attribution.read` (the
paths every model runs on), and `mcplan attribute` with every model. The peak resident
memory of each process (`ru_maxrss`) is printed as a multiple of the file's size.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHANNELS = ("email", "sms", "instagram", "website", "mobile_push", "store")
FLOOR = "import csv, sys\nfor _ in csv.reader(open(sys.argv[1], newline='')): pass"
READ = (
    "import sys\nfrom pathlib import Path\nfrom mcplan.attribution import read\n"
    "read(Path(sys.argv[1]))"
)


def write(path: Path, megabytes: int, seed: int = 7) -> int:
    """Writes about `megabytes` of touches; returns the number of rows."""
    rng = random.Random(seed)
    rows, contact, size = 0, 0, 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("journey_id,timestamp,channel,event,value\n")
        while size < megabytes * 1_000_000:
            contact += 1
            at = 1_790_000_000 + rng.randrange(30_000_000)
            lines = []
            for _ in range(min(int(rng.expovariate(0.45)) + 1, 8)):
                at += rng.randrange(3600, 200_000)
                lines.append(f"c{contact:09d},{at},{rng.choice(CHANNELS)},touch,\n")
            if rng.random() < 0.03:
                lines.append(f"c{contact:09d},{at + 600},,conversion,{rng.uniform(20, 300):.2f}\n")
            text = "".join(lines)
            out.write(text)
            size += len(text)
            rows += len(lines)
    return rows


def peak(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one child process (its own rusage)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{argv[2]} failed with exit code {child.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, nargs="+", default=[100])
    args = parser.parse_args()
    mcplan = [sys.executable, "-m", "mcplan"]
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in sorted(args.mb):
            path = Path(folder) / f"touches-{megabytes}.csv"
            rows = write(path, megabytes)
            size = path.stat().st_size / 1e6
            print(f"{size:,.0f} MB, {rows:,} rows")
            for what, argv in (
                ("csv.reader pass", [sys.executable, "-c", FLOOR, str(path)]),
                ("attribution.read", [sys.executable, "-c", READ, str(path)]),
                ("mcplan attribute", [*mcplan, "attribute", str(path), "-m", "all"]),
            ):
                seconds, megs = peak(argv)
                ratio = megs / size
                print(f"  {what:18} {seconds:6.1f} s  peak {megs:7,.0f} MB  {ratio:4.1f}× file")
            path.unlink()


if __name__ == "__main__":
    main()
