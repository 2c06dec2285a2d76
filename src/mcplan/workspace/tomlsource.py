"""Read the settings file: `mcplan.toml`, or the `[tool.mcplan]` table of a `pyproject.toml`.

tomllib gives no positions, so the line and column of each key are found from the text: tables
(``[a.b]``) and ``key = value`` lines, which covers settings files as people write them.
Anything else falls back to the nearest table or the top of the file.

tomllib reads a file whole or not at all; a file with a broken line is read statement by
statement instead (see :func:`_readable_part`), so that one typo loses that key, not the
`[email]` table below it, and each broken statement is a finding at its line.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcplan import numbers
from mcplan.findings import Finding, Location
from mcplan.workspace.reading import Budget, SourceLines, UnreadableFile, read_text
from mcplan.workspace.sourcemap import SourceMap
from mcplan.workspace.structure import SYNTAX, YAML_COMPLEXITY

SETTINGS_FILE = "mcplan.toml"
# Where settings may be, in order: the first file that exists and holds them wins.
CANDIDATES = ((SETTINGS_FILE, ()), ("pyproject.toml", ("tool", "mcplan")))

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""  # bare, "basic" or 'literal'
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_TABLE = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(rf"^(\s*)({_DOTTED})\s*=")
_Lost = tuple[str, ...]  # a key or a table, by its path


@dataclass(frozen=True)
class SettingsFile:
    """The settings table of a file, with the position of each key; for a file that is not
    all valid TOML, what could be read of it, why the rest could not, and the keys (or
    tables) that rest held."""

    display: str  # the file's name relative to the workspace
    data: dict[str, Any]
    source: SourceMap
    problems: tuple[Finding, ...] = ()
    lost: frozenset[tuple[str, ...]] = frozenset()
    # What a broken top-level line meant, where it is a plain word that lacks its quotes
    # (``locale = en-GB``): the loader takes it when the key accepts it, so that the rest of
    # the workspace is not checked against the defaults (fr-FR, French law) in its place.
    meant: tuple[tuple[str, str], ...] = ()


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
        found = _settings_in(text, display, table_path)
        if found is not None:
            return found
    return None


def _settings_in(text: str, display: str, table_path: _Lost) -> SettingsFile | Finding | None:
    """The table at ``table_path`` of a file's text (what can be read of it, when the text is
    not all TOML), the finding that says why nothing can be, or None when it has no such
    table (a `pyproject.toml` without `[tool.mcplan]`)."""
    problems: tuple[Finding, ...] = ()
    lost: frozenset[_Lost] = frozenset()
    meant: tuple[tuple[str, str], ...] = ()
    try:
        table: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        part = _readable_part(text, display)
        if part is None:
            return _syntax_error(exc, display)
        table, problems, lost, meant = part
    except RecursionError:  # tomllib recurses into each nested array or inline table
        message = "values are nested too deep to be read"
        return YAML_COMPLEXITY(Location(display), message, hint="")
    except ValueError:  # a whole number of more digits than Python reads (4,300)
        return _too_many_digits(text, display)
    for key in table_path:
        table = table.get(key) if isinstance(table, dict) else None
    if table is None and not _holds(lost, table_path):
        return None
    source = _positions(text, display, table_path)
    below = _below(lost, table_path)
    return SettingsFile(
        display, table or {}, source, problems, below, meant if not table_path else ()
    )


# What reading a broken file statement by statement may try, so that it stays linear: the
# statements a value may run over (a multi-line string holding `key = value` lines), the text
# of a statement tried again and again, and the broken statements reported before the rest of
# the file is given up.
_MAX_SPAN = 20
_MAX_TRIED = 10_000
_MAX_BROKEN = 10
_LOOSE_TABLE = re.compile(r"^\s*\[+\s*([^\]#\n]*)")
_LOOSE_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)")
# A top-level `key = value` whose value is one plain word, quoted on one side or not at all.
_BARE = re.compile(
    r"""^\s*([A-Za-z0-9_-]+)\s*=\s*["']?([A-Za-z0-9_./+:@-]{1,64})["']?\s*(?:#.*)?$"""
)


def _readable_part(
    text: str, display: str
) -> (
    tuple[dict[str, Any], tuple[Finding, ...], frozenset[_Lost], tuple[tuple[str, str], ...]] | None
):
    """What can be read of a TOML text that tomllib refuses whole: every statement (a table
    header, a ``key = value`` and the lines its value runs over) that is valid TOML alone,
    with an S101 finding for each that is not and the key (or table) it held.

    A table whose header is broken is lost with all its keys, which would otherwise land in
    the table before it. None when what is left still does not read as one document (a key
    written twice): then the whole file is the one finding, as tomllib says it.
    """
    statements = _Statements(text.split("\n"), display)
    statements.read()
    try:
        data = tomllib.loads("\n".join(statements.kept))
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    return data, tuple(statements.problems), frozenset(statements.lost), tuple(statements.meant)


class _Statements:
    """A broken TOML text read statement by statement: the lines kept (the others blank, so
    that each key keeps its line), the findings, the keys and tables lost, what was meant."""

    def __init__(self, lines: list[str], display: str) -> None:
        self.lines = lines
        self.display = display
        self.starts = [0] + [i for i, line in enumerate(lines) if i and _starts_statement(line)]
        self.kept = [""] * len(lines)
        self.problems: list[Finding] = []
        self.lost: set[_Lost] = set()
        self.meant: list[tuple[str, str]] = []
        self.table: _Lost = ()
        self.in_lost_table = False  # the header of the table being read is broken

    def read(self) -> None:
        """Each statement in turn, to the last, or until :data:`_MAX_BROKEN` are broken."""
        k = 0
        while k < len(self.starts):
            start = self.starts[k]
            is_header = _is_header(self.lines[start])
            if is_header:
                self.table, self.in_lost_table = _table_of(self.lines[start]), False
            elif self.in_lost_table:  # a key of a table whose header is broken: lost with it
                k += 1
                continue
            if len(self.problems) == _MAX_BROKEN:
                self.lost.add(())  # and whatever follows, unread
                return
            span, error = _statement(self.lines, self.starts, k)
            if error is None:
                self.kept[start:span] = self.lines[start:span]
                k = self._first_from(k, span)
            else:
                self._broken(k, is_header, error)
                k += 1

    def _first_from(self, k: int, line: int) -> int:
        """The first statement, from ``starts[k]`` on, that starts at ``line`` or after it."""
        later = (j for j in range(k, len(self.starts)) if self.starts[j] >= line)
        return next(later, len(self.starts))

    def _broken(self, k: int, is_header: bool, error: Exception) -> None:
        """The statement at ``starts[k]`` does not read alone: keep the whole statement it
        may start with, report the rest at its line, and note the key or table it held."""
        start = self.starts[k]
        end = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.lines)
        good = _readable_prefix(self.lines, start, end)
        reason: Exception | None = error
        if good > start:  # a whole statement, then lines that are not one
            self.kept[start:good] = self.lines[start:good]
            reason, is_header = _error(self.lines[good:end]), False
        where = _shifted(reason, self.display, good)
        self.problems.append(SYNTAX(where, f"invalid TOML: {_problem(reason)}", hint=""))
        if is_header:
            self.in_lost_table = True
            self.lost.add(self.table)
        else:
            self._lose_key(good, end)

    def _lose_key(self, line: int, end: int) -> None:
        """The key a broken line writes is lost; at the top, a plain word without its quotes
        on a line of its own (``locale = en-GB``) is what it meant."""
        key = _KEY.match(self.lines[line]) or _LOOSE_KEY.match(self.lines[line])
        self.lost.add(self.table + _parts(key[key.lastindex or 0]) if key else self.table)
        if self.table or any(self.lines[line + 1 : end]):
            return
        bare = _BARE.match(self.lines[line])
        if bare:
            self.meant.append((bare[1], bare[2]))


def _starts_statement(line: str) -> bool:
    return bool(_KEY.match(line) or _is_header(line))


def _is_header(line: str) -> bool:
    """A table header, or what looks like a broken one (``[email``)."""
    return bool(_TABLE.match(line) or (_LOOSE_TABLE.match(line) and not _KEY.match(line)))


def _table_of(line: str) -> _Lost:
    header = _TABLE.match(line) or _LOOSE_TABLE.match(line)
    return _parts(header[1]) if header else ()


def _statement(lines: list[str], starts: list[int], k: int) -> tuple[int, Exception | None]:
    """Where the statement at ``starts[k]`` ends (its own lines, or more when a value runs
    over lines that look like statements), or the error of its own lines alone."""
    start = starts[k]
    first = None
    for j in range(k + 1, min(k + 1 + _MAX_SPAN, len(starts) + 1)):
        end = starts[j] if j < len(starts) else len(lines)
        error = _error(lines[start:end])
        if error is None:
            return end, None
        first = first or error
        if sum(map(len, lines[start:end])) > _MAX_TRIED:
            break
    return start, first


def _readable_prefix(lines: list[str], start: int, end: int) -> int:
    """The end of the longest run of lines from ``start`` (before ``end``) that reads alone:
    a valid statement followed by lines that are not (``start`` when there is none)."""
    if sum(map(len, lines[start:end])) > _MAX_TRIED:
        return start
    for stop in range(end - 1, start, -1):
        if _error(lines[start:stop]) is None:
            return stop
    return start


def _error(lines: list[str]) -> Exception | None:
    try:
        tomllib.loads("\n".join(lines) + "\n")
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as error:
        return error
    return None


def _shifted(error: Exception | None, display: str, offset: int) -> Location:
    """Where tomllib found ``error`` in lines that start at line ``offset + 1`` of the file."""
    match = re.search(r"\(at line (\d+), column (\d+)\)$", str(error))
    if match is None:
        return Location(display, offset + 1)
    return Location(display, int(match[1]) + offset, int(match[2]))


def _problem(error: Exception | None) -> str:
    if isinstance(error, tomllib.TOMLDecodeError):
        return re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", str(error))
    if isinstance(error, RecursionError):
        return "values are nested too deep to be read"
    if isinstance(error, ValueError):
        return "a number mcplan cannot read"
    return "not a key = value line"


def _holds(lost: frozenset[_Lost], path: _Lost) -> bool:
    """Whether something lost was at ``path`` or in it."""
    return any(p[: len(path)] == path or path[: len(p)] == p for p in lost)


def _below(lost: frozenset[_Lost], prefix: _Lost) -> frozenset[_Lost]:
    """The lost paths in the table ``prefix``, relative to it (a lost table that holds it:
    the whole table, ``()``)."""
    inside = set()
    for path in lost:
        if path[: len(prefix)] == prefix:
            inside.add(path[len(prefix) :])
        elif prefix[: len(path)] == path:
            inside.add(())
    return frozenset(inside)


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
                f"invalid TOML: a number of {numbers.count(digits)} digits, more than the "
                f"{numbers.count(limit)} mcplan reads"
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
