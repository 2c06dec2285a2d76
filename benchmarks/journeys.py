"""What journeys add to loading, checking and forecasting a workspace (issue 29): 200 journeys
of 20 steps for 1,000 personas, beside the plan benchmark's campaigns.

Run: python benchmarks/journeys.py [--personas 1000] [--campaigns 50] [--journeys 200]
     [--rounds 2] [--plan]

One workspace is generated twice, in the same run: the plan benchmark's (benchmarks/plan.py:
N personas on the 14 bundled channels, 50 campaigns for every persona), and the same with J
journeys, each for every persona, of 20 steps (counted as `Journey.walk` does, arms' steps
included): 10 sends on e-mail, SMS and mobile push (rotated from one journey to the next),
waits, a random split, branches on an earlier send's clicks and opens (one nested in the
other) and on a third of the personas, with a wait inside an arm. Every fourth journey gives
its entries per persona (a `per_week` map of every persona), the others one number; `on_cap`
goes hold, skip, send in turn. The waits keep every channel's caps on every path, so lint has
no P106 to report.

Timed for each workspace: `mcplan lint` as a whole process (as CI runs it; with `--plan`,
`mcplan plan --format json` too, minutes: its JSON lists every persona of every candidate),
with its CPU time and peak memory; then, in this process with the collector set as the
command line sets it, loading (`load_workspace`), validation (`mcplan.validate`), the
journeys' forecast alone (`forecast_journeys`) and lint (`mcplan.lint`, structure included,
the forecast of every journey too: P107 needs it), the two workspaces in turn for `--rounds`
rounds, the fewest seconds of each kept (wall and CPU, its worker processes' included: on a
shared machine, the CPU time says more). Printed: the figures, the ratios (with journeys /
without), the machine's load average, what the journeys add to lint (their forecast
included: the figure the issue's budget of 2 s is about) and to loading, the latter also
against a reference timed in the same run, so that it travels between machines: the
journeys' files parsed by libyaml alone (`yaml.load`, CSafeLoader: no positions, no models).
"""

from __future__ import annotations

import argparse
import compileall
import gc
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
import mcplan
from mcplan import load_workspace, validate
from mcplan.cli import GC_THRESHOLD
from mcplan.plan.journey import forecast_journeys
from plan import make as make_plan

SENDING = ["email", "sms", "mobile_push"]
ON_CAP = ["hold", "skip", "send"]


def _steps(j: int, personas: list[str]) -> str:
    """Twenty steps: 10 sends, 7 waits, 3 branches (one nested in another)."""
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
              - when: {{not_opened: thanks}}
                steps: [{{id: nudge, send: {c}}}]
      - when: {{personas: [{some}]}}
        steps: [{{wait: 1d}}, {{id: some, send: {c}}}]
  - {{wait: 5d}}
  - {{id: reminder, send: {a}}}
  - {{wait: 4d}}
  - {{id: last-call, send: {b}}}
  - {{wait: 7d}}
  - {{id: goodbye, send: {a}}}
"""


def _per_week(j: int, personas: list[str]) -> str:
    """Every fourth journey: a number per persona; the others one number."""
    if j % 4:
        return str(100 + j)
    return "{" + ", ".join(f"{p}: {1 + (i + j) % 7}" for i, p in enumerate(personas)) + "}"


def make(root: Path, personas: int, campaigns: int, journeys: int) -> None:
    """The plan benchmark's workspace in ``root``, with ``journeys`` journeys."""
    root.mkdir()
    make_plan(root, personas, campaigns)
    (root / "journeys").mkdir()
    ids = [f"p{i:04d}" for i in range(personas)]
    for j in range(journeys):
        (root / f"journeys/j{j:03d}.yaml").write_text(
            f"""\
personas: [{", ".join(ids)}]
objectives: [{{kind: sales, target: 100000}}]
average_order_value: 60
entry: {{event: signup, per_week: {_per_week(j, ids)}, from: 2028-01-03}}
exit: {{event: purchase}}
on_cap: {ON_CAP[j % 3]}
message: {{headline: Welcome {j}, url: "https://example.com/welcome"}}
steps:
{_steps(j, ids)}""",
            "utf-8",
        )


Figures = dict[str, float]


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended (lint's worker processes:
    without them, lint's CPU time is only the share this process happened to take)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(figures: Figures, name: str, call: Callable[[], Any]) -> Any:
    """``call()``, its seconds (wall, and CPU as `name cpu`, its worker processes' included)
    kept in ``figures`` when fewer."""
    wall, cpu = time.perf_counter(), _cpu()
    result = call()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    figures[name] = min(figures.get(name, wall), wall)
    figures[f"{name} cpu"] = min(figures.get(f"{name} cpu", cpu), cpu)
    return result


def in_process(root: Path, figures: Figures) -> None:
    """Load, validate, forecast and lint the workspace at ``root`` in this process, as the
    command line runs them (its collector's setting); the fewest seconds so far kept."""
    workspace = timed(figures, "load", lambda: load_workspace(root, discover=False))
    found = timed(figures, "validate", lambda: validate(workspace))
    forecasts = timed(figures, "forecast", lambda: forecast_journeys(workspace))
    result = timed(figures, "lint", lambda: mcplan.lint(workspace))
    figures["structure findings"] = len(found)
    figures["lint findings"] = len(result.findings)
    figures["P106 findings"] = sum(f.rule == "P106" for f in result.findings)
    figures["sends a week"] = sum(f.sends_per_week for f in forecasts)


def bare_parse(root: Path, figures: Figures) -> None:
    """The reference: the journeys' files parsed by libyaml alone (no positions, no models)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    texts = [path.read_text("utf-8") for path in sorted(root.glob("journeys/*.yaml"))]
    timed(figures, "bare parse", lambda: [yaml.load(t, Loader=loader) for t in texts])


def process(command: list[str], root: Path) -> tuple[float, float, float]:
    """Seconds (wall, CPU) and peak memory (MB) of ``command`` run in ``root``, in a fresh
    process."""
    start = time.perf_counter()
    quiet = subprocess.DEVNULL
    child = subprocess.Popen(command, cwd=root, stdout=quiet, stderr=quiet)
    _, _, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = 0  # reaped above
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale / 1e6


def whole(root: Path, plan: bool) -> Figures:
    """`mcplan lint` (and with ``plan``, `mcplan plan --format json`) as whole processes."""
    python = [sys.executable, "-m", "mcplan"]
    commands = {"mcplan lint": [*python, "lint", "--format", "concise", "--exit-zero"]}
    if plan:
        commands["mcplan plan"] = [*python, "plan", "--format", "json"]
    figures: Figures = {}
    for name in ("mcplan lint", "mcplan plan"):
        measured = process(commands[name], root) if name in commands else (float("nan"),) * 3
        figures[name], figures[f"{name} cpu"], figures[f"{name} MB"] = measured
    return figures


ROWS = [
    ("load", "s"),
    ("validate", "s"),
    ("forecast", "s"),
    ("lint", "s"),
    ("mcplan lint", "s"),
    ("mcplan lint MB", "MB"),
    ("mcplan plan", "s"),
    ("mcplan plan MB", "MB"),
    ("structure findings", ""),
    ("lint findings", ""),
    ("P106 findings", ""),
    ("sends a week", ""),
]


def _ratio(a: float, b: float) -> str:
    return f"{b / a:>7.1f}x" if a and a == a else f"{'':>8}"  # not 0, not NaN


def show(without: Figures, with_: Figures) -> None:
    print(f"{'':<20}{'without':>9}{'with':>9}{'ratio':>8}   {'CPU without':>11}{'with':>9}"
          f"{'ratio':>8}")  # fmt: skip
    for name, unit in ROWS:
        a, b = without[name], with_[name]
        if unit == "s":
            c, d = without[f"{name} cpu"], with_[f"{name} cpu"]
            print(f"{name + ' (s)':<20}{a:>9.2f}{b:>9.2f}{_ratio(a, b)}   {c:>11.2f}{d:>9.2f}"
                  f"{_ratio(c, d)}")  # fmt: skip
        else:
            label = name + (f" ({unit})" if unit else "")
            print(f"{label:<20}{a:>9,.0f}{b:>9,.0f}{_ratio(a, b)}")
    for kind in ("", " cpu"):
        lint = with_["lint" + kind] - without["lint" + kind]
        load = with_["load" + kind] - without["load" + kind]
        bare = with_["bare parse" + kind]
        print(f"journeys add {lint:.2f} s{kind or ' wall'} to lint, their forecast included "
              f"(P107 forecasts every journey; the issue's budget: 2 s), and {load:.2f} s "
              f"to loading: {load / bare:.1f}x a bare parse of their files "
              f"({bare:.2f} s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=1000)
    parser.add_argument("--campaigns", type=int, default=50)
    parser.add_argument("--journeys", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="in-process rounds (the fewest s)")
    parser.add_argument(
        "--plan", action="store_true", help="also time `mcplan plan --format json` (minutes)"
    )
    args = parser.parse_args()
    # As installed from a wheel: bytecode compiled (see benchmarks/lint.py).
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "src/mcplan", quiet=1)
    gc.set_threshold(*GC_THRESHOLD)  # as the command line runs
    loads = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        with_root, without_root = Path(folder, "with"), Path(folder, "without")
        make(with_root, args.personas, args.campaigns, args.journeys)
        shutil.copytree(with_root, without_root, ignore=shutil.ignore_patterns("journeys"))
        # The whole processes first: a child's peak memory counts its parent's at the fork.
        without, with_ = whole(without_root, args.plan), whole(with_root, args.plan)
        warm = Path(folder, "warm")  # what the first call imports is not counted
        make(warm, 3, 2, 2)
        in_process(warm, {})
        for _ in range(args.rounds):  # in turn, so that both see the machine alike
            in_process(without_root, without)
            in_process(with_root, with_)
            bare_parse(with_root, with_)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"{args.personas:,} personas, {args.campaigns} campaigns, with and without "
          f"{args.journeys} journeys of 20 steps; this process's peak: {peak:,.0f} MB; load "
          f"average {loads:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} "
          f"cores")  # fmt: skip
    show(without, with_)


if __name__ == "__main__":
    main()
