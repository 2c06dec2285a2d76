"""The `mcplan` command line: each command parses its options, calls the library, reports and
exits. The library never imports this package."""

import gc
import importlib
import inspect
import os
import re
import sys

from mcplan.cli.app import Command, app
from mcplan.output import CLOSED_PIPE

# Importing a module registers its commands; `mcplan --help` lists them in this order.
for _module in (
    "workspace",
    "render",
    "lint",
    "plan",
    "diff",
    "calendar",
    "attribute",
    "report",
    "timing",
):
    importlib.import_module(f"mcplan.cli.{_module}")


def _paragraphs(doc: str) -> str:
    """A docstring as help: its paragraphs flow to the terminal's width, whatever typer's
    version does with single line breaks."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", inspect.cleandoc(doc))


for _command in app.registered_commands:
    _command.cls = Command  # -q after the command's name too, and help as every command has it
    if _command.help is None and _command.callback is not None and _command.callback.__doc__:
        _command.help = _paragraphs(_command.callback.__doc__)


# A run builds hundreds of thousands of small objects that live until it ends (models, source
# positions, rendered texts, findings); with Python's default threshold of 700 allocations
# the collector walks them again and again. Collecting young objects every 50,000 makes
# `mcplan lint` on 1,000 campaigns a quarter faster, for the same memory (measured with
# benchmarks/lint.py); the library, used from other programs, leaves their setting alone.
GC_THRESHOLD = (50_000, 20, 100)


def main() -> None:
    """Entry point of the `mcplan` console script.

    When the command is done, the process ends without tearing its objects down one by one
    (a fifth of a second after linting 1,000 campaigns; mypy ends the same way): every file
    mcplan writes is closed when its command returns, and what is left is flushed here.
    """
    gc.set_threshold(*GC_THRESHOLD)
    try:
        app()
    except SystemExit as done:
        code = done.code
    else:  # pragma: no cover (typer's app always ends with SystemExit)
        code = 0
    if code is None or isinstance(code, int):
        status = code or 0
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (`| head`) before the end
            status = CLOSED_PIPE if stream is sys.stdout else status
        except (OSError, ValueError):  # a closed file: nothing more can be said
            pass
    os._exit(status)


__all__ = ["app", "main"]
