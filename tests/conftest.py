from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mcplan.cli import app

ROOT = Path(__file__).resolve().parents[1]
WORKSPACES = Path(__file__).resolve().parent / "workspaces"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


Golden = Callable[[Path, str], None]


@pytest.fixture
def golden(update_goldens: bool) -> Golden:
    """Compare a text with its golden file, byte for byte (or rewrite it with --update-goldens)."""

    def check(path: Path, text: str) -> None:
        if update_goldens:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        assert text == path.read_bytes().decode("utf-8")

    return check


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the mcplan CLI in-process, optionally from another folder."""
    monkeypatch.delenv("MCPLAN_WORKSPACE", raising=False)

    def invoke(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return CliRunner().invoke(app, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a workspace from {relative path: content}; text is dedented."""

    def make(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        for folder in ("personas", "campaigns", "channel_rules"):
            (tmp_path / folder).mkdir(exist_ok=True)
        return tmp_path

    return make


PERSONA = """
    market: b2c
    size: 1000
    stage: loyalty
    channels:
      email: {reach: 0.9, affinity: 0.5, consent: opt_in}
      sms: {reach: 0.7, affinity: 0.8, consent: opt_in}
"""

CAMPAIGN = """
    brand: Maison Lumen
    personas: [marie]
    message:
      headline: Les soldes sont là
      starts: 2027-01-13
      ends: 2027-02-09
"""


EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9 ]+?)\s*$")


def planted(root: Path) -> set[tuple[str, int, str]]:
    """(file, line, code) for every `# expect: CODE` comment in a workspace's files."""
    marks = set()
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".toml"):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if match := EXPECT.search(line):
                for code in match[1].split():
                    marks.add((path.relative_to(root).as_posix(), number, code))
    return marks
