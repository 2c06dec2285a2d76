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
from dataclasses import dataclass, field
from typing import Any

import yaml

from mcplan import numbers
from mcplan.findings import Finding, Location, Related, Rule
from mcplan.printable import excerpt
from mcplan.workspace.reading import Budget, UnreadableFile
from mcplan.workspace.sourcemap import (
    HUGE,
    HugeInt,
    KeyPath,
    SourceFloat,
    SourceInt,
    SourceMap,
    format_path,
)
from mcplan.workspace.structure import (
    DUPLICATE_KEY,
    EMPTY_FILE,
    SEVERAL_DOCUMENTS,
    SYNTAX,
    UNSUPPORTED_YAML,
    YAML_COMPLEXITY,
)

# Values in a file once every alias is expanded; bounds the work of everything downstream.
MAX_NODES = 100_000
MAX_DEPTH = 64

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
_HUGE_DIGITS = len(str(HUGE)) - 1  # 300: a whole number with more digits is a HugeInt
_NOT_ONLY_TEXT = frozenset("0123456789+-.~nNtTfF")  # how a null, a boolean or a number starts


@dataclass
class Document:
    """The data of one YAML file, its positions, and non-fatal problems found while reading."""

    data: Any
    source: SourceMap
    problems: list[Finding] = field(default_factory=list)


def parse(text: str, file: str, budget: Budget | None = None) -> Document:
    """Parse YAML text into a :class:`Document` (see the module docstring for the rules).

    The values read, those of a file refused on the way too, are counted in ``budget``.
    """
    builder = _Builder(file, text)
    try:
        return _parse(builder, text, file)
    finally:
        if budget is not None:
            budget.parsed(file, builder.nodes)


def _parse(builder: _Builder, text: str, file: str) -> Document:
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
            message = f"values are nested more than {MAX_DEPTH} levels deep"
            raise _fatal(YAML_COMPLEXITY, where, message, "") from exc
        lines = text.splitlines()
        line = lines[where.line - 1] if where.line <= len(lines) else ""
        hint = _syntax_hint(problem, line)
        raise _fatal(SYNTAX, where, f"invalid YAML: {problem}", hint) from exc
    except yaml.reader.ReaderError as exc:  # a character that YAML does not allow
        before = text[: exc.position]
        where = Location(file, before.count("\n") + 1, exc.position - before.rfind("\n"))
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise _fatal(SYNTAX, where, f"invalid YAML: {exc.reason} (U+{ord(character):04X})") from exc
    if builder.documents == 0 or builder.root is None:
        raise _fatal(EMPTY_FILE, Location(file), "file is empty")
    return Document(builder.root, builder.source, builder.problems)


def _fatal(rule: Rule, where: Location, message: str, hint: str | None = None) -> UnreadableFile:
    return UnreadableFile(rule(where, message, hint=hint))


def _location(file: str, start: Any, end: Any = None) -> Location:
    return Location(
        file,
        start.line + 1,
        start.column + 1,
        end.line + 1 if end is not None else None,
        end.column + 1 if end is not None else None,
    )


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
    if value and value[0] not in _NOT_ONLY_TEXT:  # most values: no pattern can match
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT10.match(value):
        sign = -1 if value.startswith("-") else 1
        digits = value.lstrip("+-").lstrip("0")  # Python's limit counts the zeros
        if len(digits) > _HUGE_DIGITS:  # never converted: see HugeInt
            return HugeInt(sign, value)
        return SourceInt(sign * int(digits or "0"), value)
    if _INT8.match(value) or _INT16.match(value):
        number = int(value[2:], 8 if value[1] == "o" else 16)  # linear in a power-of-2 base
        return HugeInt(1, value) if number >= HUGE else SourceInt(number, value)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return SourceFloat(float(value), value)
    if _INF.match(value):
        return SourceFloat(float("-inf" if value.startswith("-") else "inf"), value)
    if _NAN.match(value):
        return SourceFloat(float("nan"), value)
    return value


def _plain(event: yaml.ScalarEvent) -> bool:
    """Whether ``event`` is a plain scalar (libyaml's style is "", PyYAML's None), without a
    tag or an anchor."""
    return not event.style and event.tag is None and event.implicit[0] and not event.anchor


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
        if isinstance(event, yaml.ScalarEvent):  # most events
            self._scalar(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                where = _location(self.file, event.start_mark)
                message = "file holds more than one YAML document ('---')"
                raise _fatal(SEVERAL_DOCUMENTS, where, message)
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
        if frame is not None and _plain(event):
            self._plain(event, frame)
            return
        value = self._scalar_value(event)
        self._count(1, event)
        self._attach(value, 1, self._scalar_location(event))
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)

    def _plain(self, event: yaml.ScalarEvent, frame: _Frame) -> None:
        """A plain scalar without a tag or an anchor, in a list or a mapping (most values of
        a file, such as its personas): what `_scalar` does, in fewer steps."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._count(0, event)
        where = _location(self.file, event.start_mark, event.end_mark)
        items = frame.container
        if not isinstance(items, list):
            self._attach(resolve_plain(event.value), 1, where)
            return
        frame.weight += 1
        self.source.values[(*frame.path, len(items))] = where
        items.append(resolve_plain(event.value))

    def _key(self, frame: _Frame, event: yaml.ScalarEvent) -> None:
        where = _location(self.file, event.start_mark, event.end_mark)
        if event.value == "<<" and event.implicit[0]:
            message = "YAML merge keys ('<<') are not supported"
            hint = "write the keys out, or use `extends:` in a channel file"
            raise _fatal(UNSUPPORTED_YAML, where, message, hint)
        frame.key = event.value
        frame.key_location = where

    def _start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.key is None:
            message = "a mapping key must be plain text, not a list or a mapping"
            raise _fatal(UNSUPPORTED_YAML, _location(self.file, event.start_mark), message, "")
        self._check_tag(event, "map" if isinstance(event, yaml.MappingStartEvent) else "seq")
        if len(self.stack) >= MAX_DEPTH:
            message = f"values are nested more than {MAX_DEPTH} levels deep"
            raise _fatal(YAML_COMPLEXITY, _location(self.file, event.start_mark), message, "")
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
            raise _fatal(YAML_COMPLEXITY, where, f"alias *{name} refers to itself", "")
        if name not in self.anchors:
            raise _fatal(SYNTAX, where, f"invalid YAML: unknown alias *{name}")
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            message = f"an alias (*{name}) as a mapping key is not supported"
            raise _fatal(UNSUPPORTED_YAML, where, message, "write the key itself")
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
            message = (
                f"{format_path(path)}: duplicate key '{key}' (first written on line {first.line})"
            )
            self.problems.append(
                DUPLICATE_KEY(key_location, message, related=[Related(first, "first written here")])
            )
        frame.container[key] = value
        self.source.values[path] = where
        self.source.keys[path] = key_location

    def _count(self, weight: int, event: yaml.Event) -> None:
        self.nodes += weight
        if self.nodes > MAX_NODES:
            aliases = " through aliases" if isinstance(event, yaml.AliasEvent) else ""
            message = f"file expands to more than {numbers.count(MAX_NODES)} values{aliases}"
            raise _fatal(YAML_COMPLEXITY, _location(self.file, event.start_mark), message)

    def _check_tag(self, event: Any, kind: str) -> None:
        tag = event.tag
        if tag in (None, "!", _CORE + kind):
            return
        where = _location(self.file, event.start_mark)
        raise _fatal(UNSUPPORTED_YAML, where, f"unsupported YAML tag {tag}")

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
            where = _location(self.file, event.start_mark)
            message = f"'{excerpt(text)}' is not a valid !!{wanted}"
            raise _fatal(UNSUPPORTED_YAML, where, message, "")
        if wanted == "float" and isinstance(value, SourceInt):
            return SourceFloat(float(value), text)
        return value
