"""How long `mcplan plan` takes, and how its cost grows with the number of personas.

Run: python benchmarks/plan.py [--personas 10 100 1000] [--campaigns 50]

For each size, a workspace of N personas (each using the 14 bundled channels) and 50
campaigns without touches (each for every persona, max 3 channels, two weeks somewhere in
the year) is planned in one call: candidates, scores, exact selection, forecast, and a
proposed schedule that counts every earlier campaign's touches against the pressure caps.
Printed, in one run: seconds, candidates scored, touches placed, and the time per
persona × campaign, to see how the cost grows (a first, small plan loads what planning
imports, so that it is not counted in the first size).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from mcplan import load_workspace
from mcplan.plan import plan
from mcplan.workspace import bundled_documents

CHANNELS = sorted(bundled_documents())


def make(root: Path, personas: int, campaigns: int) -> None:
    (root / "personas").mkdir()
    (root / "campaigns").mkdir()
    links = "\n".join(f"  {c}: {{reach: 0.6, affinity: 0.5, consent: opt_in}}" for c in CHANNELS)
    stages = ["prospection", "acquisition", "loyalty", "reactivation"]
    for i in range(personas):
        text = f"market: b2c\nsize: {1000 + 37 * i}\nstage: {stages[i % 4]}\nchannels:\n{links}\n"
        (root / f"personas/p{i:04d}.yaml").write_text(text, "utf-8")
    ids = ", ".join(f"p{i:04d}" for i in range(personas))
    for j in range(campaigns):
        starts = date(2027, 1, 4) + timedelta(days=7 * j)
        (root / f"campaigns/c{j:02d}.yaml").write_text(
            f"""\
personas: [{ids}]
objectives: [{{kind: sales, target: 100000}}, {{kind: loyalty}}]
average_order_value: 60
max_channels: 3
message: {{headline: Offre {j}, starts: {starts}, ends: {starts + timedelta(days=13)}}}
""",
            "utf-8",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--campaigns", type=int, default=50)
    args = parser.parse_args()
    print(f"{'personas':>8}  {'campaigns':>9}  {'seconds':>8}  {'candidates':>10}  "
          f"{'touches':>8}  {'ms per persona x campaign':>26}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        make(Path(folder), 2, 2)
        plan(load_workspace(Path(folder), discover=False))
    for personas in args.personas:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            make(root, personas, args.campaigns)
            workspace = load_workspace(root, discover=False)
            start = time.perf_counter()
            plans = plan(workspace)
            seconds = time.perf_counter() - start
        candidates = sum(len(p.candidates) for p in plans)
        touches = sum(len(p.touches) for p in plans)
        per = 1000 * seconds / (personas * args.campaigns)
        print(f"{personas:>8}  {args.campaigns:>9}  {seconds:>8.2f}  {candidates:>10,}  "
              f"{touches:>8,}  {per:>26.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
