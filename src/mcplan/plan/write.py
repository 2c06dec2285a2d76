"""Write a plan back into its campaign file, keeping everything else as the user wrote it.

The file is never dumped again as a whole. A round-trip dump of the whole document, even with
ruamel.yaml's round-trip mode, changes what the user chose elsewhere in the file: it realigns
``code:    HIVER40`` to ``code: HIVER40``, rewrites ``{ kind: sales }`` as ``{kind: sales}``
and ``~`` or ``null`` as an empty value, drops the comments above a ``---`` line, and one set
of indent settings cannot give back a file whose lists are indented in two ways (it can even
write invalid YAML then). So only the text of the ``channels`` and ``touches`` values changes:

- positions come from the token stream of PyYAML's scanner, the parser behind
  :mod:`mcplan.yamlsource`, so the edit lines up with what mcplan reads;
- the new ``key: value`` text is written by ruamel.yaml in round-trip mode, from a
  ``CommentedSeq`` of ``CommentedMap`` in flow style, with the list indentation the file
  already uses (a ``- `` under ``touches:`` indented by 2 in the examples), so a value that
  must be quoted is quoted;
- the result is read back with :func:`mcplan.yamlsource.parse` and checked: the two keys hold
  exactly the new values and every other key exactly what it held before
  (:class:`UpdateError` otherwise: nothing half-right is ever returned).
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mcplan.errors import McplanError
from mcplan.files import write_atomic
from mcplan.plan.result import CampaignPlan, ProposedTouch
from mcplan.workspace import Workspace
from mcplan.workspace.files import UnreadableFile
from mcplan.workspace.yamlsource import parse

# Wide enough that ruamel never folds a long list of touches or channels onto two lines.
WIDTH = 1 << 16
# `- ` under a key indented by 2, as in the examples, when the file has no block list to copy.
DEFAULT_OFFSET = 2
DEFAULT_SEQUENCE = 4
# Where a missing key goes: after this key, or at the end when that one is missing too.
AFTER = {"channels": "message", "touches": "channels"}


class UpdateError(McplanError):
    """The campaign file cannot be updated without changing something else in it."""


def updated_text(
    original: str,
    channels: Sequence[str] | None,
    touches: Sequence[ProposedTouch] | None,
) -> str:
    """The campaign file's text with ``channels`` and ``touches`` replaced or added.

    ``channels`` is written as a flow list (``channels: [email, sms]``); ``touches`` as a block
    list of flow mappings, one per line (``  - {channel: email, at: 2027-01-13T09:00}``, then
    ``after:`` and ``personas:`` when set). ``None`` leaves that key untouched, and a value
    equal to what the file already holds is left as written (so planning twice changes
    nothing). A missing key is added after ``message`` (channels) or after ``channels``
    (touches), or at the end of the mapping.

    Everything outside the two values is kept byte for byte: comments (including the
    ``# yaml-language-server:`` line and anything above ``---``), key order, quoting, flow and
    block styles, aligned values, blank lines, indentation, line ends (CRLF stays CRLF).

    Of the replaced values themselves, kept: the comment on the key's line
    (``touches:   # two touches``, ``channels: [email, sms]  # why``), at the same column when
    the new value fits, and the comment lines between the key and its first item (or, under
    an empty value, the comment lines indented under the key). Not kept,
    since what they describe is gone: comments on or between the old items, and keys the new
    touches do not have (an old touch's ``note:``). A list written in block style
    (``channels:`` then ``- email`` lines) comes back as a flow list. A time with seconds
    (``2027-01-13T09:00:30``) is quoted by ruamel, which reads it as a YAML 1.1 timestamp;
    mcplan reads it as the same text either way.

    Raises :class:`UpdateError` when the file's top level is not a block mapping, when a key is
    written twice, or when the result would not read back as intended (an alias to an anchor
    inside a replaced value), :class:`~mcplan.workspace.files.UnreadableFile` when ``original`` is
    not valid YAML, and :class:`ValueError` for a touch time with a time zone or fractions of
    a second, which the file format does not hold.
    """
    if channels is None and touches is None:
        return original
    before = _mapping(parse(original, "<campaign>").data)
    wanted: dict[str, list[Any]] = {}
    if channels is not None:
        wanted["channels"] = list(channels)
    if touches is not None:
        wanted["touches"] = [_touch_data(touch) for touch in touches]
    text = original
    for key, value in wanted.items():
        if before.get(key, _MISSING) != value:
            text = _replace(text, key, value)
    _check(before, text, wanted)
    return text


@dataclass(frozen=True)
class FileChange:
    """What writing a plan back changes in one campaign file."""

    file: str  # relative to the workspace
    original: str
    updated: str

    @property
    def changed(self) -> bool:
        return self.updated != self.original

    def diff(self) -> str:
        """The change as a unified diff that `git apply` takes."""
        return diff(self.file, self.original, self.updated)


def changes(workspace: Workspace, plans: Sequence[CampaignPlan]) -> list[FileChange]:
    """What writing ``plans`` back would change: the chosen channels, and the proposed touches
    of the campaigns that had none. Campaigns that could not be planned are left alone.

    Raises :class:`UpdateError`, naming the file, when one cannot be updated safely.
    """
    out = []
    for result in plans:
        if result.findings:
            continue
        display = workspace.source("campaigns", result.campaign.id).file
        original = (workspace.root / display).read_bytes().decode("utf-8")  # keeps CRLF
        proposed = result.touches if result.proposed else None
        try:
            updated = updated_text(original, result.chosen, proposed)
        except McplanError as exc:
            raise UpdateError(f"cannot update {display}: {exc}") from exc
        out.append(FileChange(display, original, updated))
    return out


def apply_plan(workspace: Workspace, plans: Sequence[CampaignPlan]) -> list[FileChange]:
    """Write ``plans`` back into their campaign files; return the changes made."""
    written = [change for change in changes(workspace, plans) if change.changed]
    for change in written:
        write_atomic(workspace.root / change.file, change.updated)
    return written


def diff(display: str, original: str, updated: str) -> str:
    """A unified diff from ``original`` to ``updated`` (``a/{display}``, ``b/{display}``).

    Empty when the texts are equal. A last line without a line end is marked like git marks
    it, so the diff applies with ``git apply`` or ``patch``.
    """
    if original == updated:
        return ""
    lines = difflib.unified_diff(
        _lines(original),
        _lines(updated),
        fromfile=f"a/{display}",
        tofile=f"b/{display}",
    )
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """The lines of ``text`` with their line ends, split at ``\\n`` only (like git and patch,
    unlike ``str.splitlines``, which also splits at form feeds and U+2028)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


# -- the new values -------------------------------------------------------------------------

_MISSING = object()


def _touch_data(touch: ProposedTouch) -> dict[str, Any]:
    """A touch as mcplan reads it back from the file: text and lists of text."""
    data: dict[str, Any] = {"channel": touch.channel, "at": _local_time(touch.at)}
    if touch.after is not None:
        data["after"] = touch.after
    if touch.personas is not None:
        data["personas"] = list(touch.personas)
    return data


def _local_time(at: datetime) -> str:
    """``2027-01-13T09:00``: no seconds when they are zero, never a time zone."""
    if at.tzinfo is not None:
        raise ValueError(f"touch time {at.isoformat()} must be local (without a time zone)")
    if at.microsecond:
        raise ValueError(f"touch time {at.isoformat()} has fractions of a second")
    return at.strftime("%Y-%m-%dT%H:%M:%S" if at.second else "%Y-%m-%dT%H:%M")


def _node(key: str, value: list[Any]) -> CommentedSeq:
    """The value as ruamel nodes: a flow list of ids, or a block list of flow mappings."""
    if key == "channels":
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    items = CommentedSeq()
    for touch in value:
        item = CommentedMap()
        for name, part in touch.items():
            if isinstance(part, list):
                part = CommentedSeq(part)
                part.fa.set_flow_style()
            item[name] = part
        item.fa.set_flow_style()
        items.append(item)
    items.fa.set_block_style()
    return items


def _render(key: str, value: list[Any], layout: _Layout) -> list[str]:
    """``key: value`` as ruamel.yaml writes it, one string per line."""
    writer = YAML(typ="rt")
    writer.width = WIDTH
    writer.indent(mapping=2, sequence=layout.sequence, offset=layout.offset)
    document = CommentedMap()
    document[key] = _node(key, value)
    stream = io.StringIO()
    writer.dump(document, stream)
    return stream.getvalue().splitlines()


# -- where the values are -------------------------------------------------------------------


@dataclass
class _Entry:
    """A top-level key and its value, as character offsets into the text."""

    key: str
    start: int  # the key's first character
    column: int  # its column (a byte order mark before it does not count)
    colon: int = -1  # just after the `:`
    first: int | None = None  # the value's first character; None when the value is empty
    end: int = -1  # just after the value's last character (the `:` when empty)


@dataclass
class _Layout:
    entries: list[_Entry] = field(default_factory=list)
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


def _layout(text: str) -> _Layout:
    """The top-level keys of the document and the list indentation the file uses."""
    layout = _Layout()
    depth = flow = 0  # open block collections, open flow collections
    entry: _Entry | None = None
    naming = False  # the next scalar is the name of `entry`
    key_column = 0  # column of the latest block key
    owner: tuple[str | None, int] | None = None  # (top-level key, column) of a value to come
    dash: tuple[str | None, int, int, int] | None = None  # (key, key column, `-` column, line)
    samples: list[tuple[str | None, int, int]] = []
    started = False
    # The pure-Python scanner: its marks count characters, libyaml's may count bytes.
    for token in yaml.scan(text, Loader=yaml.BaseLoader):
        start, end = token.start_mark, token.end_mark
        if dash is not None:  # the token after a `- `: the item, if on the same line
            nested = isinstance(token, yaml.BlockEntryToken | yaml.BlockEndToken)
            if not nested and start.line == dash[3] and start.column > dash[2]:
                samples.append((dash[0], dash[2] - dash[1], start.column - dash[1]))
            dash = None
        if owner is not None and not isinstance(token, yaml.BlockSequenceStartToken):
            if isinstance(token, yaml.BlockEntryToken):
                dash = (owner[0], owner[1], start.column, start.line)
            owner = None
        if isinstance(token, _DOCUMENT):
            if isinstance(token, yaml.DocumentStartToken | yaml.DirectiveToken) and started:
                raise UpdateError("the file holds more than one YAML document")
            entry = None
            continue
        if not started and not isinstance(token, yaml.BlockEndToken):
            started = True
            if not isinstance(token, yaml.BlockMappingStartToken):
                raise UpdateError("the file's top level is not a block mapping of keys")
        if isinstance(token, yaml.BlockMappingStartToken | yaml.BlockSequenceStartToken):
            depth += 1
        elif isinstance(token, yaml.BlockEndToken):
            depth -= 1
            continue  # it sits at the next key: past the comments that follow the value
        elif isinstance(token, _OPEN):
            flow += 1
        elif isinstance(token, _CLOSE):
            flow -= 1
        if flow == 0 and isinstance(token, yaml.KeyToken):
            key_column = start.column
            if depth == 1:
                entry, naming = _Entry("", start.index, start.column), True
                layout.entries.append(entry)
                continue
        if naming and entry is not None:
            if isinstance(token, yaml.AnchorToken | yaml.TagToken):
                continue
            if not isinstance(token, yaml.ScalarToken):
                raise UpdateError("a top-level key is a list or a mapping, not text")
            entry.key, naming = token.value, False
            continue
        if flow == 0 and isinstance(token, yaml.ValueToken):
            owner = (entry.key if depth == 1 and entry else None, key_column)
            if depth == 1 and entry is not None:
                entry.colon = entry.end = end.index
                continue
        if entry is not None and entry.colon >= 0:
            if entry.first is None:
                entry.first = start.index
            if end.index >= entry.end:
                entry.end = _content_end(text, token)
    if not layout.entries:
        raise UpdateError("the file's top level is not a block mapping of keys")
    preferred = [s for s in samples if s[0] == "touches"] or samples
    if preferred:
        layout.offset, layout.sequence = preferred[0][1], preferred[0][2]
    return layout


def _content_end(text: str, token: yaml.Token) -> int:
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


def _replace(text: str, key: str, value: list[Any]) -> str:
    """``text`` with ``key``'s value replaced, or ``key`` added when it is missing."""
    layout = _layout(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    found = [entry for entry in layout.entries if entry.key == key]
    if len(found) > 1:
        raise UpdateError(f"`{key}` is written {len(found)} times")
    indent = layout.entries[0].column
    lines = _render(key, value, layout)
    if not found:
        anchors = [e for e in layout.entries if e.key == AFTER[key]] or layout.entries[-1:]
        at = _line_end(text, anchors[-1].end)
        added = newline.join(indent * " " + line for line in lines)
        return text[:at] + newline + added + text[at:]
    entry = found[0]
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


# -- checking -------------------------------------------------------------------------------


def _mapping(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UpdateError("the file's top level is not a mapping of keys")
    return data


def _check(before: dict[str, Any], text: str, wanted: dict[str, list[Any]]) -> None:
    """Read ``text`` back: the wanted values, and everything else exactly as before."""
    try:
        after = _mapping(parse(text, "<campaign>").data)
    except UnreadableFile as exc:  # an alias to an anchor that was in a replaced value
        problem = exc.finding.message
        raise UpdateError(f"the updated file would not be valid YAML: {problem}") from exc
    expected = {**before, **wanted}
    kept_order = [k for k in before if k not in wanted] == [k for k in after if k not in wanted]
    if after != expected or not kept_order:
        changed = sorted(
            k for k in expected.keys() | after.keys() if after.get(k) != expected.get(k)
        )
        raise UpdateError(
            "the updated file would not read back as intended"
            + (f" ({', '.join(changed)} would differ)" if changed else " (key order)")
            + ": write `channels` and `touches` by hand"
        )
