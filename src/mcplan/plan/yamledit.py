"""Edit the value of one top-level key of a YAML file, keeping every other byte of it.

Positions come from the token stream of PyYAML's scanner, the parser behind
:mod:`mcplan.workspace.yamlsource`, so that an edit lines up with what mcplan reads. Kept: the
comment on the key's line (at its column when the new value leaves room), the comment lines
between the key and its first item (or indented under an empty value), and everything outside
the value: comments, key order, quoting, styles, blank lines, indentation, line ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from mcplan.errors import McplanError

# `- ` under a key indented by 2, as in the examples, when the file has no block list to copy.
DEFAULT_OFFSET = 2
DEFAULT_SEQUENCE = 4


class UpdateError(McplanError):
    """The file cannot be updated without changing something else in it."""


@dataclass
class Entry:
    """A top-level key and its value, as character offsets into the text."""

    key: str
    start: int  # the key's first character
    column: int  # its column (a byte order mark before it does not count)
    colon: int = -1  # just after the `:`
    first: int | None = None  # the value's first character; None when the value is empty
    end: int = -1  # just after the value's last character (the `:` when empty)


@dataclass
class Layout:
    entries: list[Entry] = field(default_factory=list)
    offset: int = DEFAULT_OFFSET  # column of `- ` relative to the list's key
    sequence: int = DEFAULT_SEQUENCE  # column of an item relative to the list's key


_OPEN = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_CLOSE = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
_DOCUMENT = (
    yaml.StreamStartToken,
    yaml.StreamEndToken,
    yaml.DocumentStartToken,
    yaml.DocumentEndToken,
    yaml.DirectiveToken,
)


def layout(text: str) -> Layout:
    """The top-level keys of the document and the list indentation the file uses."""
    scanner = _Scanner(text)
    # The pure-Python scanner: its marks count characters, libyaml's may count bytes. It is
    # stricter than libyaml, which reads the file: a tab before a comment passes one only.
    try:
        for token in yaml.scan(text, Loader=yaml.BaseLoader):
            scanner.feed(token)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise UpdateError(
            f"its layout cannot be read{where} ({exc.problem}): write spaces there, not tabs, "
            "and nothing is changed"
        ) from None
    return scanner.result()


class _Scanner:
    """Follows PyYAML's tokens: where each top-level key and its value start and end, and how
    the file indents a `- ` under a key."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.layout = Layout()
        self.depth = self.flow = 0  # open block collections, open flow collections
        self.entry: Entry | None = None
        self.naming = False  # the next scalar is the name of `entry`
        self.key_column = 0  # column of the latest block key
        self.owner: tuple[str | None, int] | None = None  # (top-level key, column) of a value
        self.dash: tuple[str | None, int, int, int] | None = None  # (key, column, `-`, line)
        self.samples: list[tuple[str | None, int, int]] = []
        self.started = False

    def feed(self, token: yaml.Token) -> None:
        self._indentation(token)
        if isinstance(token, _DOCUMENT):
            if isinstance(token, yaml.DocumentStartToken | yaml.DirectiveToken) and self.started:
                raise UpdateError("the file holds more than one YAML document")
            self.entry = None
            return
        if not self.started and not isinstance(token, yaml.BlockEndToken):
            self.started = True
            if not isinstance(token, yaml.BlockMappingStartToken):
                raise UpdateError("the file's top level is not a block mapping of keys")
        if self._nesting(token):
            return
        self._entries(token)

    def _indentation(self, token: yaml.Token) -> None:
        """Samples of the columns of `- ` and of the item after it, relative to their key."""
        start = token.start_mark
        if self.dash is not None:  # the token after a `- `: the item, if on the same line
            key, column, dash, line = self.dash
            nested = isinstance(token, yaml.BlockEntryToken | yaml.BlockEndToken)
            if not nested and start.line == line and start.column > dash:
                self.samples.append((key, dash - column, start.column - column))
            self.dash = None
        if self.owner is not None and not isinstance(token, yaml.BlockSequenceStartToken):
            if isinstance(token, yaml.BlockEntryToken):
                self.dash = (self.owner[0], self.owner[1], start.column, start.line)
            self.owner = None

    def _nesting(self, token: yaml.Token) -> bool:
        """Count the collections opened and closed; True when the token is no content."""
        if isinstance(token, yaml.BlockMappingStartToken | yaml.BlockSequenceStartToken):
            self.depth += 1
        elif isinstance(token, yaml.BlockEndToken):
            self.depth -= 1
            return True  # it sits at the next key: past the comments that follow the value
        elif isinstance(token, _OPEN):
            self.flow += 1
        elif isinstance(token, _CLOSE):
            self.flow -= 1
        return False

    def _entries(self, token: yaml.Token) -> None:
        start, end = token.start_mark, token.end_mark
        if self.flow == 0 and isinstance(token, yaml.KeyToken):
            self.key_column = start.column
            if self.depth == 1:
                self.entry, self.naming = Entry("", start.index, start.column), True
                self.layout.entries.append(self.entry)
                return
        entry = self.entry
        if self.naming and entry is not None:
            if isinstance(token, yaml.AnchorToken | yaml.TagToken):
                return
            if not isinstance(token, yaml.ScalarToken):
                raise UpdateError("a top-level key is a list or a mapping, not text")
            entry.key, self.naming = token.value, False
            return
        if self.flow == 0 and isinstance(token, yaml.ValueToken):
            top = self.depth == 1 and entry is not None
            self.owner = (entry.key if top and entry else None, self.key_column)
            if top and entry is not None:
                entry.colon = entry.end = end.index
                return
        if entry is not None and entry.colon >= 0:
            if entry.first is None:
                entry.first = start.index
            if end.index >= entry.end:
                entry.end = content_end(self.text, token)

    def result(self) -> Layout:
        if not self.layout.entries:
            raise UpdateError("the file's top level is not a block mapping of keys")
        preferred = [s for s in self.samples if s[0] == "touches"] or self.samples
        if preferred:
            self.layout.offset, self.layout.sequence = preferred[0][1], preferred[0][2]
        return self.layout


def content_end(text: str, token: yaml.Token) -> int:
    """Just after the last character of ``token``.

    A block scalar's token runs over the blank lines after it, up to the next line's text: back
    to the end of its last line, or with ``|+`` (keep) to its last line end, since those blank
    lines are part of the text.
    """
    start, end = int(token.start_mark.index), int(token.end_mark.index)
    if not isinstance(token, yaml.ScalarToken) or token.style not in ("|", ">"):
        return end
    while end > start and text[end - 1] in " \t":
        end -= 1
    indicator = text[start : _line_end(text, start)].split("#")[0]
    if "+" in indicator and text[end - 1] == "\n":
        return end - 2 if text[end - 2 : end] == "\r\n" else end - 1
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return end


# -- editing --------------------------------------------------------------------------------


def replace(text: str, key: str, render: Callable[[Layout], list[str]], after: str) -> str:
    """``text`` with ``key``'s value replaced by the lines ``render`` gives for the file's
    layout, or ``key`` added after the key ``after`` (or at the end) when it is missing."""
    found_layout = layout(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    found = [entry for entry in found_layout.entries if entry.key == key]
    if len(found) > 1:
        raise UpdateError(f"`{key}` is written {len(found)} times")
    indent = found_layout.entries[0].column
    lines = render(found_layout)
    if not found:
        entries = found_layout.entries
        anchors = [e for e in entries if e.key == after] or entries[-1:]
        at = _line_end(text, anchors[-1].end)
        added = newline.join(indent * " " + line for line in lines)
        return text[:at] + newline + added + text[at:]
    entry = found[0]
    written = text[entry.start : entry.colon - 1]  # the key as written: "channels"
    if lines[0].startswith(key + ":"):
        lines[0] = written + lines[0][len(key) :]
    key_end = _line_end(text, entry.start)
    head, stop = "", _line_end(text, entry.end)
    if entry.first is None or entry.first > key_end:  # empty, or starts below the key
        comment = (entry.colon, key_end)
        if entry.first is not None:
            head = text[_next_line(text, key_end) : _line_start(text, entry.first)]
            head = head.removesuffix("\n").removesuffix("\r")
        else:  # comment lines indented under an empty value are its own
            head, stop = _indented_comments(text, key_end, indent)
    else:  # starts on the key's line: a comment after it is the key's
        comment = (entry.end, stop)
    new = lines[0] + _comment(text, *comment, indent + len(lines[0]))
    if head:  # above the first item of a block list: still above it
        new += newline + head
    if len(lines) > 1:
        new += newline + newline.join(indent * " " + line for line in lines[1:])
    return text[: entry.start] + new + text[stop:]


def _indented_comments(text: str, key_end: int, indent: int) -> tuple[str, int]:
    """The comment lines after the line that ends at ``key_end``, indented more than
    ``indent`` (blank lines between them included), and the end of the last one."""
    stop = position = key_end
    while (position := _next_line(text, position)) < len(text):
        end = _line_end(text, position)
        line = text[position:end]
        body = line.lstrip(" \t")
        if body:
            if not body.startswith("#") or len(line) - len(body) <= indent:
                break
            stop = end
        position = end
    if stop == key_end:
        return "", key_end
    return text[_next_line(text, key_end) : stop], stop


def _comment(text: str, start: int, stop: int, width: int) -> str:
    """The comment in ``text[start:stop]`` (what follows a value on its line), if any, to
    write after a new value ``width`` characters wide: at its old column when the new value
    leaves room, else with its old spacing."""
    segment = text[start:stop]
    body = segment.lstrip(" \t")
    if not body.startswith("#"):
        return ""
    gap = len(segment) - len(body)
    column = _column(text, stop - len(body))
    return " " * max(column - width, gap, 1) + body


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index of the line end (``\\r\\n`` or ``\\n``) after ``index``, or the text's end."""
    end = text.find("\n", index)
    if end < 0:
        return len(text)
    return end - 1 if end > index and text[end - 1] == "\r" else end


def _next_line(text: str, index: int) -> int:
    """The start of the line after the one ``index`` is on (the text's end on the last)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)
