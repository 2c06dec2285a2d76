"""How long `mcplan plan` takes, and how its cost grows with the number of personas.

Run: python benchmarks/plan.py [--personas 10 100 1000] [--campaigns 50] [--send-times]

For each size, a workspace of N personas (each using the 14 bundled channels) and 50
campaigns without touches (each for every persona, max 3 channels, two weeks somewhere in
the year) is planned in one call: candidates, scores, exact selection, forecast, and a
proposed schedule that counts every earlier campaign's touches against the pressure caps.
Printed, in one run: seconds, candidates scored, touches placed, and the time per
persona × campaign, to see how the cost grows (a first, small plan loads what planning
imports, so that it is not counted in the first size). With ``--send-times`` each persona
has a learned send time on every channel (issue 30): one of 7 × 14 weekday-and-hour slots,
or any day, so that a proposed touch goes in many groups of personas instead of one.
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


def learned(i: int) -> str:
    """Persona ``i``'s `send_times` on every channel: a slot of its own among ~100."""
    day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", None]
    weekday = f"weekday: {day[i % 8]}, " if day[i % 8] else ""
    slot = f"{{{weekday}hour: {7 + i % 14}, metric: open, sends: 5000, rate: 0.2, "
    slot += "interval: [0.18, 0.22]}"
    return "send_times:\n" + "".join(f"  {c}: {slot}\n" for c in CHANNELS)


def make(root: Path, personas: int, campaigns: int, send_times: bool = False) -> None:
    (root / "personas").mkdir()
    (root / "campaigns").mkdir()
    links = "\n".join(f"  {c}: {{reach: 0.6, affinity: 0.5, consent: opt_in}}" for c in CHANNELS)
    stages = ["prospection", "acquisition", "loyalty", "reactivation"]
    for i in range(personas):
        text = f"market: b2c\nsize: {1000 + 37 * i}\nstage: {stages[i % 4]}\nchannels:\n{links}\n"
        text += learned(i) if send_times else ""
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
    parser.add_argument("--send-times", action="store_true", help="learned send times too")
    args = parser.parse_args()
    print(f"{'personas':>8}  {'campaigns':>9}  {'seconds':>8}  {'candidates':>10}  "
          f"{'touches':>8}  {'ms per persona x campaign':>26}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        make(Path(folder), 2, 2)
        plan(load_workspace(Path(folder), discover=False))
    for personas in args.personas:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            make(root, personas, args.campaigns, args.send_times)
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
