"""The command line, through typer's CliRunner, with exact output and exit codes."""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import Result

import mcplan
from conftest import BUNDLED_CHANNELS, CAMPAIGN, PERSONA, ROOT
from mcplan import __version__
from mcplan.cli import app
from mcplan.workspace.schema import KINDS, schema_text


def test_version(run: Callable) -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"mcplan {__version__}\n")


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mcplan", "--version"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, f"mcplan {__version__}\n")


def test_help_paragraphs_flow_to_the_terminal_width() -> None:
    # A docstring's line breaks are not the terminal's: single ones are joined, whatever
    # typer's version does with them.
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert len(commands) == 15
    for name, command in commands.items():
        assert re.search(r"(?<!\n)\n(?!\n)", command.help) is None, name
    assert "channels, a send window within the dates" in commands["plan"].help


def test_validate_the_example_workspace_from_a_subfolder(run: Callable) -> None:
    result = run("validate", cwd=ROOT / "campaigns")
    assert result.exit_code == 0
    assert result.stdout == ""
    channels = len(BUNDLED_CHANNELS)  # the example's channel_rules/ only extend bundled ones
    assert (
        result.stderr
        == f"mcplan: workspace valid: 4 personas, 3 campaigns, 2 journeys, {channels} channels\n"
    )


def test_workspace_from_the_environment(
    run: Callable, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MCPLAN_WORKSPACE", str(ROOT))
    assert run("validate", cwd=tmp_path).exit_code == 0


def test_no_workspace_is_a_usage_error(run: Callable, tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("mcplan: error: no mcplan workspace in ")
    assert "Traceback" not in result.output


def test_missing_workspace_folder_is_a_usage_error(run: Callable, tmp_path: Path) -> None:
    result = run("personas", "--workspace", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr or "not found" in result.stderr


def test_validate_json_lists_findings_with_positions(
    make_workspace: Callable, run: Callable
) -> None:
    root = make_workspace(
        {"personas/marie.yaml": PERSONA.replace("stage: loyalty", "stage: loyal")}
    )
    result = run("validate", "-w", str(root), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "rule": "S203",
            "level": "error",
            "file": "personas/marie.yaml",
            "line": 3,
            "column": 8,
            "end_line": 3,
            "end_column": 13,
            "message": "stage: 'loyal' is not one of: prospection, acquisition, loyalty, "
            "reactivation (did you mean 'loyalty'?)",
            "hint": "",
            "related": [],
            "subject": {},
        }
    ]
    assert result.stderr == "mcplan: 1 error in 1 file\n"


def test_validate_text_shows_the_line_and_the_hint(make_workspace: Callable, run: Callable) -> None:
    root = make_workspace({"personas/marie.yaml": PERSONA + "    chanels: {}\n"})
    result = run("validate", "-w", str(root))
    assert result.stdout == (
        "personas/marie.yaml\n"
        "  7:1 error S201 chanels: unknown key 'chanels' (did you mean 'channels'?)\n"
        "    7 │ chanels: {}\n"
        "      │ ^^^^^^^\n"
        "    hint: fix the spelling, or remove the key; `mcplan schema KIND` lists every key\n"
    )


def test_validate_concise_is_one_line_per_finding(make_workspace: Callable, run: Callable) -> None:
    root = make_workspace({"personas/marie.yaml": PERSONA + "    chanels: {}\n"})
    result = run("validate", "-w", str(root), "-f", "concise")
    assert result.stdout == (
        "personas/marie.yaml:7:1: error S201 chanels: unknown key 'chanels' "
        "(did you mean 'channels'?)\n"
    )


def _cells(line: str) -> list[str]:
    """A table's line as its cells (a French number keeps its no-break spaces)."""
    return [cell for cell in line.split(" ") if cell]


def test_channels_table_lists_bundled_and_workspace_channels(run: Callable) -> None:
    result = run("channels", "-w", str(ROOT))
    assert result.exit_code == 0
    costs, windows = (
        [_cells(line) for line in table.splitlines() if line.strip().startswith("sms ")]
        for table in result.stdout.split("Canaux : quand")  # the workspace is French
    )
    percents = ["95\xa0%", "10\xa0%", "1\xa0%"]  # in the workspace's French
    assert costs == [["sms", "sortant", "0,045", "50", *percents, "étend", "sms"]]
    costs_table = result.stdout.split("Canaux : quand")[0]
    rows = {line.split()[0]: _cells(line) for line in costs_table.splitlines() if line.strip()}
    assert rows["email"][5:7] == ["2,5\xa0%", "0,1\xa0%"]  # as written, not rounded to 2 or 3
    assert rows["linkedin"][5] == "3,5\xa0%"
    assert windows == [["sms", "FR", "lun.–sam.", "08:00–20:00", "non", "opt_in", "opt_out"]]
    assert "10:00–13:00, 14:00–20:00" in result.stdout  # phone: two ranges


def test_channels_json(run: Callable) -> None:
    rows = json.loads(run("channels", "-w", str(ROOT), "--format", "json").stdout)
    by_id = {row["id"]: row for row in rows}
    assert sorted(by_id) == list(BUNDLED_CHANNELS)
    assert by_id["sms"]["origin"] == "extends sms"
    assert by_id["sms"]["cost_per_contact"] == 0.045
    assert by_id["phone"]["pressure"]["max_per_30_days"] == 4


def test_personas_table(run: Callable) -> None:
    result = run("personas", "-w", str(ROOT))
    assert result.exit_code == 0
    lines = [_cells(line) for line in result.stdout.splitlines()]
    marie = lines.index(["marie-citadine", "b2c,", "loyalty", "48\u202f000"])
    assert lines[marie + 1 : marie + 3] == [
        ["email", "92\xa0%", "60\xa0%", "opt_in"],
        ["instagram", "55\xa0%", "90\xa0%", "none"],
    ]


def test_personas_json(run: Callable) -> None:
    rows = json.loads(run("personas", "-w", str(ROOT), "-f", "json").stdout)
    assert [row["id"] for row in rows] == [
        "claire-acheteuse-pme", "jean-retraite-province", "lea-etudiante", "marie-citadine",
    ]  # fmt: skip
    assert rows[0]["channels"]["email"] == {"reach": 0.85, "affinity": 0.7, "consent": "opt_out"}


def test_listing_commands_warn_about_files_left_out(
    make_workspace: Callable, run: Callable
) -> None:
    root = make_workspace({"personas/marie.yaml": PERSONA, "personas/bad.yaml": "size: [\n"})
    result = run("personas", "-w", str(root))
    assert result.exit_code == 0
    assert "marie" in result.stdout
    assert result.stderr == (
        "mcplan: left out, with 1 error in 1 file: personas/bad.yaml; run `mcplan validate` "
        "for details\n"
    )


def test_a_plan_or_a_report_that_leaves_files_out_exits_1(
    make_workspace: Callable, run: Callable, tmp_path: Path
) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "personas/paul.yaml": PERSONA.replace("stage:", "stag:"),
            "campaigns/c.yaml": CAMPAIGN.replace("[marie]", "[marie, paul]"),
        }
    )
    planned = run("plan", "-w", str(root))
    assert planned.exit_code == 1  # its figures leave paul out
    assert "left out, with 1 error in 1 file: personas/paul.yaml" in planned.stderr
    results = tmp_path / "results.csv"
    results.write_text("channel,converted\nemail,3\n", encoding="utf-8")
    reported = run("report", "c", "--results", str(results), "-w", str(root))
    assert reported.exit_code == 1
    (root / "personas/paul.yaml").unlink()
    assert run("plan", "-w", str(root)).exit_code == 0
    (root / "mcplan.toml").write_text('currency = "GBP"\n', encoding="utf-8")  # a warning
    warned = run("plan", "-w", str(root))
    assert (warned.exit_code, "left out" in warned.stderr) == (0, False)


@pytest.mark.parametrize("kind", list(KINDS))
def test_schema_prints_one_kind(run: Callable, kind: str) -> None:
    result = run("schema", kind)
    assert result.exit_code == 0
    assert result.stdout == schema_text(kind)


def test_schema_write(run: Callable, tmp_path: Path) -> None:
    result = run("schema", "--write", str(tmp_path / "schemas"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(
        f"{kind}.schema.json" for kind in KINDS
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schema", "personna"], "mcplan: error: unknown kind 'personna': choose one of "),
        (["schema"], "mcplan: error: give a KIND"),
        (["schema", "persona", "--write", "x"], "mcplan: error: give either KIND or --write"),
    ],
)
def test_schema_usage_errors(run: Callable, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_unknown_format_is_a_usage_error(run: Callable) -> None:
    result = run("validate", "-w", str(ROOT), "--format", "xml")
    assert result.exit_code == 2


def test_rules_lists_every_rule_and_prints_one(run: Callable) -> None:
    listing = json.loads(run("rules", "-f", "json").stdout)
    assert [r["code"] for r in listing][:2] == ["S101", "S102"]
    assert {"P101", "L104", "X101"} <= {r["code"] for r in listing}
    one = run("rules", "p104")
    assert one.exit_code == 0
    assert one.stdout.startswith("# P104: same-day\n\nLevel: warning. Family: pressure.\n")
    assert "## Fails\n" in one.stdout
    unknown = run("rules", "P1O4")
    assert unknown.exit_code == 2
    assert unknown.stderr == "mcplan: error: unknown rule 'P1O4' (did you mean 'P104'?)\n"


def test_a_crash_is_an_internal_error_with_exit_3_never_1(
    run: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Exit 1 means findings: CI must not read a bug in mcplan as a failed check.
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    references = importlib.import_module("mcplan.workspace.references")
    monkeypatch.setattr(references, "check_references", broken)
    monkeypatch.delenv("MCPLAN_DEBUG", raising=False)
    result = run("validate", "-w", str(ROOT))
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "mcplan: internal error (ZeroDivisionError: division by zero); this is a bug in mcplan"
    )


def test_import_mcplan_loads_no_model_rule_or_heavy_library() -> None:
    """The public API loads on first use: `import mcplan` stays light, and every name of
    `__all__` still resolves."""
    code = (
        "import sys, mcplan\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'numpy', 'babel', 'jinja2', 'holidays', 'ruamel', 'yaml') "
        "or m.startswith(('mcplan.workspace', 'mcplan.lint', 'mcplan.render')))\n"
        "print(heavy)\n"
        "print(all(getattr(mcplan, n) is not None for n in mcplan.__all__))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "True"]
    assert set(mcplan.__all__) == {*mcplan._API, "__version__"}


def _imported(args: list[str]) -> set[str]:
    """The modules a fresh `mcplan ARGS` imports."""
    code = (
        "import sys\nfrom mcplan.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(done.stdout.splitlines())


HEAVY = ("pydantic", "numpy", "babel", "jinja2", "holidays", "ruamel", "yaml", "re2", "pyarrow")
# What the command line itself needs of the library: messages, errors, files, formats.
LIGHT = {
    "mcplan.errors",
    "mcplan.writing",
    "mcplan.findings",
    "mcplan.lazy",
    "mcplan.output",
    "mcplan.output.findings",
    "mcplan.numbers",
    "mcplan.printable",
}


def test_version_and_help_import_no_model_rule_or_heavy_library() -> None:
    for args in (["--version"], ["--help"], ["plan", "--help"]):
        loaded = _imported(args)
        # typer itself loads pydantic to show a command's own help
        allowed = ("pydantic", "pydantic_core") if len(args) > 1 else ()
        heavy = {m for m in loaded if m.split(".")[0] in HEAVY and not m.startswith(allowed)}
        ours = {m for m in loaded if m.startswith("mcplan.") and not m.startswith("mcplan.cli")}
        assert heavy == set(), args
        assert ours <= LIGHT, args


def test_validate_imports_no_planning_attribution_or_output_it_does_not_show() -> None:
    loaded = _imported(["validate"])
    assert not {m for m in loaded if m.split(".")[0] in ("numpy", "pyarrow", "icalendar")}
    unused = (
        "mcplan.attribution",
        "mcplan.report",
        "mcplan.output.plan",
        "mcplan.output.preview",
        "mcplan.plan.planner",
        "mcplan.render.engine",  # rendering, like the facts and holidays, is for lint
        "mcplan.render.sandbox",
        "mcplan.lint.facts",
        "holidays",
        "mcplan.output.findings.junit",  # only the format asked for
        "xml",
    )
    assert not {m for m in loaded if m.startswith(unused)}


def test_every_format_table_a_command_declares_is_the_emitters_table() -> None:
    from mcplan.cli.formats import Formats

    assert len(Formats.every) >= 8
    for table in Formats.every:
        assert list(table) == list(table.emitters()), table.module


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("terminal", "ci", "shown"), [(True, None, True), (True, "true", False), (False, None, False)]
)
def test_progress_is_drawn_on_a_terminal_only_outside_ci(
    monkeypatch: pytest.MonkeyPatch, terminal: bool, ci: str | None, shown: bool
) -> None:
    cli = importlib.import_module("mcplan.cli.app")

    stderr = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(cli, "PROGRESS_AFTER", 0.0)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with cli.progress("checking campaigns") as advance:
        advance(1, 4)
        advance(4, 4)
    assert ("checking campaigns" in stderr.getvalue()) is shown


def test_quiet_leaves_only_what_the_command_produces(run: Callable[..., Result]) -> None:
    loud = run("lint", "-w", str(ROOT), "--format", "json")
    quiet = run("--quiet", "lint", "-w", str(ROOT), "--format", "json")
    assert "mcplan:" in loud.stderr
    assert quiet.stderr == ""
    assert (quiet.exit_code, quiet.stdout) == (loud.exit_code, loud.stdout)
    broken = run("-q", "lint", "-w", str(ROOT / "nowhere"))
    assert broken.exit_code == 2
    assert "error" in broken.stderr  # errors are not status lines


def test_the_version_is_printed_before_the_command_line_is_imported() -> None:
    code = (
        "import sys\nsys.argv = ['mcplan', '--version']\nfrom mcplan.__main__ import main\n"
        "main()\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', "
        "'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [f"mcplan {__version__}", "[]"]


@pytest.mark.parametrize(
    ("args", "status"),
    [(["validate"], 0), (["lint", "--format", "json"], 1), (["lint", "-w", "nowhere"], 2)],
)
def test_the_console_script_ends_with_the_command_s_exit_code_and_all_its_output(
    args: list[str], status: int, tmp_path: Path
) -> None:
    planted = ROOT / "tests" / "workspaces" / "lint" / "compliance" / "planted"
    where = [] if "-w" in args else ["-w", str(ROOT if args == ["validate"] else planted)]
    out = subprocess.run(
        [sys.executable, "-m", "mcplan", *args, *where],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == status, out.stderr
    if "json" in args:  # every byte of a long output reaches the pipe
        assert len(json.loads(out.stdout)) > 20
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["rules", "-f", "markdown"],
        ["rules"],
        ["lint", "-f", "json"],
        ["--help"],
        ["attribute", "--help"],
    ],
)
def test_a_reader_that_closes_the_output_is_no_bug(args: list[str]) -> None:
    """`mcplan rules | head`: the exit a shell gives a program ended by SIGPIPE, no message."""
    # The reader is gone before the process starts, so before its first byte whatever the
    # machine's load (closed after it started, a short output could be in the pipe first).
    reader, writer = os.pipe()
    os.close(reader)
    with subprocess.Popen(
        [sys.executable, "-m", "mcplan", *args], stdout=writer, stderr=subprocess.PIPE, cwd=ROOT
    ) as process:
        os.close(writer)
        assert process.stderr is not None
        error = process.stderr.read().decode()
    assert (process.returncode, error) == (141, "")
