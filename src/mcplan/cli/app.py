"""The `mcplan` application, and what every command shares: options, messages, output, exit.

Exit codes are a contract with CI: 0 success, 1 findings, 2 usage error, configuration
error or unreadable input, 3 an internal error (a bug in mcplan, never a finding); 141 when
the output's reader closed it before the end (as other command-line tools do).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from mcplan import __version__, numbers
from mcplan.errors import McplanError
from mcplan.findings import Level, summary
from mcplan.output import CLOSED_PIPE, choices
from mcplan.printable import printable

if TYPE_CHECKING:
    from mcplan.workspace import Workspace

INTERNAL_ERROR = 3


_CLI = {"typer", "click"}


def _closed() -> NoReturn:
    """The reader of the output went away (`mcplan rules | head`): nothing more can be said,
    and it is no bug. What is still buffered goes nowhere, and the exit is the one a shell
    gives a program ended by SIGPIPE."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise typer.Exit(CLOSED_PIPE)


def _help(command: Any, ctx: Any, formatter: Any, format_help: Callable[..., None]) -> None:
    """A command's help: flags shown as flags (typer writes `<bool>` beside them), and a
    reader that goes away (`mcplan attribute --help | head`) ends it as it ends any output."""
    for param in command.get_params(ctx):
        if getattr(param, "is_bool_flag", False) and param.metavar is None:
            param.metavar = ""
    try:
        format_help(ctx, formatter)
    except SystemExit:  # rich's answer to a closed pipe, the only way help can end early
        _closed()


class _Guarded(TyperGroup):
    """Turns an unexpected exception into a one-line "internal error" and exit 3, so that a
    crash never looks like findings (exit 1) to CI. ``MCPLAN_DEBUG=1`` shows the traceback."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _help(self, ctx, formatter, super().format_help)

    def invoke(self, ctx: Any) -> Any:
        try:
            with numbers.in_locale(None):  # each command sets its workspace's, for itself
                return super().invoke(ctx)
        except BrokenPipeError:
            _closed()
        except Exception as exc:
            # Exit, Abort and usage errors are how the command line itself ends a run; they
            # come from typer (or click, which older typer versions use).
            if os.environ.get("MCPLAN_DEBUG") or type(exc).__module__.split(".")[0] in _CLI:
                raise
            echo(
                f"mcplan: internal error ({type(exc).__name__}: {exc}); this is a bug in "
                "mcplan, not in your files: please report it with the command you ran "
                "(MCPLAN_DEBUG=1 shows the details)",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


app = typer.Typer(
    name="mcplan",
    cls=_Guarded,
    help="Plan, render and lint multichannel marketing campaigns kept as YAML files.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

USAGE_ERROR = 2

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="MCPLAN_WORKSPACE",
        help="Workspace folder. Default: the nearest folder at or above the current one "
        "with an mcplan.toml or a personas/, campaigns/, journeys/ or channel_rules/ folder.",
        file_okay=False,
        show_default=False,
    ),
]
ChannelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--channel",
        "-c",
        help="Only this channel (repeat for several). Default: the campaign's channels.",
        show_default=False,
    ),
]
PersonaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--persona",
        "-p",
        help="Only this persona, rendered on its own (repeat for several).",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite files that are already there.")
]
AliasOption = Annotated[
    list[str] | None,
    typer.Option(
        "--alias",
        help="NAME=CHANNEL: map a channel name of the export to a channel id (repeatable).",
        show_default=False,
    ),
]


def column_option(roles: str) -> Any:
    """The ``--column ROLE=NAME`` option of a command that reads an export."""
    return typer.Option(
        "--column",
        help=f"ROLE=NAME: the column for {roles} (repeatable).",
        show_default=False,
    )


def pairs(values: list[str] | None, option: str, form: str) -> dict[str, str]:
    """``["a=b", "c = d"]`` → ``{"a": "b", "c": "d"}``; a usage error for anything else."""
    result = {}
    for value in values or []:
        key, _, target = value.partition("=")
        if not key.strip() or not target.strip():
            fail(f"{option} expects {form}, got '{value}'")
        result[key.strip()] = target.strip()
    return result


def one_of(names: Sequence[str], aliases: Mapping[str, str] | None = None) -> Callable[[str], str]:
    """A parser that accepts one of ``names`` (or an alias of one), for an option's value."""

    def parse(value: str) -> str:
        name = (aliases or {}).get(value, value)
        if name not in names:
            raise typer.BadParameter(f"'{value}' is not one of {choices(names)}")
        return name

    return parse


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Print ``message`` on stdout (stderr with ``err``), every control character escaped: a
    message may quote a file name or a value from a file."""
    typer.echo(printable(message), err=err, nl=nl)


_QUIET = False  # --quiet: no status lines and no progress, only what the command produces


def _quiet(value: bool) -> None:
    global _QUIET
    _QUIET = _QUIET or value


QUIET_HELP = "No status lines and no progress: only what is asked for."


def _shared_options() -> list[Any]:
    """The options every command takes after its name as well as before it (`mcplan lint -q`,
    as `ruff check -q`), built by typer as it builds a command's own."""
    holder = typer.Typer(add_completion=False)

    @holder.command()
    def options(
        quiet: Annotated[
            bool,
            typer.Option("--quiet", "-q", callback=_quiet, expose_value=False, help=QUIET_HELP),
        ] = False,
    ) -> None:
        """Never run: its options are what it is for."""

    return list(typer.main.get_command(holder).params)


class Command(TyperCommand):
    """Every command of mcplan: the shared options after its name, and help as `_help` has it."""

    shared: list[Any] = []  # noqa: RUF012 (built once, on the first command)

    def __init__(self, *args: Any, params: list[Any] | None = None, **kwargs: Any) -> None:
        if not Command.shared:
            Command.shared = _shared_options()
        super().__init__(*args, params=[*(params or []), *Command.shared], **kwargs)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _help(self, ctx, formatter, super().format_help)


def say(message: str) -> None:
    """A status line on stderr, so stdout stays clean for what the command produces."""
    if not _QUIET:
        echo(f"mcplan: {message}", err=True)


def fail(message: str) -> NoReturn:
    echo(f"mcplan: error: {message}", err=True)  # even with --quiet
    raise typer.Exit(USAGE_ERROR)


PROGRESS_AFTER = 1.0  # seconds: a command that ends sooner shows no progress


@contextmanager
def progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A function to call with (done, total) as the work goes; a progress bar on stderr once
    the work has taken a second, when stderr is a terminal (never in a pipe, a file or CI
    logs) and --quiet is not given. It draws only when called: no thread."""
    import time

    started = time.monotonic()
    shown: list[Any] = []  # the bar, once it is drawn
    quiet = _QUIET or os.environ.get("CI") or not sys.stderr.isatty()

    def advance(done: int, total: int) -> None:
        if quiet or (not shown and time.monotonic() - started < PROGRESS_AFTER):
            return
        if not shown:
            from rich.progress import Progress

            bar = Progress(console=Console(stderr=True), auto_refresh=False, transient=True)
            bar.start()
            shown.append((bar, bar.add_task(what, total=total)))
        bar, task = shown[0]
        bar.update(task, completed=done, total=total, refresh=True)

    try:
        yield advance
    finally:
        if shown:
            shown[0][0].stop()


@contextmanager
def errors() -> Iterator[None]:
    """Turn mcplan's errors into a message and exit code 2: no traceback for bad input."""
    try:
        yield
    except McplanError as exc:
        fail(str(exc))


def load(workspace: Path | None) -> Workspace:
    from mcplan.workspace import load_workspace

    with errors():
        # Numbers in the workspace's locale, its own findings' too, as soon as it says it.
        return load_workspace(
            workspace, discover=workspace is None, shown_from=Path.cwd(), its_locale=True
        )


def note_problems(ws: Workspace) -> bool:
    """Say which files have errors and are left out; whether there are any (the commands that
    plan from the workspace then exit 1: their figures leave those files out)."""
    errors = [f for f in ws.findings if f.level is Level.ERROR]
    if errors:
        files = sorted({f.location.file for f in errors})
        say(
            f"left out, with {summary(errors)}: {', '.join(files)}; run `mcplan validate` "
            "for details"
        )
    return bool(errors)


def _version(value: bool) -> None:
    if value:
        echo(f"mcplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help=QUIET_HELP),
    ] = False,
) -> None:
    """Plan, render and lint multichannel marketing campaigns kept as YAML files.

    Personas, campaigns and channel rules live in a workspace folder (personas/, campaigns/,
    channel_rules/, mcplan.toml). Exit codes: 0 success, 1 findings, 2 usage error or
    unreadable input.
    """
    global _QUIET
    _QUIET = quiet


__all__ = ["app"]
