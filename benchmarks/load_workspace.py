"""How fast a workspace loads and validates, and what the strict YAML reader costs.

Run: python benchmarks/load_workspace.py [--personas N] [--campaigns M]

Prints, measured in one run on the same generated files:
- files loaded and validated per second (libyaml's C parser, then the pure-Python one);
- the strict reader (events → data + positions) against yaml.safe_load on the same text,
  as a ratio, so the figure does not depend on the machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

import mcplan.workspace.yamlsource as yamlsource
from mcplan import load_workspace, validate

PERSONA = """\
market: b2c
size: {size}
stage: loyalty
profile: {{age: 25-34, location: Paris}}
channels:
  email: {{reach: 0.9, affinity: 0.6, consent: opt_in}}
  sms: {{reach: 0.7, affinity: 0.8, consent: opt_in}}
  instagram: {{reach: 0.5, affinity: 0.9}}
"""
CAMPAIGN = """\
brand: Maison Lumen
personas: [{personas}]
objectives: [{{kind: sales, target: 1000}}]
message:
  headline: Les soldes sont là
  offer: "-40 %"
  code: HIVER40
  starts: 2027-01-13
  ends: 2027-02-09
  url: https://maison-lumen.fr/soldes
channels: [email, sms]
touches:
  - {{channel: email, at: 2027-01-13T09:00}}
  - {{channel: sms, at: 2027-01-15T18:30, after: email}}
"""


def make(root: Path, personas: int, campaigns: int) -> None:
    (root / "personas").mkdir()
    (root / "campaigns").mkdir()
    for i in range(personas):
        (root / f"personas/p{i}.yaml").write_text(PERSONA.format(size=1000 + i), "utf-8")
    for j in range(campaigns):
        chosen = ", ".join(f"p{(j + k) % personas}" for k in range(5))
        (root / f"campaigns/c{j}.yaml").write_text(CAMPAIGN.format(personas=chosen), "utf-8")


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=1000)
    parser.add_argument("--campaigns", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make(root, args.personas, args.campaigns)
        files = args.personas + args.campaigns

        def load() -> None:
            assert validate(load_workspace(root, discover=False)) == []

        with_c = best_of(3, load)
        c_parser = yamlsource._EventParser
        yamlsource._EventParser = yaml.BaseLoader
        pure = best_of(3, load)
        yamlsource._EventParser = c_parser

        texts = [p.read_text("utf-8") for p in sorted(root.rglob("*.yaml"))]
        strict = best_of(5, lambda: [yamlsource.parse(t, "f.yaml") for t in texts])
        safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        safe = best_of(5, lambda: [yaml.load(t, Loader=safe_loader) for t in texts])

    print(f"workspace: {args.personas} personas, {args.campaigns} campaigns, 14 channels")
    print(f"load + validate, C parser:      {files / with_c:8.0f} files/s")
    print(
        f"load + validate, Python parser: {files / pure:8.0f} files/s "
        f"({pure / with_c:.1f}x the C parser's time)"
    )
    print(f"strict reader vs yaml.safe_load (C): {strict / safe:.2f}x the time")


if __name__ == "__main__":
    main()
