"""How long a journeys' forecast takes (issue 29): 200 journeys of 20 steps for 1,000 personas.

Run: python benchmarks/journeys.py [--personas 1000] [--journeys 200]

A workspace of N personas (each using the 14 bundled channels) and J journeys, each for every
persona, of 20 steps: sends, waits, a random split, and branches on an earlier send's opens and
clicks and on some personas, nested. Printed: the seconds to load the workspace, and to
forecast every journey (`forecast_journeys`), and the sends per week forecast. The issue's
budget (forecast and lint, with the plan benchmark's campaigns) is 2 s; the forecast alone
is measured here, as lint does not check journeys' pressure yet.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from mcplan import load_workspace
from mcplan.plan.journey import forecast_journeys
from mcplan.workspace import bundled_documents

CHANNELS = sorted(bundled_documents())
SENDING = ["email", "sms", "mobile_push"]


def _steps(j: int, personas: list[str]) -> str:
    """Twenty steps: 9 sends, 6 waits, 3 branches (one nested in another)."""
    a, b, c = (SENDING[(j + k) % 3] for k in range(3))
    some = ", ".join(personas[: len(personas) // 3])
    return f"""\
  - {{id: hello, send: {a}}}
  - {{wait: 2d}}
  - branch:
      - when: {{share: 0.4}}
        steps: [{{id: split-a, send: {b}}}]
      - otherwise: [{{id: split-b, send: {c}}}]
  - {{wait: 3d}}
  - branch:
      - when: {{clicked: hello}}
        steps:
          - {{id: thanks, send: {a}}}
          - {{wait: 2d}}
          - branch:
              - when: {{opened: thanks}}
                steps: [{{id: deeper, send: {b}}}]
      - when: {{personas: [{some}]}}
        steps: [{{id: some, send: {c}}}]
  - {{wait: 5d}}
  - {{id: reminder, send: {a}}}
  - {{wait: 4d}}
  - {{id: last-call, send: {b}}}
  - {{wait: 7d}}
  - {{id: goodbye, send: {a}}}
"""


def make(root: Path, personas: int, journeys: int) -> None:
    (root / "personas").mkdir()
    (root / "journeys").mkdir()
    links = "\n".join(f"  {c}: {{reach: 0.6, affinity: 0.5, consent: opt_in}}" for c in CHANNELS)
    for i in range(personas):
        text = f"market: b2c\nsize: {1000 + 37 * i}\nstage: acquisition\nchannels:\n{links}\n"
        (root / f"personas/p{i:04d}.yaml").write_text(text, "utf-8")
    ids = [f"p{i:04d}" for i in range(personas)]
    for j in range(journeys):
        (root / f"journeys/j{j:03d}.yaml").write_text(
            f"""\
personas: [{", ".join(ids)}]
objectives: [{{kind: sales, target: 100000}}]
average_order_value: 60
entry: {{event: signup, per_week: {100 + j}, from: 2028-01-03}}
exit: {{event: purchase}}
message: {{headline: Welcome {j}, url: "https://example.com/welcome"}}
steps:
{_steps(j, ids)}""",
            "utf-8",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=1000)
    parser.add_argument("--journeys", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make(root, args.personas, args.journeys)
        started = time.perf_counter()
        workspace = load_workspace(root, discover=False)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        found = forecast_journeys(workspace)
        forecast = time.perf_counter() - started
    sends = sum(f.sends_per_week for f in found)
    print(f"{args.journeys} journeys × {args.personas} personas: loaded in {loaded:.2f} s, "
          f"forecast in {forecast:.2f} s ({sends:,.0f} sends a week)")  # fmt: skip


if __name__ == "__main__":
    main()
