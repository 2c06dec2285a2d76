"""`mcplan lint`: the pre-launch check CI runs."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mcplan.cli.app import (
    USAGE_ERROR,
    WorkspaceOption,
    app,
    fail,
    load,
    say,
    terminal,
)
from mcplan.errors import McplanError, UsageError
from mcplan.files import write_atomic
from mcplan.lint import baseline as baseline_file
from mcplan.lint.engine import LintResult, fails
from mcplan.lint.engine import lint as run_lint
from mcplan.output.findings import formats as lint_report
from mcplan.output.findings import lines as findings_report
from mcplan.workspace import Workspace
from mcplan.workspace.settings import FailLevel


class LintFormat(StrEnum):
    TEXT = "text"
    CONCISE = "concise"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
    JUNIT = "junit"


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Report only findings in these files or folders; the whole workspace is "
            "still checked (contact pressure crosses files).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        LintFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, concise, json, github, sarif or junit. Default: text, or github when "
            "GITHUB_ACTIONS is set.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            help="FMT=FILE: also write the findings in that format to FILE (repeatable), "
            "e.g. --output sarif=mcplan.sarif.",
            show_default=False,
        ),
    ] = None,
    fail_level: Annotated[
        FailLevel | None,
        typer.Option(
            "--fail-level",
            help="Exit 1 when a finding is at or above: error, warning, info or never. "
            "Default: the workspace's [lint] fail_level, else error.",
            show_default=False,
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Report only findings not in this file; when it does not exist, record "
            "today's findings in it.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help="Record today's findings in the --baseline file."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Check every campaign before it launches: pressure, compliance, one message, limits.

    Loads the whole workspace, expands every touch into dated contacts per persona, renders
    every channel's text, and reports what would go wrong. Exit code 0 when nothing is at or
    above the fail level, 1 when something is, 2 for a usage or configuration error or a file
    that cannot be read.
    """
    ws = load(workspace)
    outputs = _parse_outputs(output or [])
    if update_baseline and baseline is None:
        fail("--update-baseline needs --baseline FILE")
    try:
        reported = [_relative(ws, p) for p in paths] if paths else None
        record = baseline is not None and (update_baseline or not baseline.exists())
        result = run_lint(ws, paths=reported, baseline=None if record else baseline)
    except McplanError as exc:
        fail(str(exc))
    if result.config_errors:
        typer.echo(findings_report.as_text(result.config_errors), err=True)
        fail("the lint configuration has errors")
    if record:
        assert baseline is not None
        baseline_file.write(baseline, result.findings, baseline_file.SourceLines(ws.root))
        say(f"recorded {len(result.findings)} findings in {baseline}; from now on only new "
             "ones are reported")  # fmt: skip
        raise typer.Exit(0)
    chosen = output_format or (
        LintFormat.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else LintFormat.TEXT
    )
    findings = result.findings
    if chosen is LintFormat.TEXT:
        lint_report.write_text(findings, terminal(), ws.root)
    else:
        typer.echo(lint_report.render(chosen.value, findings, root=ws.root, files=result.files),
                   nl=False)  # fmt: skip
    for fmt, target in outputs:
        try:
            write_atomic(
                target, lint_report.render(fmt, findings, root=ws.root, files=result.files)
            )
        except OSError as exc:
            fail(f"cannot write {target}: {exc.strerror or exc}")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(lint_report.step_summary(findings))
    say(_lint_summary(ws, result))
    if any(f.unreadable for f in findings):
        raise typer.Exit(USAGE_ERROR)
    level = (fail_level or ws.settings.lint.fail_level).value
    raise typer.Exit(1 if fails(findings, level) and not exit_zero else 0)


def _parse_outputs(values: list[str]) -> list[tuple[str, Path]]:
    outputs = []
    for value in values:
        fmt, _, target = value.partition("=")
        if fmt not in lint_report.FORMATS or fmt == "text" or not target:
            choices = ", ".join(f for f in lint_report.FORMATS if f != "text")
            fail(f"--output expects FMT=FILE with FMT one of {choices}; got '{value}'")
        outputs.append((fmt, Path(target)))
    return outputs


def _relative(ws: Workspace, path: Path) -> str:
    absolute = path.resolve()
    try:
        return absolute.relative_to(ws.root).as_posix()
    except ValueError:
        raise UsageError(f"{path} is not inside the workspace {ws.root}") from None


def _lint_summary(ws: Workspace, result: LintResult) -> str:
    counted = findings_report.summary(result.findings) or (
        f"no findings in {len(ws.personas)} personas, {len(ws.campaigns)} campaigns"
    )
    extras = []
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed")
    if result.baselined:
        extras.append(f"{result.baselined} in the baseline")
    return counted + (f" ({', '.join(extras)})" if extras else "")
