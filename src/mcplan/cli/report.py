"""`mcplan report`: a campaign's results against its plan, and what to do next time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcplan.cli.app import (
    AliasOption,
    ForceOption,
    WorkspaceOption,
    app,
    column_option,
    errors,
    fail,
    load,
    note_problems,
    pairs,
    say,
)
from mcplan.cli.formats import Formats, emit, format_option

if TYPE_CHECKING:
    from mcplan.workspace import Workspace

EMITTERS = Formats("mcplan.output.report", "EMITTERS", ("text", "json", "markdown"))

ColumnOption = Annotated[
    list[str] | None,
    column_option(
        "channel, sent, delivered, opened, clicked, converted, revenue, cost, arm or contacts "
        "(a journey's: step, persona, sent… and week, from, to or date)"
    ),
]

ResultsOption = Annotated[
    Path | None,
    typer.Option(
        "--results",
        "-r",
        help="CSV file of results per channel: channel and converted are required; sent, "
        "delivered, opened, clicked, revenue, cost are optional (French, German, Dutch, "
        "Italian and Spanish headers, `;` and a row of totals work too); an arm column gives a "
        "row per arm of a message test, and rows treated and holdout with contacts and "
        "converted for a holdout. A journey's export has a row per send step (step, sent and "
        "converted required) and its period (week, from and to, or date). With --mmm and "
        "no campaign: every results/<campaign>.csv (or .parquet) of the workspace.",
        dir_okay=False,
        show_default=False,
    ),
]

DecimalOption = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        metavar="MARK",
        help="The file's decimal mark, . or , (for numbers such as 1,234 that its other "
        "numbers do not settle).",
        show_default=False,
    ),
]
DateFormatOption = Annotated[
    str | None,
    typer.Option(
        "--date-format",
        metavar="PATTERN",
        help="How a date column writes its days, as a strftime pattern: '%d/%m/%Y' for "
        "02/07/2027 (2 July), '%m/%d/%Y' for an American export; the rows of a channel on "
        "several days are added up. ISO 8601 is always read.",
        show_default=False,
    ),
]


MmmOption = Annotated[
    str | None,
    typer.Option(
        "--mmm",
        metavar="TOOL",
        help="Write the weekly table a media-mix model reads, as CSV: meridian (Google "
        "Meridian: a row per geo and week) or robyn (Meta Robyn: a row per week), from the "
        "campaign's --results, or without a campaign from every results/<campaign>.csv "
        "(see docs/timing.md).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="With --mmm: write the CSV to this file instead of stdout.",
        dir_okay=False,
        show_default=False,
    ),
]


@app.command("report")
def report_command(
    campaign: Annotated[
        str | None,
        typer.Argument(
            help="Campaign or journey id (none with --mmm: every campaign's export).",
            metavar="CAMPAIGN",
            show_default=False,
        ),
    ] = None,
    results: ResultsOption = None,
    output_format: Annotated[str, format_option(EMITTERS, " (markdown: for a debrief)")] = "text",
    column: ColumnOption = None,
    alias: AliasOption = None,
    decimal: DecimalOption = None,
    date_format: DateFormatOption = None,
    mmm: MmmOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Compare a campaign's results with its plan, and say which channels to widen or drop;
    or a journey's results per step with its forecast, and which arm of each branch did better.

    Each objective is measured the way the plan forecasts it; each channel gets widen, keep,
    drop (or try, for a channel the plan did not choose) with its reason. A journey's export
    has a row per send step (see docs/journeys.md). Exit code 1 when files with errors are left
    out of the plan.
    """
    columns = pairs(column, "--column", "COLUMN=HEADER")
    aliases = pairs(alias, "--alias", "NAME=CHANNEL")
    if mmm is not None:
        if output_format != "text":
            fail("--mmm writes CSV; --format does not apply to it")
        from mcplan.cli.report_mmm import Reading, media_mix_command

        reading = Reading(columns, aliases, decimal, date_format)
        media_mix_command(mmm, campaign, results, reading, output, force, workspace)
        return
    if output is not None:
        fail("--output writes --mmm's table; the report itself goes to stdout")
    if campaign is None or results is None:
        fail("give a campaign or journey id and its --results FILE (or --mmm TOOL)")
    ws = load(workspace)
    left_out = note_problems(ws)
    with errors():
        kind = _kind(ws, campaign)
    if kind == "journey":
        _journey(ws, campaign, results, columns, decimal, date_format, output_format)
    else:
        _campaign(ws, campaign, results, columns, aliases, decimal, date_format, output_format)
    if left_out:
        raise typer.Exit(1)  # its forecast leaves those files out


def _campaign(
    ws: Workspace,
    campaign: str,
    results: Path,
    columns: dict[str, str],
    aliases: dict[str, str],
    decimal: str | None,
    date_format: str | None,
    output_format: str,
) -> None:
    from mcplan.report import report_campaign

    with errors():
        review = report_campaign(
            ws,
            campaign,
            results,
            columns=columns,
            aliases=aliases,
            decimal=decimal,
            date_format=date_format,
        )
    if review.unplanned:
        say("the campaign cannot be planned: every channel is reviewed as not in the plan")
    emit(EMITTERS, output_format, review)


def _journey(
    ws: Workspace,
    journey: str,
    results: Path,
    columns: dict[str, str],
    decimal: str | None,
    date_format: str | None,
    output_format: str,
) -> None:
    from mcplan.report.journey import report_journey

    with errors():
        review = report_journey(
            ws, journey, results, columns=columns, decimal=decimal, date_format=date_format
        )
    emit(EMITTERS, output_format, review)


def _kind(ws: Workspace, name: str) -> str:
    """Whether ``name`` is a campaign's id or a journey's (as `render` and `preview` tell):
    an unknown id's error suggests the closest of both kinds; an id of both is refused."""
    from mcplan.errors import UsageError
    from mcplan.suggest import did_you_mean

    campaign = name in ws.campaigns or ws.exists("campaigns", name)
    journey = name in ws.journeys or ws.exists("journeys", name)
    if campaign and journey:
        raise UsageError(f"'{name}' is both a campaign and a journey: give one of them another id")
    if not campaign and not journey:
        known = [*ws.campaigns, *ws.journeys]
        raise UsageError(f"unknown campaign or journey '{name}'{did_you_mean(name, known)}")
    return "journey" if journey else "campaign"
