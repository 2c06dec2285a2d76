"""Commands that look at the workspace: validate, channels, personas, schema."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mcplan.cli.app import (
    WorkspaceOption,
    app,
    fail,
    load,
    note_problems,
    print_json,
    say,
    terminal,
)
from mcplan.errors import McplanError
from mcplan.output.findings import lines as findings_report
from mcplan.output.tables import channels_table, personas_table
from mcplan.workspace.references import validate as validate_workspace
from mcplan.workspace.schema import KINDS, schema_text, write_schemas


class FindingsFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class TableFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command()
def validate(
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        FindingsFormat,
        typer.Option("--format", "-f", help="text: one line per finding; json: a list."),
    ] = FindingsFormat.TEXT,
) -> None:
    """Check that every file loads and every reference resolves.

    Reports every problem in one pass as `file:line:col: level CODE message`, sorted. Exit
    code 0 when valid, 1 when there are errors, 2 when a file cannot be read.
    """
    ws = load(workspace)
    found = validate_workspace(ws)
    if output_format is FindingsFormat.JSON:
        typer.echo(findings_report.as_json(found))
    elif found:
        typer.echo(findings_report.as_text(found))
    code = findings_report.exit_code(found)
    if code == 0:
        say(
            f"workspace valid: {len(ws.personas)} personas, {len(ws.campaigns)} campaigns, "
            f"{len(ws.channels)} channels"
            + (f" ({findings_report.summary(found)})" if found else "")
        )
    else:
        say(findings_report.summary(found))
    raise typer.Exit(code)


@app.command()
def channels(
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table or json.")
    ] = TableFormat.TABLE,
) -> None:
    """List the channels known, bundled and the workspace's own: cost, window, consent."""
    ws = load(workspace)
    if output_format is TableFormat.JSON:
        print_json(
            [{**c.model_dump(mode="json"), "origin": ws.origin(c.id)} for c in ws.channels.values()]
        )
    else:
        terminal().print(channels_table(ws))
    note_problems(ws)


@app.command()
def personas(
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table or json.")
    ] = TableFormat.TABLE,
) -> None:
    """List the personas: market, stage, size, and channels with reach, affinity and consent."""
    ws = load(workspace)
    if output_format is TableFormat.JSON:
        print_json([p.model_dump(mode="json") for p in ws.personas.values()])
    else:
        terminal().print(personas_table(ws))
    note_problems(ws)


@app.command()
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help=f"File kind: {', '.join(KINDS)}.", show_default=False, metavar="[KIND]"
        ),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Write every kind's schema into this folder as <kind>.schema.json.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a file kind, for editors (yaml-language-server) and CI.

    Point an editor at it with a first line such as
    `# yaml-language-server: $schema=../schemas/persona.schema.json`.
    """
    if write is not None:
        if kind is not None:
            fail("give either KIND or --write, not both")
        try:
            for path in write_schemas(write):
                say(f"wrote {path}")
        except OSError as exc:
            fail(f"cannot write schemas into {write}: {exc.strerror or exc}")
        return
    if kind is None:
        fail(f"give a KIND ({', '.join(KINDS)}) or --write DIR")
    try:
        typer.echo(schema_text(kind), nl=False)
    except McplanError as exc:
        fail(str(exc))
