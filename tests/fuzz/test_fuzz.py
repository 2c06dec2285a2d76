"""Fuzzing: real workspaces mutated as a hostile pull request would (bytes, lines, indentation,
and hostile values of every type in every field); no command may crash (exit 3), whatever
the files say.

Each case is one mutated workspace and one command drawn from ``COMMANDS`` (every command
that reads a workspace, each output it writes); a second test runs every command on each
mutated workspace. CI runs a short budget on every change; a long run sets
``MCPLAN_FUZZ_EXAMPLES`` (for example ``MCPLAN_FUZZ_EXAMPLES=100000 python -m pytest
tests/fuzz/test_fuzz.py -q --hypothesis-show-statistics --hypothesis-seed=1``), and
``MCPLAN_FUZZ_TIMES=times.txt`` records each command's seconds, to find the slowest case.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, WORKSPACES
from mcplan import load_workspace
from mcplan.cli import app

EXAMPLES = int(os.environ.get("MCPLAN_FUZZ_EXAMPLES", "60"))
TIMES = os.environ.get("MCPLAN_FUZZ_TIMES")  # a file: one line per case, seconds and command
SOURCES = [
    ROOT,
    WORKSPACES / "markets" / "clean",
    ROOT / "examples" / "velocita",
    *(WORKSPACES / "lint" / family / "clean" for family in
      ("pressure", "templates", "compliance", "consistency", "limits")),
]  # fmt: skip
FOLDERS = ("personas", "campaigns", "channel_rules")

# Values a hostile contributor writes in place of any value: wrong types, extremes, YAML
# features, special characters, template payloads, patterns that backtrack.
HOSTILE = [
    "", "~", "[]", "{}", "[[[[[[]]]]]]", "-1", "0", "1e400", "-1e400", ".nan", ".inf", "1e300",
    "10" + "0" * 400, "0012", "1e5", "true", "no", "'yes'", "2027-02-30", "0001-01-01",
    "9999-12-31T23:59", "2027-03-28T02:30", "'2027-01-13T09:00+14:00'",
    "!!python/object:os.system", "!custom x", "&a [*a, *a]", "*missing",
    '"\\u2028\\x85\\x00"', '"\\t\\r"', "'" + "a" * 5000 + "'",
    "zz-ZZ", "en", "Europe", "Europe/Nowhere", "FR-99", "QQ", "'(a+)+$'", "'(?<=a)b'",
    "'{{ 2 ** 999 }}'", "'{% for i in range(999999) %}x{% endfor %}'", "'{{ m.__class__ }}'",
    "'{% include \"x\" %}'", "'{{ m.headline ~ m.headline }}'", "'=HYPERLINK(\"x\")'",
    "'../../etc/passwd'", "{<<: {a: 1}}", "- a\n- b", "|\n  multi\n  line", "'  '", "null",
    "[email, email]", "{sms: {reach: 2}}", "'#tag ' ",
]  # fmt: skip


def _files(root: Path) -> list[Path]:
    found = [p for f in FOLDERS for p in sorted((root / f).glob("*.yaml"))]
    return found + ([root / "mcplan.toml"] if (root / "mcplan.toml").exists() else [])


Mutation = tuple[str, int, int, str | bytes | int]


def _mutate(root: Path, kind: str, pick: int, where: int, extra: str | bytes | int) -> None:
    files = _files(root)
    if not files:
        return
    path = files[pick % len(files)]
    data = path.read_bytes()
    lines = data.split(b"\n")
    at = where % max(len(lines), 1)
    if kind == "value" and isinstance(extra, str):
        line = lines[at]
        for sep in (b": ", b" = "):
            if sep in line:
                key = line.split(sep, 1)[0]
                lines[at] = key + sep + extra.encode().replace(b"\n", b"\n" + b" " * 4)
                break
    elif kind == "bytes" and isinstance(extra, bytes):
        spot = where % max(len(data), 1)
        path.write_bytes(data[:spot] + extra + data[spot + len(extra) :])
        return
    elif kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "indent" and isinstance(extra, int):
        line = lines[at]
        lines[at] = b" " * extra + line if extra >= 0 else line[-extra:]
    path.write_bytes(b"\n".join(lines))


MUTATION = st.one_of(
    st.tuples(st.just("value"), st.integers(0, 99), st.integers(0, 999), st.sampled_from(HOSTILE)),
    st.tuples(
        st.just("bytes"),
        st.integers(0, 99),
        st.integers(0, 10**6),
        st.binary(min_size=1, max_size=8),
    ),
    st.tuples(st.just("delete"), st.integers(0, 99), st.integers(0, 999), st.just(0)),
    st.tuples(st.just("duplicate"), st.integers(0, 99), st.integers(0, 999), st.just(0)),
    st.tuples(st.just("indent"), st.integers(0, 99), st.integers(0, 999), st.integers(-4, 4)),
)
# Every command that reads a workspace, with each output it can write; {campaign} is one of
# the source's campaigns (a mutation may have renamed or broken it: that is a usage error).
COMMANDS = (
    ["validate"], ["lint"], ["lint", "-f", "json"], ["lint", "-f", "sarif"],
    ["lint", "--baseline", "{out}/baseline.json"], ["plan"], ["plan", "-f", "json"],
    ["plan", "-f", "markdown"], ["plan", "--explain"], ["plan", "--diff"], ["plan", "--write"],
    ["plan", "--ics", "{out}/plan.ics"], ["render", "{campaign}"],
    ["render", "{campaign}", "-f", "json"], ["render", "{campaign}", "--out", "{out}/versions"],
    ["preview", "{campaign}", "-o", "{out}/p.html"], ["personas"], ["channels"],
)  # fmt: skip
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=3)


@functools.cache
def _campaigns(source: Path) -> tuple[str, ...]:
    return tuple(load_workspace(source, discover=False).campaigns)


def _copy(source: Path, folder: str) -> Path:
    root = Path(folder) / "ws"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("tests", "src", ".*"))
    return root


def _invoke(root: Path, command: list[str], campaign: str) -> typer.testing.Result:
    """Runs one command on the workspace at ``root``; its outputs go beside it, fresh."""
    folder = root.parent
    for made in ("versions", "plan.ics", "p.html", "baseline.json"):
        shutil.rmtree(folder / made, ignore_errors=True)
        (folder / made).unlink(missing_ok=True)
    args = [a.format(out=folder, campaign=campaign) for a in command]
    return CliRunner().invoke(app, [*args, "-w", str(root)], catch_exceptions=False)


def _run_mutated(
    source: Path, mutations: list[Mutation], commands: list[list[str]], pick: int
) -> None:
    campaigns = _campaigns(source)
    with tempfile.TemporaryDirectory() as folder:
        root = _copy(source, folder)
        for mutation in mutations:
            _mutate(root, *mutation)
        for command in commands:
            started = time.perf_counter()
            result = _invoke(root, command, campaigns[pick % len(campaigns)])
            if TIMES:
                with open(TIMES, "a", encoding="utf-8") as times:
                    print(f"{time.perf_counter() - started:.3f}", *command, file=times)
            assert result.exit_code in (0, 1, 2), (command, mutations, result.stderr[-2000:])
            assert "internal error" not in result.stderr, (command, mutations, result.stderr)


@SETTINGS
@given(st.sampled_from(SOURCES), MUTATIONS, st.sampled_from(COMMANDS), st.integers(0, 99))
def test_no_mutated_workspace_crashes_a_command(
    source: Path, mutations: list[Mutation], command: list[str], pick: int
) -> None:
    _run_mutated(source, mutations, [command], pick)


@settings(SETTINGS, max_examples=max(EXAMPLES // 10, 5))
@given(st.sampled_from(SOURCES), MUTATIONS, st.integers(0, 99))
def test_no_mutated_workspace_crashes_any_command(
    source: Path, mutations: list[Mutation], pick: int
) -> None:
    _run_mutated(source, mutations, list(COMMANDS), pick)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name if s != ROOT else "example")
def test_every_command_runs_on_every_unmutated_source(source: Path) -> None:
    """The harness itself: unmutated, every command does its job on every source, so a fuzz
    case exercises the command rather than stopping at a usage error."""
    with tempfile.TemporaryDirectory() as folder:
        root = _copy(source, folder)
        for command in COMMANDS:
            result = _invoke(root, command, _campaigns(source)[0])
            assert result.exit_code in (0, 1), (command, result.stderr[-500:])
