"""`mcplan timing` on a large engagement export, against a bare DuckDB group-by of the same
file in the same run (issue 30: 10 M rows in under 20 s and under 1 GB).

Run: python benchmarks/timing.py [--rows 10000000] [--personas 200] [--folder DIR]

A workspace of PERSONAS personas in four time zones (Europe/Paris, America/New_York,
Europe/London, Asia/Tokyo) is written to a temporary folder, and an export of ROWS messages
sent (persona, channel, sent_at over 26 weeks across the clock changes of spring and autumn
2027, opened_at for about one in five, clicked_at for one in twenty) is generated as one
Parquet file by DuckDB (never held in memory). Then, each as a whole process under
`/usr/bin/time -v` (wall seconds, peak resident memory):

- `mcplan timing EXPORT -f json -w WORKSPACE` (read, local weekday and hour per persona's
  zone, the model, JSON);
- a bare DuckDB group-by of the same file: sends, opens and clicks per persona, channel,
  weekday and hour (in UTC: no zones, no checks, no model);

and the ratio of the two.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
from attribution_scale import measured  # a whole process's seconds and peak memory

ZONES = ("Europe/Paris", "America/New_York", "Europe/London", "Asia/Tokyo")
BARE = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
rows = con.execute(
    "SELECT persona, channel, dayofweek(sent_at), hour(sent_at), COUNT(*), COUNT(opened_at), "
    "COUNT(clicked_at) FROM read_parquet(?) GROUP BY ALL", [sys.argv[1]]
).fetchall()
print(len(rows))
"""


def workspace(folder: Path, personas: int) -> Path:
    """A workspace of ``personas`` personas, each in one of `ZONES`."""
    (folder / "personas").mkdir(parents=True)
    (folder / "campaigns").mkdir()
    (folder / "mcplan.toml").write_text(
        'brand = "Bench"\nlocale = "en-GB"\ntimezone = "Europe/London"\ncurrency = "EUR"\n'
    )
    for i in range(personas):
        (folder / "personas" / f"p{i}.yaml").write_text(
            f"market: b2c\nsize: 1000\nstage: loyalty\ntimezone: {ZONES[i % len(ZONES)]}\n"
            "channels:\n  email: {reach: 0.9, affinity: 0.5, consent: opt_in}\n"
            "  sms: {reach: 0.6, affinity: 0.5, consent: opt_in}\n"
        )
    return folder


def generate(path: Path, rows: int, personas: int, seed: int = 30) -> None:
    """The export, as one Parquet file, written by DuckDB from a generator query."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SELECT setseed({seed / 100})")
    con.execute(
        f"""
        COPY (
          SELECT persona, channel, sent_at,
            CASE WHEN r < 0.2 THEN sent_at + INTERVAL 25 MINUTE END AS opened_at,
            CASE WHEN r < 0.05 THEN sent_at + INTERVAL 26 MINUTE END AS clicked_at
          FROM (
            SELECT 'p' || CAST(floor(random() * {personas}) AS INTEGER) AS persona,
              CASE WHEN random() < 0.7 THEN 'email' ELSE 'sms' END AS channel,
              TIMESTAMP '2027-01-04' + to_seconds(CAST(random() * 182 * 86400 AS BIGINT))
                AS sent_at,
              random() AS r
            FROM range({rows})
          )
        ) TO '{path}' (FORMAT PARQUET)
        """
    )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--personas", type=int, default=200)
    parser.add_argument("--folder", type=Path, help="where the files go (default: a temp dir)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.folder, prefix=f"timing-{args.rows}-"))
    try:
        ws = workspace(base / "workspace", args.personas)
        export = base / "engagement.parquet"
        generate(export, args.rows, args.personas)
        wall, peak, out = measured(
            [sys.executable, "-m", "mcplan", "timing", str(export), "-f", "json", "-w", str(ws)]
        )
        learned = json.loads(out)["send_times"]
        b_wall, b_peak, _ = measured([sys.executable, "-c", BARE, str(export)])
        print(f"{'rows':>12} {'timing s':>9} {'peak MB':>8} {'group-by s':>11} {'peak MB':>8} "
              f"{'timing/group-by':>16} {'persona×channel':>16}")  # fmt: skip
        print(
            f"{args.rows:>12,} {wall:>9.1f} {peak:>8.0f} {b_wall:>11.1f} {b_peak:>8.0f} "
            f"{wall / b_wall:>15.2f}× {len(learned):>16}"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
