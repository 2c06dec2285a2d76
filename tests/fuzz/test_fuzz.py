"""Fuzzing: real workspaces mutated as a hostile pull request would (bytes, lines, indentation,
and hostile values of every type in every field); no command may crash (exit 3), whatever
the files say.

CI runs a short budget on every change; a long run sets ``MCPLAN_FUZZ_EXAMPLES`` (for example
``MCPLAN_FUZZ_EXAMPLES=100000 python -m pytest tests/fuzz -q --hypothesis-show-statistics``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, WORKSPACES
from mcplan.cli import app

EXAMPLES = int(os.environ.get("MCPLAN_FUZZ_EXAMPLES", "20"))
SOURCES = [
    ROOT,
    WORKSPACES / "markets" / "clean",
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
COMMANDS = (
    ["validate"], ["lint", "-f", "json"], ["lint", "-f", "sarif"], ["plan", "-f", "json"],
    ["plan", "--diff"], ["plan", "--ics", "{out}/plan.ics"], ["render", "soldes-hiver-2027"],
    ["render", "soldes-hiver-2027", "--out", "{out}/versions"], ["preview", "-o", "{out}/p.html"],
    ["personas"], ["channels"], ["plan", "--write"],
)  # fmt: skip


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(st.sampled_from(SOURCES), st.lists(MUTATION, min_size=1, max_size=3))
def test_no_mutated_workspace_crashes_a_command(
    source: Path, mutations: list[tuple[str, int, int, str | bytes | int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("tests", "src", ".*"))
        for mutation in mutations:
            _mutate(root, *mutation)
        for command in COMMANDS:
            args = [a.replace("{out}", folder) for a in command]
            shutil.rmtree(Path(folder) / "versions", ignore_errors=True)
            Path(folder, "plan.ics").unlink(missing_ok=True)
            result = CliRunner().invoke(app, [*args, "-w", str(root)], catch_exceptions=False)
            assert result.exit_code in (0, 1, 2), (command, mutations, result.stderr[-2000:])
            assert "internal error" not in result.stderr, (command, mutations, result.stderr)
