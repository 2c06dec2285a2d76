"""Attribution on event logs at scale: DuckDB out of core, against the in-memory row reader.

Run: python benchmarks/attribution_scale.py [--events 1000000 10000000 100000000]
     [--memory-limit 2GB] [--folder DIR]

For each size, a touch log is generated on disk as Parquet partitioned by day (hive style,
written by DuckDB from a generator query, never held in memory): a contact id (about 3 touches
a contact), a timestamp over 90 days, one of six channels, and about 3 % conversion rows with a
value. Then, in the same run, each as a whole process under `/usr/bin/time -v` (wall seconds
and peak resident memory, the largest process):

- `mcplan attribute FOLDER --engine duckdb --memory-limit LIMIT -f json` (every model);
- up to 10 M events, the same log as one Parquet file read by the row reader
  (`--engine memory`), and the ratio of the two; beyond, the row reader is not run (it holds
  every event in memory).

The JSON results of the two engines are checked equal (to 1e-6) where both run.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

CHANNELS = ("email", "sms", "instagram", "website", "mobile_push", "store")
MEMORY_UP_TO = 10_000_000


def generate(folder: Path, events: int, seed: int = 7) -> None:
    """The log, partitioned by day, and (for the row reader) as one file beside it."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SELECT setseed({seed / 100})")
    channels = "[" + ", ".join(f"'{c}'" for c in CHANNELS) + "]"
    con.execute(
        f"""
        CREATE VIEW log AS
        SELECT
          'j' || CAST(i // 3 + CAST(random() * 2 AS BIGINT) AS VARCHAR) AS journey_id,
          TIMESTAMP '2027-01-01' + to_seconds(CAST(random() * 90 * 86400 AS BIGINT)) AS timestamp,
          CASE WHEN random() < 0.03 THEN NULL
               ELSE {channels}[1 + CAST(floor(random() * {len(CHANNELS)}) AS INTEGER)] END
            AS channel,
          round(random() * 100, 2) AS value
        FROM range({events}) AS t(i)
        """
    )
    con.execute(
        f"""
        COPY (SELECT *, CAST(timestamp AS DATE) AS day FROM log)
        TO '{folder / "events"}' (FORMAT PARQUET, PARTITION_BY (day))
        """
    )
    if events <= MEMORY_UP_TO:
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{folder / 'events'}/**/*.parquet')) "
            f"TO '{folder / 'events.parquet'}' (FORMAT PARQUET)"
        )
    con.close()


def measured(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB, and the standard output of a whole process."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if wall is None or peak is None:
        sys.exit(f"no timing from /usr/bin/time -v:\n{done.stderr[-2000:]}")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in wall.groups())
    return hours * 3600 + minutes * 60 + seconds, int(peak[1]) / 1024, done.stdout


def same(a: str, b: str) -> bool:
    left, right = json.loads(a)["models"], json.loads(b)["models"]
    for x, y in zip(left, right, strict=True):
        for p, q in zip(x["channels"], y["channels"], strict=True):
            if p["channel"] != q["channel"] or not math.isclose(
                p["conversions"], q["conversions"], rel_tol=1e-6, abs_tol=1e-3
            ):
                return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--folder", type=Path, help="where the logs go (default: a temp dir)")
    args = parser.parse_args()
    mcplan = [sys.executable, "-m", "mcplan", "attribute"]
    print(f"{'events':>12} {'duckdb s':>9} {'peak MB':>8} {'memory s':>9} {'peak MB':>8} "
          f"{'memory/duckdb':>14} {'equal':>6}")  # fmt: skip
    for events in args.events:
        base = Path(tempfile.mkdtemp(dir=args.folder, prefix=f"log-{events}-"))
        try:
            generate(base, events)
            wall, peak, out = measured(
                [*mcplan, str(base / "events"), "--engine", "duckdb",
                 "--memory-limit", args.memory_limit, "-f", "json"]
            )  # fmt: skip
            row = f"{events:>12,} {wall:>9.1f} {peak:>8.0f}"
            if events <= MEMORY_UP_TO:
                m_wall, m_peak, m_out = measured(
                    [*mcplan, str(base / "events.parquet"), "--engine", "memory", "-f", "json"]
                )
                ratio = m_wall / wall
                row += f" {m_wall:>9.1f} {m_peak:>8.0f} {ratio:>13.2f}× {same(out, m_out)!s:>6}"
            print(row, flush=True)
        finally:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
