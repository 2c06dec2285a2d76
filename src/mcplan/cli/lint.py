"""`mcplan lint`, the pre-launch check CI runs, and `mcplan rules`, what it checks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from mcplan.cli.app import (
    FINDINGS,
    Formats,
    WorkspaceOption,
    app,
    echo,
    emit,
    errors,
    fail,
    format_option,
    load,
    one_of,
    progress,
    say,
)
from mcplan.files import write_atomic
from mcplan.output import as_text, canonical

RULE_EMITTERS = Formats("mcplan.output.rules", "RULE_EMITTERS", ("text", "json", "markdown"))

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Report only findings that involve these files or folders; the whole workspace "
        "is still checked (contact pressure crosses files).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    list[str] | None,
    typer.Option(
        "--output",
        help="FMT=FILE: also write the findings in that format to FILE (repeatable), "
        "e.g. --output sarif=mcplan.sarif.",
        show_default=False,
    ),
]
FailLevelOption = Annotated[
    str | None,
    typer.Option(
        "--fail-level",
        parser=one_of(["error", "warning", "info", "never"]),
        metavar="LEVEL",
        help="Exit 1 when a finding is at or above: error, warning, info or never. "
        "Default: the workspace's [lint] fail_level, else error.",
        show_default=False,
    ),
]
ExitZeroOption = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run.")
]
BaselineOption = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        help="Report only findings not in this file; when it does not exist, record "
        "today's findings in it.",
        dir_okay=False,
        show_default=False,
    ),
]
UpdateBaselineOption = Annotated[
    bool,
    typer.Option("--update-baseline", help="Record today's findings in the --baseline file."),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Processes that check the campaigns. Default: one per core from "
        "200 campaigns, else one. The findings are the same.",
    ),
]
LintFormatOption = Annotated[
    str | None,
    format_option(FINDINGS, ". Default: text, or github when GITHUB_ACTIONS is set"),
]


@app.command("lint")
def lint_command(
    paths: PathsArgument = None,
    output_format: LintFormatOption = None,
    output: OutputOption = None,
    fail_level: FailLevelOption = None,
    exit_zero: ExitZeroOption = False,
    baseline: BaselineOption = None,
    update_baseline: UpdateBaselineOption = False,
    jobs: JobsOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Check every campaign before it launches: pressure, compliance, one message, limits.

    Loads the whole workspace, expands every touch into dated contacts per persona, renders
    every channel's text, and reports what would go wrong. Exit code 0 when nothing is at or
    above the fail level, 1 when something is, 2 for a usage or configuration error or a file
    that cannot be read.
    """
    from mcplan.lint import config
    from mcplan.lint.engine import lint, workspace_paths
    from mcplan.output.findings import github

    ws = load(workspace)
    outputs = _parse_outputs(output or [])
    if update_baseline and baseline is None:
        fail("--update-baseline needs --baseline FILE")
    with errors():
        reported, outside = workspace_paths(ws, paths) if paths else (None, [])
        for path in outside:
            say(f"{path}: not in the workspace, nothing to check")
        with progress("checking campaigns") as advance:
            result = lint(
                ws,
                paths=reported,
                baseline=baseline,
                update_baseline=update_baseline,
                jobs=jobs,
                progress=advance,
            )
    if result.config_errors:
        for finding in result.config_errors:
            echo(f"{finding}" + (f"\n  hint: {finding.hint}" if finding.hint else ""), err=True)
        fail("the lint configuration has errors")
    if result.recorded is None:
        chosen = output_format or ("github" if github.in_actions(os.environ) else "text")
        emit(FINDINGS, chosen, result)
        for fmt, target in outputs:
            try:
                write_atomic(target, as_text(FINDINGS[fmt](result)), root=ws.root)
            except OSError as exc:
                fail(f"cannot write {target}: {exc.strerror or exc}")
        summary_file = github.step_summary_file(os.environ)
        if summary_file is not None:
            try:
                with summary_file.open("a", encoding="utf-8") as handle:
                    handle.write(github.step_summary(result))
            except OSError as exc:  # the job's summary is a bonus: the findings are out
                say(f"cannot write the step summary {summary_file}: {exc.strerror or exc}")
    say(result.summary())
    level = None if exit_zero else config.fail_level(fail_level or ws.settings.lint.fail_level)
    raise typer.Exit(result.exit_code(level))


def _parse_outputs(values: list[str]) -> list[tuple[str, Path]]:
    outputs = []
    for value in values:
        fmt, _, target = value.partition("=")
        fmt = canonical(fmt)
        if fmt not in FINDINGS or fmt == "text" or not target:
            names = ", ".join(f for f in FINDINGS if f != "text")
            fail(f"--output expects FMT=FILE with FMT one of {names}; got '{value}'")
        outputs.append((fmt, Path(target)))
    return outputs


@app.command("rules")
def rules_command(
    code: Annotated[
        str | None,
        typer.Argument(help="A rule code, such as P101. Default: every rule.", show_default=False),
    ] = None,
    output_format: Annotated[str, format_option(RULE_EMITTERS)] = "text",
) -> None:
    """List every rule mcplan checks, or print one rule's documentation (as `ruff rule`)."""
    from mcplan.lint.registry import FAMILIES
    from mcplan.output.rules import rule_text

    if code is None:
        emit(RULE_EMITTERS, output_format, FAMILIES)
        return
    with errors():
        echo(rule_text(code), nl=False)
