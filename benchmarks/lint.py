"""Time `mcplan lint` on 100, 1,000 and 10,000 campaigns, beside yamllint and a bare YAML load.

Run: python benchmarks/lint.py [--sizes 100 1000 10000]   (yamllint: pip install yamllint)

For each size, two generated workspaces are timed, in the same run: the uniform one of
benchmarks/generate.py (French copy, three channels, every persona alike), and one that
varies as real ones do (benchmarks/varied.py: personas of four kinds in five countries and
languages, mixed consent, three personas a campaign, translations, tests and holdouts):
- `mcplan lint` in a fresh process, as CI runs it (load, validate, expand contacts, render
  every version, all rule families);
- `yamllint` on the same files, in a fresh process (syntax and style only);
- `yaml.load(..., CLoader)` of every file, in this process (parsing alone).
Printed: seconds, and ratios against the bare load, so the figures travel between machines;
the last column is the time per campaign, to see how the cost grows.
"""

from __future__ import annotations

import argparse
import compileall
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from varied import generate as varied


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start


def bare_load(root: Path) -> float:
    loader = getattr(yaml, "CLoader", yaml.Loader)
    files = sorted(root.rglob("*.yaml"))
    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_text("utf-8"), Loader=loader)  # our own generated files
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # As installed from a wheel: bytecode compiled (an editable install, with
    # PYTHONDONTWRITEBYTECODE set, would compile every module in every run).
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "src/mcplan", quiet=1)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    args = parser.parse_args()
    mcplan = [sys.executable, "-m", "mcplan", "lint", "--format", "concise", "--exit-zero"]
    yamllint = shutil.which("yamllint")
    print(f"{'campaigns':>9}  {'workspace':>9}  {'mcplan lint':>12}  {'yamllint':>10}  "
          f"{'yaml.load':>9}  {'lint/load':>9}  {'lint/yamllint':>13}  "
          f"{'ms/campaign':>11}")  # fmt: skip
    makers = {
        "uniform": generate,
        "varied": lambda root, size: varied(root, max(20, size // 10), size, audience=3),
    }
    for size in args.sizes:
        for name, make in makers.items():
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                make(root, size)
                print(f"{size:>9}  {name:>9}  {row(root, size, mcplan, yamllint)}")


def row(root: Path, size: int, mcplan: list[str], yamllint: str | None) -> str:
    """mcplan lint, yamllint and a bare load of one workspace, and their ratios."""
    load = bare_load(root)
    lint = timed(mcplan, root)
    other = timed([yamllint, "-f", "parsable", "."], root) if yamllint else math.nan
    ratios = f"{lint / load:>8.0f}x  {lint / other:>12.1f}x  {1000 * lint / size:>11.2f}"
    return f"{lint:>11.2f}s  {other:>9.2f}s  {load:>8.3f}s  {ratios}"


if __name__ == "__main__":
    main()
