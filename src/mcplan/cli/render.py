"""Commands that render a campaign's message, or a journey's steps: render, preview."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcplan.cli.app import (
    ChannelOption,
    ForceOption,
    PersonaOption,
    WorkspaceOption,
    app,
    echo,
    errors,
    load,
    say,
)
from mcplan.cli.formats import Formats, emit, format_option
from mcplan.findings import exit_code, summary
from mcplan.numbers import plural

if TYPE_CHECKING:
    from mcplan.render import Rendering

EMITTERS = Formats("mcplan.output.rendering", "EMITTERS", ("text", "json", "markdown"))

CampaignArgument = Annotated[
    str, typer.Argument(help="Campaign id, or journey id.", show_default=False)
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Write one file per channel and persona into this folder (email also as "
        ".eml) instead of printing.",
        file_okay=False,
        show_default=False,
    ),
]


@app.command("render")
def render_command(
    campaign: CampaignArgument,
    channel: ChannelOption = None,
    persona: PersonaOption = None,
    out: OutOption = None,
    output_format: Annotated[
        str, format_option(EMITTERS, " (with --out: .txt, .json or .md files)")
    ] = "text",
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Render the campaign's core message for each channel, measured against its limits.

    One version per channel, or per persona when a template uses `persona`; for a journey,
    one per send step (and channel, persona), headed by the step's id. Exit code 1 when
    a template could not be rendered (its findings are printed), 0 otherwise, even when a
    text is over a limit (the limits are shown; `mcplan lint` is the gate).
    """
    from mcplan.output.folder import write_rendering
    from mcplan.output.rendering import Rendered
    from mcplan.render.steps import render_any

    ws = load(workspace)
    with errors():
        result = Rendered(render_any(ws, campaign, channels=channel, personas=persona), ws)
        if out is not None:
            written = write_rendering(result, out, output_format, force=force)
            say(f"wrote {plural(len(written), 'file')} into {out}")
        else:
            emit(EMITTERS, output_format, result)
    _finish(result.rendering, quiet=output_format == "json" and out is None)


def _finish(result: Rendering, quiet: bool) -> None:
    if result.findings:
        if not quiet:
            for finding in result.findings:
                hint = f"\n  hint: {finding.hint}" if finding.hint else ""
                echo(f"{finding}{hint}", err=True)
        say(f"{summary(result.findings)}: some versions were not rendered")
    raise typer.Exit(exit_code(result.findings))


@app.command("preview")
def preview_command(
    campaign: CampaignArgument,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="The HTML file to write.", dir_okay=False),
    ] = Path("preview.html"),
    channel: ChannelOption = None,
    persona: PersonaOption = None,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Write one self-contained HTML page showing every version as it will look.

    Each channel's text in a mockup (an SMS on a phone, an email in a mail client, a post, a
    notification on a lock screen, a letter), with its measures and findings beside it. The
    page needs no network: open it in any browser.
    """
    from mcplan.output.preview import write_preview

    ws = load(workspace)
    with errors():
        result = write_preview(ws, campaign, out, channels=channel, personas=persona, force=force)
    say(f"wrote {out} ({plural(len(result.versions), 'version')})")
    _finish(result, quiet=False)
