"""Reading a touchpoint export: the column reader (pyarrow) against the row reader.

Run: python benchmarks/attribution_read.py [--rows 1000000]

One CSV export of touch rows (contact id, ISO time with an offset, channel, a `converted`
flag on about 3 % of them, a value in euros with a decimal comma) is written to a temporary
file, then read, in one run:
- by `mcplan.attribution.read` as `mcplan attribute` reads it (pyarrow installed: a column
  at a time);
- by the row reader alone (what it does without pyarrow, and for a file it is not sure of);
- by a bare `csv.reader` pass over the same file (splitting the cells, nothing more).
Printed: seconds, and ratios to the bare pass; the two readers' paths are checked equal.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from mcplan.attribution import columnar, read

CHANNELS = ("email", "sms", "instagram", "website", "mobile_push", "store")


def write(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    contact = np.sort(rng.integers(0, rows // 3, rows))
    seconds = 1_800_000_000 + rng.integers(0, 90 * 86400, rows)
    channel = rng.integers(0, len(CHANNELS), rows)
    converted = rng.random(rows) < 0.03
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["journey_id", "timestamp", "channel", "converted", "value"])
        stamps = np.datetime_as_string(seconds.astype("datetime64[s]"))
        for j, at, c, flag in zip(contact, stamps, channel, converted, strict=True):
            value = f"{40 + j % 60},50 €" if flag else ""
            out.writerow([f"c{j}", f"{at}+01:00", CHANNELS[c], "1" if flag else "", value])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    known = {c: c for c in CHANNELS}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "touches.csv"
        write(path, args.rows)
        start = time.perf_counter()
        with path.open(encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle, delimiter=";"):
                pass
        bare = time.perf_counter() - start
        start = time.perf_counter()
        fast = read(path, known=known, currencies=("€",))
        columns = time.perf_counter() - start
        real = columnar.read_columns
        columnar.read_columns = lambda *a: None  # type: ignore[assignment]
        try:
            start = time.perf_counter()
            rows = read(path, known=known, currencies=("€",))
            by_row = time.perf_counter() - start
        finally:
            columnar.read_columns = real
    assert np.array_equal(fast.path, rows.path)
    assert np.array_equal(fast.channel, rows.channel)
    assert np.array_equal(fast.value, rows.value)
    print(f"{args.rows:,} touch rows, {len(fast.conversions):,} paths")
    print(f"  bare csv.reader pass  {bare:6.2f} s")
    print(f"  column reader         {columns:6.2f} s  ({columns / bare:.2f}x the bare pass)")
    print(f"  row reader            {by_row:6.2f} s  ({by_row / bare:.2f}x the bare pass, "
          f"{by_row / columns:.1f}x the column reader)")  # fmt: skip


if __name__ == "__main__":
    main()
