"""`mcplan lint`, the pre-launch check CI runs, and `mcplan rules`, what it checks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcplan.cli.app import WorkspaceOption, app, echo, errors, fail, load, one_of, progress, say
from mcplan.cli.formats import FINDINGS, Formats, emit, format_option
from mcplan.output import canonical

if TYPE_CHECKING:
    from mcplan.lint.engine import LintResult
    from mcplan.workspace import Workspace
    from mcplan.workspace.settings import LintSettings

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
SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="RULES",
        help="Run only these rules: codes (P101), prefixes (P, P1) or ALL, separated by "
        "commas (repeatable). Replaces the workspace's [lint] select and ignore, as in ruff.",
        show_default=False,
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        metavar="RULES",
        help="Do not run these rules: codes or prefixes, separated by commas (repeatable); "
        "added to the workspace's [lint] ignore.",
        show_default=False,
    ),
]
StatisticsOption = Annotated[
    bool,
    typer.Option(
        "--statistics",
        help="Print how many findings each rule has, the most first, instead of the "
        "findings (as `ruff check --statistics`; JSON with --format json).",
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
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    statistics: StatisticsOption = False,
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
    from mcplan.lint.engine import lint

    ws = load(workspace)
    outputs = _parse_outputs(output or [])
    settings = _chosen(
        ws.settings.lint, _selectors(select, "--select"), _selectors(ignore, "--ignore")
    )
    if update_baseline and baseline is None:
        fail("--update-baseline needs --baseline FILE")
    with errors():
        reported = _reported(ws, paths)
        with progress("checking campaigns") as advance:
            result = lint(
                ws,
                paths=reported,
                baseline=baseline,
                update_baseline=update_baseline,
                settings=settings,
                jobs=jobs,
                progress=advance,
            )
    _refuse_configuration_errors(result)
    result.fail_level = config.fail_level(fail_level or ws.settings.lint.fail_level)
    if result.recorded is None:  # a run that records its baseline reports nothing
        _print(result, output_format, statistics)
        _write(result, outputs, ws.root)
    say(result.summary())
    raise typer.Exit(result.exit_code(None if exit_zero else result.fail_level))


def _reported(ws: Workspace, paths: list[Path] | None) -> list[str] | None:
    """The workspace's files the paths given name (None: every file); a status line for each
    path outside the workspace."""
    from mcplan.lint.engine import workspace_paths

    if not paths:
        return None
    reported, outside = workspace_paths(ws, paths)
    for path in outside:
        say(f"{path}: not in the workspace, nothing to check")
    return reported


def _refuse_configuration_errors(result: LintResult) -> None:
    """Errors in the `[lint]` table, and exit 2: what to report is unknown."""
    if result.config_errors:
        for finding in result.config_errors:
            echo(f"{finding}" + (f"\n  hint: {finding.hint}" if finding.hint else ""), err=True)
        fail("the lint configuration has errors")


def _print(result: LintResult, output_format: str | None, statistics: bool) -> None:
    """The findings in the format asked for (the default's in CI), or with --statistics how
    many each rule has."""
    from mcplan.output.lint import default_format

    chosen = output_format or default_format(os.environ)
    if not statistics:
        emit(FINDINGS, chosen, result)
        return
    from mcplan.output.findings import _statistics

    show = _statistics.as_json if canonical(chosen) == "json" else _statistics.text
    echo(show(result.findings), nl=False)


def _write(result: LintResult, outputs: list[tuple[str, Path]], root: Path) -> None:
    """The --output files, and GitHub's step summary when the job has one."""
    from mcplan.output.lint import add_step_summary, write_outputs

    with errors():
        write_outputs(result, outputs, root)
    problem = add_step_summary(result, os.environ)
    if problem is not None:
        say(problem)


def _selectors(values: list[str] | None, option: str) -> list[str] | None:
    """``["P1,c101", "X"]`` → ``["P1", "C101", "X"]``, each naming a rule (a usage error
    that suggests one otherwise); None when the option is not given."""
    from mcplan.lint.registry import RULES, matching
    from mcplan.suggest import did_you_mean

    if values is None:
        return None
    selectors = [s.strip().upper() for value in values for s in value.split(",") if s.strip()]
    for selector in selectors:
        if not matching(selector):
            fail(
                f"{option}: unknown rule '{selector}'{did_you_mean(selector, RULES)}; give a "
                "code (P101), a family or prefix (P, P1), or ALL (`mcplan rules` lists them)"
            )
    return selectors


def _chosen(
    config: LintSettings, select: list[str] | None, ignore: list[str] | None
) -> LintSettings:
    """The configuration with the command line's rules: as in ruff, --select starts again
    (the workspace's select and ignore no longer count), --ignore adds to what is ignored."""
    if select is not None:
        return config.model_copy(update={"select": select, "ignore": ignore or []})
    if ignore:
        return config.model_copy(update={"ignore": [*config.ignore, *ignore]})
    return config


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
