"""Commands that look at the workspace: validate, channels, personas, schema."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from mcplan.cli.app import WorkspaceOption, app, echo, errors, fail, load, note_problems, say
from mcplan.cli.formats import FINDINGS, Formats, emit, format_option
from mcplan.findings import Level, summary
from mcplan.numbers import plural

CHANNELS = Formats("mcplan.output.tables", "CHANNELS", ("text", "json"))
PERSONAS = Formats("mcplan.output.tables", "PERSONAS", ("text", "json"))
KINDS = ("persona", "campaign", "journey", "channel", "settings")  # mcplan.workspace.schema.KINDS


@app.command("validate")
def validate_command(
    workspace: WorkspaceOption = None,
    output_format: Annotated[str, format_option(FINDINGS, " (as `mcplan lint`)")] = "text",
) -> None:
    """Check that every file loads and every reference resolves.

    Reports every problem in one pass, sorted by file and line. Exit code 0 when valid, 1 when
    there are errors, 2 when a file cannot be read.
    """
    from mcplan.lint.engine import validation

    ws = load(workspace)
    result = validation(ws)
    emit(FINDINGS, output_format, result)
    code = result.exit_code(Level.ERROR)
    if code == 0:
        sizes = [(len(ws.personas), "persona"), (len(ws.campaigns), "campaign")]
        sizes += [(len(ws.journeys), "journey")] if ws.journeys else []  # only when it has some
        sizes.append((len(ws.channels), "channel"))
        counts = ", ".join(plural(n, kind) for n, kind in sizes)
        found = f" ({summary(result.findings)})" if result.findings else ""
        say(f"workspace valid: {counts}{found}")
    else:
        say(summary(result.findings))
    raise typer.Exit(code)


@app.command("channels")
def channels_command(
    workspace: WorkspaceOption = None,
    output_format: Annotated[str, format_option(CHANNELS)] = "text",
) -> None:
    """List the channels known, bundled and the workspace's own: cost, window, consent."""
    ws = load(workspace)
    emit(CHANNELS, output_format, ws)
    note_problems(ws)


@app.command("personas")
def personas_command(
    workspace: WorkspaceOption = None,
    output_format: Annotated[str, format_option(PERSONAS)] = "text",
) -> None:
    """List the personas: market, stage, size, and channels with reach, affinity and consent."""
    ws = load(workspace)
    emit(PERSONAS, output_format, ws)
    note_problems(ws)


@app.command("schema")
def schema_command(
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
    from mcplan.workspace.schema import schema_text, write_schemas

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
    with errors():
        echo(schema_text(kind), nl=False)


@app.command("init")
def init_command(
    folder: Annotated[
        Path, typer.Argument(help="Folder of the new workspace (created if needed).")
    ] = Path("."),
    locale: Annotated[
        str, typer.Option(help="Language and region of the personas, like fr-FR, nl-BE, en-IE.")
    ] = "fr-FR",
    country: Annotated[
        str | None,
        typer.Option(help="ISO 3166 country whose law applies. Default: the locale's region."),
    ] = None,
    market: Annotated[
        list[str] | None,
        typer.Option(help="b2c or b2b, one persona each (repeat for both). Default: b2c."),
    ] = None,
    brand: Annotated[
        str | None, typer.Option(help="The brand's name. Default: the folder's name.")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone. Default: the country's.")
    ] = None,
) -> None:
    """Create a new workspace: settings, one persona per market, one campaign, and the JSON
    Schemas for editors; valid and lint-clean, in the language and under the law asked.

    Never replaces a file: when one of them exists, nothing is written.
    """
    from datetime import date

    from mcplan.scaffold import new_workspace, settle
    from mcplan.writing import open_folder

    with errors():
        name = brand or folder.resolve().name.replace("-", " ").replace("_", " ").title()
        files = new_workspace(settle(locale, country, timezone, market, name), date.today())
        there = [path for path in files if os.path.lexists(folder / path)]
        if there:
            fail(f"{folder / there[0]} already exists: mcplan init writes only new files")
        try:
            for path, text in files.items():
                target = folder / path
                with open_folder(target.parent, root=folder, create=True) as into:
                    into.write(target.name, text)
        except OSError as exc:
            fail(f"cannot write into {folder}: {exc.strerror or exc}")
    say(f"created a workspace in {folder} ({plural(len(files), 'file')})")
    say(f"next: mcplan lint -w {folder}, then mcplan plan -w {folder}")
