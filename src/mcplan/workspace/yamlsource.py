"""Read a YAML file into plain Python data plus the source position of every key and value.

Why not ``yaml.safe_load``: PyYAML implements YAML 1.1, where a promo code ``NO`` becomes
``False``, ``1.10`` becomes ``1.1`` and an unquoted time ``18:30`` becomes the number 1110; it
silently keeps the last of two duplicate keys, expands aliases without limit (the "billion
laughs" bomb) and forgets where each value came from.

So this module takes only the *event stream* from PyYAML's parser (libyaml's C parser when it is
installed, the pure-Python one otherwise) and builds the data itself, iteratively:

- plain scalars are resolved with the YAML 1.2 core schema: only ``true``/``false`` are
  booleans, there are no sexagesimal numbers and no implicit timestamps (dates stay text and
  the models parse them);
- integers and floats remember the exact text they were written as (:class:`SourceInt`,
  :class:`SourceFloat`), so a text field given ``1.10`` gets ``"1.10"`` back, not ``"1.1"``;
- mapping keys are always text, duplicate keys are reported, merge keys (``<<``) and tags
  other than the standard ones are refused;
- aliases are shared, never copied, and the expanded size and nesting depth are bounded;
- every value and key gets a :class:`~mcplan.finding.Location` in a :class:`SourceMap`, keyed
  by its path (``("touches", 2, "channel")``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mcplan.errors import McplanError
from mcplan.findings import Finding, Level, Location

# A workspace file is a persona, a campaign or a channel: a few kilobytes. The cap keeps a
# hostile or mistaken file (a 50 MB export committed by accident) from eating memory.
MAX_FILE_BYTES = 1024 * 1024
# Values in a file once every alias is expanded; bounds the work of everything downstream.
MAX_NODES = 100_000
MAX_DEPTH = 64

KeyPath = tuple[str | int, ...]

_EventParser: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"(?:null|Null|NULL|~|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


class SourceInt(int):
    """An integer read from YAML that remembers how it was written (``0012``, ``0x1F``)."""

    source: str

    def __new__(cls, value: int, source: str) -> SourceInt:
        self = super().__new__(cls, value)
        self.source = source
        return self


class SourceFloat(float):
    """A float read from YAML that remembers how it was written (``1.10``)."""

    source: str

    def __new__(cls, value: float, source: str) -> SourceFloat:
        self = super().__new__(cls, value)
        self.source = source
        return self


class YamlLoadError(McplanError):
    """A file that cannot be read at all; carries the finding that says why and where."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document was written."""

    file: str
    values: dict[KeyPath, Location] = field(default_factory=dict)
    keys: dict[KeyPath, Location] = field(default_factory=dict)

    def locate(self, path: KeyPath, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest ancestor that has one.

        With ``key=True`` the mapping key is preferred to its value (an unknown key is reported
        on the key itself).
        """
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Location(self.file)

    def merged(self, other: SourceMap, data: Any) -> SourceMap:
        """Positions for ``data``, the deep merge of this map's document with ``other``'s.

        Every path of the merged data was written by ``other`` if ``other`` has it, else by
        this map (used when a channel file ``extends`` another channel).
        """
        merged = SourceMap(other.file)
        for path, _ in walk(data):
            for source in (other, self):
                if path in source.values:
                    merged.values[path] = source.values[path]
                    if path in source.keys:
                        merged.keys[path] = source.keys[path]
                    break
        return merged


@dataclass
class Document:
    """The data of one YAML file, its positions, and non-fatal problems found while reading."""

    data: Any
    source: SourceMap
    problems: list[Finding] = field(default_factory=list)


def read_text(path: Path, display: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, refusing huge files and bad encodings with a located finding."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlLoadError(
                _fatal(
                    Location(display),
                    "S103",
                    f"file is {_human_size(size)}, more than the {_human_size(max_bytes)} "
                    "allowed for a workspace file",
                    "split it, or move data that is not a persona, campaign or channel elsewhere",
                )
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlLoadError(
            _fatal(Location(display), "S101", f"cannot read file: {exc.strerror or exc}")
        ) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlLoadError(
            _fatal(
                Location(display, line, column),
                "S102",
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file with the UTF-8 encoding",
            )
        ) from exc


def load_file(path: Path, display: str) -> Document:
    """Read and parse one YAML workspace file; ``display`` is the name used in findings."""
    return parse(read_text(path, display), display)


def parse(text: str, file: str) -> Document:
    """Parse YAML text into a :class:`Document` (see the module docstring for the rules)."""
    builder = _Builder(file, text)
    try:
        for event in yaml.parse(text, Loader=_EventParser):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}: {exc.problem}"
        where = _location(file, mark) if mark else Location(file)
        if "nesting depth" in problem:  # libyaml's own limit, far above ours, hit while scanning
            raise YamlLoadError(
                _fatal(where, "S105", f"values are nested more than {MAX_DEPTH} levels deep")
            ) from exc
        lines = text.splitlines()
        line = lines[where.line - 1] if where.line <= len(lines) else ""
        raise YamlLoadError(
            _fatal(where, "S101", f"invalid YAML: {problem}", _syntax_hint(problem, line))
        ) from exc
    except yaml.reader.ReaderError as exc:  # a character that YAML does not allow
        before = text[: exc.position]
        where = Location(file, before.count("\n") + 1, exc.position - before.rfind("\n"))
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlLoadError(
            _fatal(where, "S101", f"invalid YAML: {exc.reason} (U+{ord(character):04X})")
        ) from exc
    if builder.documents == 0 or builder.root is None:
        raise YamlLoadError(
            _fatal(
                Location(file),
                "S104",
                "file is empty",
                "write the file's keys, or delete the file",
            )
        )
    return Document(builder.root, builder.source, builder.problems)


def _fatal(where: Location, rule: str, message: str, hint: str = "") -> Finding:
    return Finding(where, rule, Level.ERROR, message, hint, unreadable=True)


def _location(file: str, start: Any, end: Any = None) -> Location:
    return Location(
        file,
        start.line + 1,
        start.column + 1,
        end.line + 1 if end is not None else None,
        end.column + 1 if end is not None else None,
    )


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} bytes"


def _syntax_hint(problem: str, line: str) -> str:
    if "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in problem:
        return "YAML is indented with spaces, never tabs"
    if "mapping values are not allowed" in problem:
        return "quote a value that contains ': ' (for example \"Offre : -40 %\")"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "quote a value that starts with @ or `"
    return "check the indentation and quoting around this line"


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar with the YAML 1.2 core schema."""
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT10.match(value):
        return SourceInt(int(value, 10), value)
    if _INT8.match(value):
        return SourceInt(int(value[2:], 8), value)
    if _INT16.match(value):
        return SourceInt(int(value[2:], 16), value)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return SourceFloat(float(value), value)
    if _INF.match(value):
        return SourceFloat(float("-inf" if value.startswith("-") else "inf"), value)
    if _NAN.match(value):
        return SourceFloat(float("nan"), value)
    return value


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: KeyPath
    start: Any
    anchor: str | None
    weight: int = 1
    key: str | None = None  # the key waiting for its value, in a mapping
    key_location: Location | None = None


class _Builder:
    """Builds data from parser events with an explicit stack (no recursion, bounded size)."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.source = SourceMap(file)
        self.problems: list[Finding] = []
        self.root: Any = None
        self.documents = 0
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0

    # -- events ---------------------------------------------------------------------------

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlLoadError(
                    _fatal(
                        _location(self.file, event.start_mark),
                        "S106",
                        "file holds more than one YAML document ('---')",
                        "keep one persona, campaign or channel per file",
                    )
                )
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._start(event)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self._end(event)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if isinstance(frame, _Frame) and isinstance(frame.container, dict) and frame.key is None:
            self._key(frame, event)
            return
        value = self._scalar_value(event)
        self._count(1, event)
        self._attach(value, 1, self._scalar_location(event))
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)

    def _key(self, frame: _Frame, event: yaml.ScalarEvent) -> None:
        where = _location(self.file, event.start_mark, event.end_mark)
        if event.value == "<<" and event.implicit[0]:
            raise YamlLoadError(
                _fatal(
                    where,
                    "S107",
                    "YAML merge keys ('<<') are not supported",
                    "write the keys out, or use `extends:` in a channel file",
                )
            )
        frame.key = event.value
        frame.key_location = where

    def _start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.key is None:
            raise YamlLoadError(
                _fatal(
                    _location(self.file, event.start_mark),
                    "S107",
                    "a mapping key must be plain text, not a list or a mapping",
                )
            )
        self._check_tag(event, "map" if isinstance(event, yaml.MappingStartEvent) else "seq")
        if len(self.stack) >= MAX_DEPTH:
            raise YamlLoadError(
                _fatal(
                    _location(self.file, event.start_mark),
                    "S105",
                    f"values are nested more than {MAX_DEPTH} levels deep",
                )
            )
        self._count(1, event)
        path = self._child_path()
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(container, path, event.start_mark, event.anchor))

    def _end(self, event: yaml.Event) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, frame.weight)
        where = _location(self.file, frame.start, event.end_mark)
        if not self.stack:
            self.root = frame.container
            self.source.values[()] = where
            return
        self._attach(frame.container, frame.weight, where, path=frame.path)

    def _alias(self, event: yaml.AliasEvent) -> None:
        where = _location(self.file, event.start_mark, event.end_mark)
        name = event.anchor
        if name in self.open_anchors:
            raise YamlLoadError(_fatal(where, "S105", f"alias *{name} refers to itself"))
        if name not in self.anchors:
            raise YamlLoadError(_fatal(where, "S101", f"invalid YAML: unknown alias *{name}"))
        value, weight = self.anchors[name]
        self._count(weight, event)
        self._attach(value, weight, where)

    # -- helpers --------------------------------------------------------------------------

    def _scalar_location(self, event: Any) -> Location:
        """Where a scalar is written; a block scalar (| or >) starts on its first text line.

        So that line N of a multi-line text (a template) is line ``start + N - 1`` of the file.
        """
        where = _location(self.file, event.start_mark, event.end_mark)
        first = event.start_mark.line + 1  # 0-based index of the line after the indicator
        if event.style in ("|", ">") and first < len(self.lines):
            line = self.lines[first]
            column = len(line) - len(line.lstrip(" ")) + 1
            return Location(self.file, first + 1, column, where.end_line, where.end_column)
        return where

    def _child_path(self) -> KeyPath:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            assert frame.key is not None
            return (*frame.path, frame.key)
        return (*frame.path, len(frame.container))

    def _attach(
        self, value: Any, weight: int, where: Location, path: KeyPath | None = None
    ) -> None:
        if not self.stack:
            self.root = value
            self.source.values[()] = where
            return
        frame = self.stack[-1]
        frame.weight += weight
        path = path if path is not None else self._child_path()
        if isinstance(frame.container, list):
            frame.container.append(value)
            self.source.values[path] = where
            return
        key, key_location = frame.key, frame.key_location
        assert key is not None
        assert key_location is not None
        frame.key = frame.key_location = None
        if key in frame.container:
            first = self.source.keys[path]
            self.problems.append(
                Finding(
                    key_location,
                    "S110",
                    Level.ERROR,
                    f"{format_path(path)}: duplicate key '{key}' (first written on line "
                    f"{first.line})",
                    "remove one of the two; YAML tools disagree on which one wins",
                )
            )
        frame.container[key] = value
        self.source.values[path] = where
        self.source.keys[path] = key_location

    def _count(self, weight: int, event: yaml.Event) -> None:
        self.nodes += weight
        if self.nodes > MAX_NODES:
            raise YamlLoadError(
                _fatal(
                    _location(self.file, event.start_mark),
                    "S105",
                    f"file expands to more than {MAX_NODES:,} values"
                    + (" through aliases" if isinstance(event, yaml.AliasEvent) else ""),
                    "a workspace file should be small; avoid aliases that repeat large blocks",
                )
            )

    def _check_tag(self, event: Any, kind: str) -> None:
        tag = event.tag
        if tag in (None, "!", _CORE + kind):
            return
        raise YamlLoadError(
            _fatal(
                _location(self.file, event.start_mark),
                "S107",
                f"unsupported YAML tag {tag}",
                "remove the tag; mcplan reads plain YAML values only",
            )
        )

    def _scalar_value(self, event: yaml.ScalarEvent) -> Any:
        tag, text = event.tag, event.value
        if tag is None and event.implicit[0]:
            return resolve_plain(text)
        if tag in (None, "!", _CORE + "str"):
            return text
        wanted = tag.removeprefix(_CORE)
        value = resolve_plain(text)
        ok = {
            "null": value is None,
            "bool": isinstance(value, bool),
            "int": isinstance(value, SourceInt),
            "float": isinstance(value, SourceInt | SourceFloat),
        }
        if wanted not in ok:
            self._check_tag(event, "str")
        if not ok[wanted]:
            raise YamlLoadError(
                _fatal(
                    _location(self.file, event.start_mark),
                    "S107",
                    f"'{text}' is not a valid !!{wanted}",
                )
            )
        if wanted == "float" and isinstance(value, SourceInt):
            return SourceFloat(float(value), text)
        return value


def format_path(path: KeyPath) -> str:
    """``("touches", 2, "channel")`` → ``touches[2].channel``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def walk(data: Any) -> Iterator[tuple[KeyPath, Any]]:
    """Every (path, value) pair below ``data``, depth first, in file order."""
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(reversed([((*path, k), v) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([((*path, i), v) for i, v in enumerate(value)]))
