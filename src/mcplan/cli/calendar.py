"""`mcplan calendar`: every campaign's touches, persona by persona and day by day."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from mcplan.cli.app import ForceOption, WorkspaceOption, app, errors, fail, load, note_problems, say
from mcplan.cli.formats import Formats, emit, format_option

EMITTERS = Formats("mcplan.output.calendar", "EMITTERS", ("text",))


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value}: not a date; write YYYY-MM-DD")


@app.command("calendar")
def calendar_command(
    first: Annotated[
        str | None,
        typer.Option("--from", help="First day shown. Default: the campaigns' first.",
                     metavar="YYYY-MM-DD", show_default=False),
    ] = None,
    last: Annotated[
        str | None,
        typer.Option("--to", help="Last day shown. Default: the campaigns' last.",
                     metavar="YYYY-MM-DD", show_default=False),
    ] = None,
    output_format: Annotated[str, format_option(EMITTERS)] = "text",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the calendar as one HTML page instead.",
                     dir_okay=False, show_default=False),
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Also write every campaign's touches as an iCalendar file.",
                     dir_okay=False, show_default=False),
    ] = None,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:  # fmt: skip
    """Show every campaign's touches on a calendar, persona by persona.

    Each day a persona's touches per channel, its contacts in the 7 days ending that day
    against its cap (over it in red), its journeys' expected sends, its public holidays, and
    the days none of its outbound channels may reach it. --out writes one self-contained HTML
    page to pin on the wall.
    """
    from mcplan.output.calendar import Shown, html, written_touches
    from mcplan.output.ics import calendar
    from mcplan.plan.journey import forecast_journeys
    from mcplan.plan.journey.held import sends_by_step
    from mcplan.schedule.calendar import build
    from mcplan.writing import write_file

    ws = load(workspace)
    left_out = note_problems(ws)
    with errors():
        weekly = sends_by_step(forecast_journeys(ws, priced=False))  # the sends alone
        wall = build(ws, _day(first, "--from"), _day(last, "--to"), weekly)
        shown = Shown(wall, ws)
        if out is not None:
            write_file(out, html(shown), force=force, root=ws.root)
        else:
            emit(EMITTERS, output_format, shown)
        if ics is not None:
            write_file(ics, calendar(written_touches(ws), ws), force=force, root=ws.root)
    for path in (out, ics):
        if path is not None:
            say(f"wrote {path}")
    raise typer.Exit(int(left_out))


__all__ = ["calendar_command"]
