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

import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, WORKSPACES, invoke
from mcplan import load_workspace
from mcplan.output.findings import NAMES as FINDINGS

EXAMPLES = int(os.environ.get("MCPLAN_FUZZ_EXAMPLES", "60"))
TIMES = os.environ.get("MCPLAN_FUZZ_TIMES")  # a file: one line per case, seconds and command
SOURCES = [
    ROOT,
    WORKSPACES / "markets" / "clean",
    ROOT / "examples" / "velocita",
    *(WORKSPACES / "lint" / family / "clean" for family in
      ("pressure", "templates", "compliance", "consistency", "limits", "email")),
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
    # issue 26: digits past Python's limit, characters HTML has no place for, a broken IPv6
    # address, a script as a link, escape sequences, Python's notation, nested doubling
    "9" * 4301, '"V\\x01los \\uFFFE"', "'https://[::1'", "'javascript:alert(1)'",
    '"\\e]0;owned\\a\\e[2J"', "'{{ namespace }}{{ self }}'",
    "'{% set a = [1] %}" + "{% set a = [a, a] %}" * 60 + "{{ a }}'",
]  # fmt: skip
# What a hostile layout inserts: what crashed mrml (nested elements, a Rust panic), includes,
# remote CSS, a carousel that grows with the square of its images.
MJML = [
    "<mj-raw>{% for a in range(100) %}{% for b in range(100) %}<b>{% endfor %}{% endfor %}"
    "</mj-raw>",
    "<mj-raw><!--[if mso]x</mj-raw>", "<mj-text>€>x</mj-text>", "]]>", "<mj-include path='x' />",
    "<mj-style>@import url(https://example.com/x.css); p { background: url(http://x) }</mj-style>",
    "<mj-carousel>" + '<mj-carousel-image src="https://x.example/i.jpg" />' * 200
    + "</mj-carousel>",
    "<mj-wrapper>" * 100, "</mj-section>", "<mj-text>{{ m.headline * 100000 }}</mj-text>",
    "<mj-button href=\"javascript:alert(1)\">x</mj-button>", "<a href=\"https://[::1\">x</a>",
]  # fmt: skip


def _files(root: Path) -> list[Path]:
    found = [p for f in FOLDERS for p in sorted((root / f).glob("*.yaml"))]
    found += sorted(root.glob("*/*.mjml"))  # an e-mail layout
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
    elif kind == "insert" and isinstance(extra, str):
        lines.insert(at, extra.encode())
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
    st.tuples(st.just("insert"), st.integers(0, 99), st.integers(0, 999), st.sampled_from(MJML)),
    st.tuples(st.just("delete"), st.integers(0, 99), st.integers(0, 999), st.just(0)),
    st.tuples(st.just("duplicate"), st.integers(0, 99), st.integers(0, 999), st.just(0)),
    st.tuples(st.just("indent"), st.integers(0, 99), st.integers(0, 999), st.integers(-4, 4)),
)
# Every command that reads a workspace, with each output it can write; {campaign} is one of
# the source's campaigns (a mutation may have renamed or broken it: that is a usage error),
# {results} a results file and {touches} a touchpoint export beside it.
COMMANDS = (
    *(["validate", "-f", f] for f in FINDINGS), *(["lint", "-f", f] for f in FINDINGS),
    ["lint", "--baseline", "{out}/baseline.json"], ["lint", "--output", "sarif={out}/l.sarif"],
    *(["plan", "-f", f] for f in ("text", "json", "yaml", "markdown")), ["plan", "--explain"],
    ["plan", "--diff"], ["plan", "--write"], ["plan", "--ics", "{out}/plan.ics"],
    *(["render", "{campaign}", "-f", f] for f in ("text", "json", "markdown")),
    ["render", "{campaign}", "--out", "{out}/versions"],
    ["preview", "{campaign}", "-o", "{out}/p.html"],
    ["calendar", "--from", "{first}", "--to", "{last}"],
    ["calendar", "--from", "{first}", "--to", "{last}", "-o", "{out}/calendar.html"],
    *(["report", "{campaign}", "-r", "{results}", "-f", f] for f in ("text", "json", "markdown")),
    *(["attribute", "{touches}", "-f", f] for f in ("text", "json", "csv")),
    # The source is HEAD~1 of the workspace's repository, the mutated files HEAD and the
    # working tree: `diff` reads one or both through git.
    ["diff", "HEAD~1"], ["diff", "HEAD~1", "-f", "json"], ["diff", "HEAD~1", "-f", "markdown"],
    ["diff", "HEAD~1", "--head", "HEAD"], ["diff", "HEAD", "--head", "HEAD~1", "-f", "markdown"],
    *(["personas", "-f", f] for f in ("text", "json")),
    *(["channels", "-f", f] for f in ("text", "json")),
)  # fmt: skip
OUTPUTS = ("versions", "plan.ics", "p.html", "baseline.json", "l.sarif", "calendar.html")
# What a terminal acts on: no output may carry it, whatever the files hold.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RESULTS = "channel,sent,converted,revenue,cost\n" + "".join(
    f"{channel},1000,{n + 3},{100 * n + 50},{10 * n + 20}\n"
    for n, channel in enumerate(("email", "sms", "mobile_push", "linkedin", "mail", "store"))
)
TOUCHES = ROOT / "tests" / "attribution" / "data" / "touches.csv"
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


@functools.cache
def _days(source: Path) -> dict[str, str]:
    """The calendar's days: from the first campaign's start, 120 of them (at most 400)."""
    campaigns = load_workspace(source, discover=False).campaigns.values()
    first = min(c.first_day for c in campaigns if c.first_day is not None)
    return {"first": first.isoformat(), "last": (first + dt.timedelta(days=120)).isoformat()}


def _copy(source: Path, folder: str) -> Path:
    root = Path(folder) / "ws"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("tests", "src", ".*"))
    (root.parent / "results.csv").write_text(RESULTS, encoding="utf-8")
    return root


def _commit(root: Path, message: str) -> None:
    """The workspace's files as the next commit of its own repository."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--allow-empty", "-m", message]):
        subprocess.run(
            ["git", "-C", str(root), "-c", "user.name=Fuzz", "-c", "user.email=fuzz@example.com",
             "-c", "commit.gpgsign=false", *args],
            check=True, capture_output=True,
        )  # fmt: skip


def _invoke(
    root: Path, command: list[str], campaign: str, days: dict[str, str]
) -> typer.testing.Result:
    """Runs one command on the workspace at ``root``; its outputs go beside it, fresh."""
    folder = root.parent
    for made in OUTPUTS:
        shutil.rmtree(folder / made, ignore_errors=True)
        (folder / made).unlink(missing_ok=True)
    names = {"out": folder, "campaign": campaign, "results": folder / "results.csv"}
    args = [a.format(**names, touches=TOUCHES, **days) for a in command]
    return invoke([*args, "-w", str(root)], catch_exceptions=False)


def _check(result: typer.testing.Result, command: list[str], context: object) -> None:
    """What every run must be: a known exit, no crash, nothing a terminal would act on."""
    said = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (command, context, result.stderr[-2000:])
    assert "internal error" not in result.stderr, (command, context, result.stderr)
    assert "Traceback" not in said, (command, context, said[-2000:])
    assert not CONTROL.search(said), (command, context, CONTROL.findall(said))


def _run_mutated(
    source: Path, mutations: list[Mutation], commands: list[list[str]], pick: int
) -> None:
    campaigns = _campaigns(source)
    with tempfile.TemporaryDirectory() as folder:
        root = _copy(source, folder)
        compared = any(command[0] == "diff" for command in commands)
        if compared:
            _commit(root, "the source")
        for mutation in mutations:
            _mutate(root, *mutation)
        if compared:
            _commit(root, "mutated")
        for command in commands:
            started = time.perf_counter()
            result = _invoke(root, command, campaigns[pick % len(campaigns)], _days(source))
            if TIMES:
                with open(TIMES, "a", encoding="utf-8") as times:
                    print(f"{time.perf_counter() - started:.3f}", *command, file=times)
            _check(result, command, mutations)


@SETTINGS
@given(st.sampled_from(SOURCES), MUTATIONS, st.sampled_from(COMMANDS), st.integers(0, 99))
def test_no_mutated_workspace_crashes_a_command(
    source: Path, mutations: list[Mutation], command: list[str], pick: int
) -> None:
    """Up to 10 s: the budget CI runs on every change, 60 mutated workspaces with a command
    each, a ninth of them the example's, whose `plan` and `diff` take half a second."""
    _run_mutated(source, mutations, [command], pick)


@settings(SETTINGS, max_examples=max(EXAMPLES // 10, 5))
@given(st.sampled_from(SOURCES), MUTATIONS, st.integers(0, 99))
def test_no_mutated_workspace_crashes_any_command(
    source: Path, mutations: list[Mutation], pick: int
) -> None:
    """Slow (15 to 30 s): every command, about 40, on each mutated workspace; on the example's,
    each `plan` and `diff` places its journeys' sends near the campaigns' touches (0.5 s)."""
    _run_mutated(source, mutations, list(COMMANDS), pick)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name if s != ROOT else "example")
def test_every_command_runs_on_every_unmutated_source(source: Path) -> None:
    """The harness itself: unmutated, every command does its job on every source, so a fuzz
    case exercises the command rather than stopping at a usage error. On the example it takes
    about 11 s: each `plan` and `diff` places its journeys' sends near the touches (0.5 s)."""
    with tempfile.TemporaryDirectory() as folder:
        root = _copy(source, folder)
        _commit(root, "the source")
        _commit(root, "no change")
        for command in COMMANDS:
            result = _invoke(root, command, _campaigns(source)[0], _days(source))
            _check(result, command, source)
            assert result.exit_code in (0, 1), (command, result.stderr[-500:])
