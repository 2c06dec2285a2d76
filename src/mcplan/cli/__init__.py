"""The `mcplan` command line: each command parses its options, calls the library, reports and
exits. The library never imports this package."""

import importlib
import inspect
import re

from mcplan.cli.app import app

# Importing a module registers its commands; `mcplan --help` lists them in this order.
for _module in ("workspace", "render", "lint", "plan", "attribute", "report"):
    importlib.import_module(f"mcplan.cli.{_module}")


def _paragraphs(doc: str) -> str:
    """A docstring as help: its paragraphs flow to the terminal's width, whatever typer's
    version does with single line breaks."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", inspect.cleandoc(doc))


for _command in app.registered_commands:
    if _command.help is None and _command.callback is not None and _command.callback.__doc__:
        _command.help = _paragraphs(_command.callback.__doc__)


def main() -> None:
    """Entry point of the `mcplan` console script."""
    app()


__all__ = ["app", "main"]
