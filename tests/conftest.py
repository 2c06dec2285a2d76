from __future__ import annotations

import functools
import os
import re
import subprocess
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol
from unittest import mock

import pytest
import typer.main
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner, Result

from browser import browser
from mcplan.cli import app

__all__ = ["browser"]  # one Chromium for the run: the fixture is the whole suite's

# No deadline for an example (hypothesis's default is 200 ms): on a busy machine, or with the
# tests on every core, an example's time says nothing of mcplan. Its example database
# (.hypothesis/) is safe for several processes: each test has its own folder, each example its
# file, written whole then renamed.
settings.register_profile("mcplan", deadline=None)
settings.load_profile("mcplan")

ROOT = Path(__file__).resolve().parents[1]
WORKSPACES = Path(__file__).resolve().parent / "workspaces"
# The bundled channels, as the library folder holds them (not as the loader reads them, which
# the tests check): a channel added there is in every test that goes through them all.
CHANNEL_LIBRARY = ROOT / "src" / "mcplan" / "channel_library"
BUNDLED_CHANNELS = tuple(sorted(p.stem for p in CHANNEL_LIBRARY.glob("*.yaml")))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from the current output instead of comparing",
    )


# The README's `python -m pytest` runs the tests on every core (pytest-xdist's `-n auto`), each
# test to whichever worker is free, except the modules of `TOGETHER`, whose tests share what
# takes long to make (a module fixture): each of those goes whole to one worker. Set here
# rather than in the settings' addopts, where `-p no:xdist` would make `-n` an unknown option:
# `-n 0` or `-p no:xdist` runs the tests one at a time, and so does `--update-goldens`, whose
# tests rewrite shared documents (the README). xdist's own `--dist loadgroup` cannot do this
# with pytest 9.2, whose test ids its marks no longer change.
TOGETHER = ("tests/attribution/test_engines.py",)  # one Spark session (a JVM: seconds)
_SCHEDULE = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    if not config.pluginmanager.hasplugin("xdist") or "PYTEST_XDIST_WORKER" in os.environ:
        return
    if config.option.numprocesses is None and not config.option.update_goldens:
        config.option.numprocesses = "auto"
    if config.option.numprocesses and config.option.dist == "no":  # `-n 2` alone too
        config.option.dist = "loadscope"
        config.stash[_SCHEDULE] = True


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if not config.stash.get(_SCHEDULE, False):
        return None  # a --dist mode asked for on the command line
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        """xdist's scheduling by scope, each test its own scope but in `TOGETHER`'s modules;
        the biggest scope first."""

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in TOGETHER else nodeid

    return Scheduling(config, log)


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


class Golden(Protocol):
    def __call__(
        self, path: Path, text: str, *, normalize: Callable[[str], object] | None = None
    ) -> None: ...


@pytest.fixture
def golden(update_goldens: bool) -> Golden:
    """Compare a text with its golden file, byte for byte (or rewrite it with --update-goldens).

    ``normalize`` compares what it gives of each instead: `cells` for rich tables.
    """

    def check(path: Path, text: str, *, normalize: Callable[[str], object] | None = None) -> None:
        if update_goldens:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        expected = path.read_bytes().decode("utf-8")
        if normalize is None:
            assert text == expected
        else:
            assert normalize(text) == normalize(expected)

    return check


_RULE = re.compile(r"^[\s─━═│┃┆┊╭╮╰╯┌┐└┘├┤┬┴┼╶╴-]*$")


def generated_part(path: Path, start: str, end: str, part: str, update: bool) -> None:
    """Check that the text between the lines ``start`` and ``end`` of a document is ``part``
    (write it there with ``--update-goldens``): a document's generated part cannot drift."""
    text = path.read_text("utf-8")
    before, rest = text.split(f"{start}\n")
    _, after = rest.split(f"{end}\n")
    expected = f"{before}{start}\n{part}{end}\n{after}"
    if update:
        path.write_text(expected, encoding="utf-8")
    assert text == expected, f"run `python -m pytest --update-goldens` and commit {path.name}"


def cells(text: str) -> list[list[str]]:
    """A rich table's text as rows of cells: what it says, not how rich draws it (the padding,
    the rules, the borders change with rich's releases)."""
    rows = []
    for line in text.splitlines():
        if _RULE.match(line):
            continue
        rows.append([c for c in re.split(r"\s{2,}|[│┃]", line.strip()) if c])
    return rows


# What the terminal and CI tell the command line; a test that wants one sets it. The time zone
# and the language are left as the machine has them: mcplan must not depend on either, and CI
# runs the suite under two of each.
TERMINAL = (
    "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "CLICOLOR",
    "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES",
    "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "MCPLAN_WORKSPACE",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _no_terminal_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in TERMINAL:
        monkeypatch.delenv(name, raising=False)


@functools.cache
def _command() -> Any:
    """The command line typer builds from `app`, once for the run, as a process builds it
    once: typer's test runner builds it again at each call (13 ms of CPU each time)."""
    return typer.main.get_command(app)


def invoke(args: Sequence[str], **options: Any) -> Result:
    """Run the mcplan CLI in-process, as typer's test runner does (``options`` are its)."""
    with mock.patch.object(typer.testing, "_get_command", return_value=_command()):
        return CliRunner().invoke(app, list(args), **options)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the mcplan CLI in-process, optionally from another folder."""

    def run_it(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return invoke(args, catch_exceptions=False)

    return run_it


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


EXPECT = re.compile(r"(?:#|<!--)\s*expect:\s*([A-Z0-9 ]+?)\s*(?:-->)?\s*$")


def planted(root: Path) -> set[tuple[str, int, str]]:
    """(file, line, code) for every `# expect: CODE` comment in a workspace's files (in an
    e-mail layout: `<!-- expect: CODE -->`)."""
    marks = set()
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".toml", ".mjml"):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if match := EXPECT.search(line):
                for code in match[1].split():
                    marks.add((path.relative_to(root).as_posix(), number, code))
    return marks


def french(text: str) -> str:
    """``text`` with its numbers as a French workspace writes them (the default locale):
    ``100,000`` → ``100 000`` (a narrow no-break space), ``19.5`` → ``19,5``."""
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "\u202f", text)
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text)


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` as a test author, whatever the machine's git configuration."""
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout
