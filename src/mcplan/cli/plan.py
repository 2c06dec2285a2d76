"""`mcplan plan`: choose channels, forecast, propose a schedule."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mcplan.cli.app import (
    ForceOption,
    WorkspaceOption,
    app,
    fail,
    load,
    note_problems,
    say,
    terminal,
)
from mcplan.errors import McplanError, UsageError
from mcplan.files import write_atomic
from mcplan.output.findings import lines as findings_report


class PlanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    YAML = "yaml"
    MARKDOWN = "markdown"


@app.command()
def plan(
    campaigns: Annotated[
        list[str] | None,
        typer.Argument(help="Campaign ids. Default: every campaign.", show_default=False),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every factor of every score.")
    ] = False,
    output_format: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table, json, yaml or markdown (for a brief)."),
    ] = PlanFormat.TABLE,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            help="Write the schedule as an iCalendar file that calendar applications open.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Write the chosen channels and the proposed touches into the campaign files, "
            "keeping comments and formatting.",
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="Print only what --write would change (a unified diff); change nothing."
        ),
    ] = False,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Choose each campaign's channels, forecast them, and propose a schedule.

    For each persona: the channels it uses, filtered (consent, the campaign's channels, a send
    window within the dates, the budget) and scored; the selection maximises the expected value
    within the budget and max_channels. Campaigns without touches get a proposed schedule that
    keeps to every window and pressure cap. Nothing is written without --write. Exit code 1
    when a campaign cannot be planned or scheduled.
    """
    from mcplan.output import plan as plan_report
    from mcplan.output.ics import calendar
    from mcplan.plan import plan as make_plans
    from mcplan.plan.write import diff as text_diff
    from mcplan.plan.write import updated_text

    ws = load(workspace)
    note_problems(ws)
    try:
        plans = make_plans(ws, campaigns)
        if ics is not None and ics.exists() and not force:
            raise UsageError(f"{ics} already exists; add --force to overwrite it")
    except McplanError as exc:
        fail(str(exc))
    if diff:
        pass  # only the changes --write would make, printed below
    elif output_format is PlanFormat.JSON:
        typer.echo(plan_report.as_json(plans), nl=False)
    elif output_format is PlanFormat.YAML:
        typer.echo(plan_report.as_yaml(plans), nl=False)
    elif output_format is PlanFormat.MARKDOWN:
        typer.echo(plan_report.as_markdown(plans, ws, explain=explain), nl=False)
    else:
        console = terminal()
        for block in plan_report.tables(plans, ws, explain=explain):
            console.print(block)
    if ics is not None:
        write_atomic(ics, calendar(plans, ws))
        say(f"wrote {ics}")
    for result in plans:
        if not (write or diff) or result.findings:
            continue
        display = ws.source("campaigns", result.campaign.id).file
        original = (ws.root / display).read_bytes().decode("utf-8")  # keeps CRLF line ends
        proposed = result.touches if result.proposed else None
        try:
            changed = updated_text(original, result.chosen, proposed)
        except McplanError as exc:
            fail(f"cannot update {display}: {exc}")
        if diff:
            typer.echo(text_diff(display, original, changed), nl=False)
        elif changed != original:
            write_atomic(ws.root / display, changed)
            say(f"updated {display}")
    failed = [f for p in plans for f in p.findings]
    if failed:
        say(findings_report.summary(failed) + ": some campaigns could not be planned")
        raise typer.Exit(1)
