"""`mcplan diff`: what a change does to the campaigns, the journeys, their contacts and their
findings."""

from __future__ import annotations

from typing import Annotated

import typer

from mcplan.cli.app import WorkspaceOption, app, errors, load
from mcplan.cli.formats import Formats, emit, format_option
from mcplan.cli.lint import FailLevelOption

EMITTERS = Formats("mcplan.output.diff", "EMITTERS", ("text", "json", "markdown"))


@app.command("diff")
def diff_command(
    base: Annotated[
        str,
        typer.Argument(
            help="The revision to compare with: a branch, a tag, a commit. Default: HEAD (the "
            "working tree's changes); in CI, the pull request's base, such as origin/main.",
            metavar="BASE",
        ),
    ] = "HEAD",
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="Compare with this revision instead of the working tree.",
            metavar="REV",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str, format_option(EMITTERS, " (markdown: for a pull request or $GITHUB_STEP_SUMMARY)")
    ] = "text",
    fail_level: FailLevelOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Show what a change does: touches, journeys, forecast, contact pressure and findings.

    Compares the workspace at git revision BASE with the working tree (or --head REV), read
    through git from the repository that holds the workspace (nothing in the workspace is
    taken for a repository or its configuration, and git runs no program and fetches
    nothing): per campaign the touches added, removed and moved, the channels, the budget
    and the forecast before and after; per journey the steps added, removed, moved and
    changed, its weekly sends and cost before and after and its findings; per persona the
    busiest week and month across every campaign against its caps; the findings the change
    adds and those it fixes. Exit code 1 when the change adds a finding at or above the fail
    level, 0 otherwise.
    """
    from mcplan.diff import changes
    from mcplan.lint import config
    from mcplan.output.diff import Shown

    ws = load(workspace)
    with errors():
        change = changes.between(ws, base, head)
        emit(EMITTERS, output_format, Shown(change, ws.settings.currency, ws.settings.locale))
    level = config.fail_level(fail_level or ws.settings.lint.fail_level)
    raise typer.Exit(change.exit_code(level))


__all__ = ["diff_command"]
