"""A command's `--format`: its table of emitters (the names now, for `--help` and parsing; the
output module when the command emits), its option, and printing what the emitter gives."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any, ClassVar, cast

import typer

from mcplan.cli.app import one_of
from mcplan.lazy import lazy
from mcplan.output import ALIASES, Emitted, Emitter, Terminal, canonical, choices, show
from mcplan.output.findings import EMITTERS


class Formats(dict[str, Emitter[Any]]):
    """A command's ``--format`` table: its names here, for ``--help`` and parsing, each with an
    emitter that reads ``module.table`` when it is first called (:func:`mcplan.lazy.lazy`), so
    that ``mcplan --help`` (and every other command) loads none of the others' output modules.
    `tests/test_cli.py` checks that the names are the table's."""

    every: ClassVar[list[Formats]] = []  # every table the commands declare, for the test

    def __init__(self, module: str, table: str, names: Sequence[str]) -> None:
        source = lazy(module)
        super().__init__((name, _deferred(source, table, name)) for name in names)
        self.module, self.table = module, table
        Formats.every.append(self)

    def emitters(self) -> Mapping[str, Emitter[Any]]:
        """The table itself (its module imported now)."""
        return cast(
            Mapping[str, Emitter[Any]], getattr(importlib.import_module(self.module), self.table)
        )


def _deferred(source: ModuleType, table: str, name: str) -> Emitter[Any]:
    """``source.table[name]``, read when called."""

    def emit(result: Any) -> Emitted:
        emitter: Emitter[Any] = getattr(source, table)[name]
        return emitter(result)

    return emit


# The findings formats: one per module of `output/findings/`, which lint and validate offer.
FINDINGS = EMITTERS


def format_option(emitters: Mapping[str, object], what: str = "") -> Any:
    """`--format/-f`, with the choices of an emitter table (and the names they used to have)."""
    return typer.Option(
        "--format",
        "-f",
        parser=one_of(list(emitters), ALIASES),
        metavar="FORMAT",
        help=f"{choices(emitters)}{what}.",
        show_default=False,
    )


def terminal() -> Terminal:
    """Where a command prints: the terminal, at its width; a pipe or a file (CI logs), with
    lines as long as they are, unless COLUMNS gives a width."""
    console = Terminal(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        return Terminal(highlight=False, unbounded=True)
    return console


def emit(emitters: Mapping[str, Callable[[Any], Emitted]], name: str, result: Any) -> None:
    """Print ``result`` in the format ``name`` of ``emitters``."""
    show(emitters[canonical(name)](result), terminal())
