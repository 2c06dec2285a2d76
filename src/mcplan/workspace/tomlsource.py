"""Read the settings file: `mcplan.toml`, or the `[tool.mcplan]` table of a `pyproject.toml`.

tomllib gives no positions, so the line and column of each key are found from the text: tables
(``[a.b]``) and ``key = value`` lines, which covers settings files as people write them.
Anything else falls back to the nearest table or the top of the file.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcplan.findings import Finding, Location
from mcplan.workspace.files import Budget, SourceLines, UnreadableFile, read_text
from mcplan.workspace.sourcemap import SourceMap
from mcplan.workspace.structure import SYNTAX, YAML_COMPLEXITY

SETTINGS_FILE = "mcplan.toml"
# Where settings may be, in order: the first file that exists and holds them wins.
CANDIDATES = ((SETTINGS_FILE, ()), ("pyproject.toml", ("tool", "mcplan")))

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""  # bare, "basic" or 'literal'
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_TABLE = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(rf"^(\s*)({_DOTTED})\s*=")


@dataclass(frozen=True)
class SettingsFile:
    """The settings table of a file, with the position of each key."""

    display: str  # the file's name relative to the workspace
    data: dict[str, Any]
    source: SourceMap


def read_settings(
    root: Path,
    files: list[str],
    prefix: str = "",
    lines: SourceLines | None = None,
    budget: Budget | None = None,
) -> SettingsFile | Finding | None:
    """The workspace's settings table, the finding that says why it cannot be read, or None.

    Every file read is appended to ``files`` (and its text kept in ``lines``); ``prefix``
    comes before the names it gives; what is read is counted in ``budget``. An
    ``mcplan.toml`` that is there but is not a readable file (a folder, a link out of the
    workspace) is a finding.
    """
    for name, table_path in CANDIDATES:
        path, display = root / name, prefix + name
        if not os.path.lexists(path) or (name != SETTINGS_FILE and not path.is_file()):
            continue
        files.append(display)
        try:
            text = read_text(path, display, root, budget=budget)
        except UnreadableFile as exc:
            return exc.finding
        if lines is not None:
            lines.keep(display, text)
        try:
            table: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return _syntax_error(exc, display)
        except RecursionError:  # tomllib recurses into each nested array or inline table
            message = "values are nested too deep to be read"
            return YAML_COMPLEXITY(Location(display), message, hint="")
        except ValueError:  # a whole number of more digits than Python reads (4,300)
            return _too_many_digits(text, display)
        for key in table_path:
            table = table.get(key) if isinstance(table, dict) else None
        if table is not None:
            return SettingsFile(display, table, _positions(text, display, table_path))
    return None


def _syntax_error(exc: tomllib.TOMLDecodeError, display: str) -> Finding:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    where = Location(display, int(match[1]), int(match[2])) if match else Location(display)
    problem = message[: match.start()].strip() if match else message
    return SYNTAX(where, f"invalid TOML: {problem}", hint="")


# A whole number where a value starts (after `=`, `[`, `,`, `{`, or at the start of a line of
# an array), not the fraction or exponent of a float, nor a date.
_WHOLE = re.compile(r"(?:^|[=\[,{])[ \t]*([+-]?[0-9](?:_?[0-9])*)(?![0-9_.eE:-])", re.M)


def _too_many_digits(text: str, display: str) -> Finding:
    """S101 at the first whole number with more digits than Python converts: tomllib reads
    every number it is given, and stops with a ValueError that says neither where nor which."""
    limit = sys.get_int_max_str_digits()
    for match in _WHOLE.finditer(text):
        digits = sum(c.isdigit() for c in match[1])
        if limit and digits > limit:
            before = text[: match.start(1)]
            where = Location(display, before.count("\n") + 1, match.start(1) - before.rfind("\n"))
            message = (
                f"invalid TOML: a number of {digits:,} digits, more than the {limit:,} mcplan reads"
            )
            return SYNTAX(where, message, hint="")
    return SYNTAX(Location(display), "invalid TOML: a number mcplan cannot read", hint="")


def _positions(text: str, display: str, prefix: tuple[str, ...]) -> SourceMap:
    """Approximate key positions in a TOML file, below the table ``prefix``."""
    source = SourceMap(display)
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _TABLE.match(line):
            table = _parts(m[1])
            path: tuple[str, ...] = table
            column = line.index("[") + 1
        elif m := _KEY.match(line):
            path = table + _parts(m[2])
            column = len(m[1]) + 1
        else:
            continue
        if path[: len(prefix)] != prefix or len(path) == len(prefix):
            continue
        where = Location(display, number, column)
        source.values.setdefault(path[len(prefix) :], where)
        source.keys.setdefault(path[len(prefix) :], where)
    return source


def _parts(dotted: str) -> tuple[str, ...]:
    """``a."b.c".'d'`` → ``("a", "b.c", "d")``."""
    return tuple(part.strip("\"'") for part in re.findall(_PART, dotted))
