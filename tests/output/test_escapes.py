"""What a file says reaches the terminal as text, never as a control sequence: a file name, a
quoted line, a value written with YAML escapes (``"\\e]0;title\\a"``) is shown escaped in every
command and format, and a JSON output still decodes to what the file holds."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import WORKSPACES
from mcplan.output.findings import NAMES as FINDINGS
from mcplan.printable import excerpt, printable

# What a terminal acts on: C0 (but the line break and the tab), DEL, C1, bidi overrides.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TITLE = "\x1b]0;owned\x07\x1b[2J"  # retitle the window, clear the screen
NAME = f"personas/dub{TITLE}lin.yaml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(WORKSPACES / "markets" / "clean", root)
    # A file name with the sequence, holding an error (so that findings name it) ...
    (root / "personas" / "dublin.yaml").rename(root / NAME)
    with (root / NAME).open("a", encoding="utf-8") as handle:
        handle.write('size_note: "\\e[31m"\n')
    # ... a value written with YAML's escapes, shown by personas, render and plan ...
    paris = root / "personas" / "paris.yaml"
    paris.write_text(
        paris.read_text("utf-8") + 'name: "Paris \\e]0;owned\\a\\u202e\\x85"\n', encoding="utf-8"
    )
    # ... and a headline, quoted by render and lint.
    campaign = root / "campaigns" / "paques.yaml"
    campaign.write_text(
        campaign.read_text("utf-8").replace("Vélos de Pâques", '"Vélos \\e[2J de Pâques"'),
        encoding="utf-8",
    )
    return root


COMMANDS = [
    *[("validate", "-f", f) for f in FINDINGS],
    *[("lint", "-f", f) for f in FINDINGS],
    *[("personas", "-f", f) for f in ("text", "json")],
    *[("render", "paques", "-f", f) for f in ("text", "json", "markdown")],
    *[("plan", "-f", f) for f in ("text", "json", "yaml", "markdown")],
    ("calendar", "paques"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_control_character_from_a_file_reaches_the_output(
    run: Callable, workspace: Path, args: tuple[str, ...]
) -> None:
    result = run(*args, "-w", str(workspace))
    assert result.exit_code in (0, 1, 2), result.output
    shown = result.stdout + result.stderr
    assert not CONTROL.search(shown), repr(CONTROL.search(shown))
    if args[-1] == "json":
        json.loads(result.stdout)  # still JSON


def test_the_escaped_text_says_what_the_file_holds(run: Callable, workspace: Path) -> None:
    concise = run("validate", "-f", "concise", "-w", str(workspace)).stdout
    assert "personas/dub\\u001b]0;owned\\u0007\\u001b[2Jlin.yaml:" in concise
    findings = json.loads(run("validate", "-f", "json", "-w", str(workspace)).stdout)
    assert NAME in {f["file"] for f in findings}  # JSON decodes to the very name


@given(st.text())
def test_printable_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = printable(text)
    assert not CONTROL.search(shown)
    assert shown.count("\n") == text.count("\n")
    if not CONTROL.search(text):
        assert shown == text


@given(
    st.recursive(st.text() | st.integers(), lambda v: st.lists(v) | st.dictionaries(st.text(), v))
)
def test_a_json_document_made_printable_decodes_to_the_same_value(value: object) -> None:
    assert json.loads(printable(json.dumps(value, ensure_ascii=False))) == value


@given(st.text(), st.integers(1, 200))
def test_an_excerpt_is_one_bounded_printable_line(text: str, limit: int) -> None:
    shown = excerpt(text, limit)
    assert "\n" not in shown
    assert not CONTROL.search(shown)
    assert len(shown) <= 6 * limit + 1  # each character at most one escape, then …
