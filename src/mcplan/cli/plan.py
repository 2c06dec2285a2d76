"""`mcplan plan`: choose channels, forecast, propose a schedule."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcplan.cli.app import (
    ForceOption,
    WorkspaceOption,
    app,
    echo,
    errors,
    load,
    note_problems,
    progress,
    say,
)
from mcplan.cli.formats import Formats, emit, format_option
from mcplan.findings import exit_code, summary

if TYPE_CHECKING:
    from mcplan.plan.result import PlanResult

EMITTERS = Formats("mcplan.output.plan", "EMITTERS", ("text", "json", "yaml", "markdown"))

CampaignsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Campaign and journey ids. Default: every campaign and every journey.",
        show_default=False,
    ),
]
ExplainOption = Annotated[bool, typer.Option("--explain", help="Show every factor of every score.")]
IcsOption = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        help="Write the schedule as an iCalendar file that calendar applications open.",
        dir_okay=False,
        show_default=False,
    ),
]
WriteOption = Annotated[
    bool,
    typer.Option(
        "--write",
        help="Write the chosen channels and the proposed touches into the campaign files, "
        "keeping comments and formatting.",
    ),
]
DiffOption = Annotated[
    bool,
    typer.Option(
        "--diff", help="Print only what --write would change (a unified diff); change nothing."
    ),
]


@app.command("plan")
def plan_command(
    campaigns: CampaignsArgument = None,
    explain: ExplainOption = False,
    output_format: Annotated[str, format_option(EMITTERS, " (markdown: for a brief)")] = "text",
    ics: IcsOption = None,
    write: WriteOption = False,
    diff: DiffOption = False,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Choose each campaign's channels, forecast them, and propose a schedule.

    For each persona: the channels it uses, filtered (consent, the campaign's channels, a send
    window within the dates, the budget) and scored; the selection maximises the expected value
    within the budget and max_channels. Campaigns without touches get a proposed schedule that
    keeps to every window and pressure cap. Each journey's send steps are forecast per week:
    sends per persona, cost, conversions and revenue, and its live period's totals. Nothing is
    written without --write (which, like --diff and --ics, is about campaigns). Exit code 1
    when a campaign cannot be planned or scheduled, or when files with errors are left out.
    """
    from mcplan.output.ics import calendar
    from mcplan.output.plan import Plans
    from mcplan.plan import plan
    from mcplan.plan.write import apply_plan, changes
    from mcplan.writing import write_file

    ws = load(workspace)
    left_out = note_problems(ws)
    with errors():
        with progress("planning campaigns") as advance:
            plans = plan(ws, campaigns, progress=advance)
        _about_campaigns(plans, write=write, diff=diff, ics=ics is not None)
        if ics is not None:
            write_file(ics, calendar(plans, ws), force=force, root=ws.root)
        if diff:
            echo("".join(change.diff() for change in changes(ws, plans)), nl=False)
        else:
            emit(EMITTERS, output_format, Plans(plans, ws, explain, plans.journeys, plans.held))
        written = apply_plan(ws, plans) if write and not diff else []
    if ics is not None:
        say(f"wrote {ics}")
    for change in written:
        say(f"updated {change.file}")
    if write and not diff:
        for result in plans:
            if not result.planned:
                left = ws.source("campaigns", result.campaign.id).file
                say(f"left {left} as it was: campaign '{result.campaign.id}' could not be planned")
    failed = [f for p in plans for f in p.findings]
    if failed:
        unplanned = any(not p.planned for p in plans)
        say(summary(failed) + (": some campaigns could not be planned" if unplanned else ""))
    raise typer.Exit(exit_code(failed) or int(left_out))


def _about_campaigns(plans: PlanResult, *, write: bool, diff: bool, ics: bool) -> None:
    """--write, --diff and --ics write or show campaigns' touches: they leave the journeys
    out, and are a usage error when only journeys are named (there is nothing to do)."""
    from mcplan.errors import UsageError

    used = [name for name, on in (("--write", write), ("--diff", diff), ("--ics", ics)) if on]
    if used and not plans and plans.journeys:
        ids = ", ".join(f"'{j.journey}'" for j in plans.journeys)
        raise UsageError(
            f"{' and '.join(used)}: for campaigns only, and {ids} "
            f"{'is a journey' if len(plans.journeys) == 1 else 'are journeys'}; "
            "without it, plan shows the forecast"
        )
