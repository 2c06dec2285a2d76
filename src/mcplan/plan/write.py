"""Write a plan back into its campaign file, keeping everything else as the user wrote it.

The file is never dumped again as a whole. A round-trip dump of the whole document, even with
ruamel.yaml's round-trip mode, changes what the user chose elsewhere in the file: it realigns
``code:    HIVER40`` to ``code: HIVER40``, rewrites ``{ kind: sales }`` as ``{kind: sales}``
and ``~`` or ``null`` as an empty value, drops the comments above a ``---`` line, and one set
of indent settings cannot give back a file whose lists are indented in two ways (it can even
write invalid YAML then). So only the text of the ``channels`` and ``touches`` values changes:

- `yamledit` finds where the values are in the file, from PyYAML's tokens, and replaces only
  their text;
- the new ``key: value`` text is written by ruamel.yaml in round-trip mode, from a
  ``CommentedSeq`` of ``CommentedMap`` in flow style, with the list indentation the file
  already uses (a ``- `` under ``touches:`` indented by 2 in the examples), so a value that
  must be quoted is quoted;
- the result is read back with :func:`mcplan.workspace.yamlsource.parse` and checked: the two
  keys hold exactly the new values and every other key exactly what it held before
  (:class:`UpdateError` otherwise: nothing half-right is ever returned).
"""

from __future__ import annotations

import difflib
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mcplan.errors import McplanError
from mcplan.plan import yamledit
from mcplan.plan.result import CampaignPlan, ProposedTouch
from mcplan.plan.yamledit import UpdateError
from mcplan.printable import printable
from mcplan.workspace import Workspace
from mcplan.workspace.reading import UnreadableFile
from mcplan.workspace.yamlsource import parse
from mcplan.writing import write_atomic

# Wide enough that ruamel never folds a long list of touches or channels onto two lines.
WIDTH = 1 << 16
# Where a missing key goes: after this key, or at the end when that one is missing too.
AFTER = {"channels": "message", "touches": "channels"}


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
    inside a replaced value), :class:`~mcplan.workspace.reading.UnreadableFile` when ``original`` is
    not valid YAML, and :class:`ValueError` for a touch time with a time zone or fractions of
    a second, which the file format does not hold.
    """
    if channels is None and touches is None:
        return original
    before = top_level(parse(original, "<campaign>").data)
    wanted: dict[str, list[Any]] = {}
    if channels is not None:
        wanted["channels"] = list(channels)
    if touches is not None:
        wanted["touches"] = [_touch_data(touch) for touch in touches]
    text = original
    for key, value in wanted.items():
        if before.get(key, _MISSING) != value:
            text = yamledit.replace(text, key, functools.partial(_render, key, value), AFTER[key])
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
        if not result.planned:
            continue
        display = workspace.source("campaigns", result.campaign.id).file
        original = workspace.path(display).read_bytes().decode("utf-8")  # keeps CRLF
        proposed = result.touches if result.proposed else None
        try:
            updated = updated_text(original, _in_written_order(result), proposed)
        except McplanError as exc:
            raise UpdateError(f"cannot update {display}: {exc}") from exc
        out.append(FileChange(display, original, updated))
    return out


def _in_written_order(result: CampaignPlan) -> Sequence[str]:
    """The chosen channels, in the order the campaign writes them when they are the same ones:
    a plan that changes nothing must not reorder the list in every pull request."""
    written = result.campaign.channels
    if written is not None and set(written) == set(result.chosen):
        return written
    return result.chosen


def apply_plan(workspace: Workspace, plans: Sequence[CampaignPlan]) -> list[FileChange]:
    """Write ``plans`` back into their campaign files; return the changes made.

    A campaign file that is a link is replaced by the file, never followed, and a folder of
    the workspace that is a link is refused (:class:`UpdateError`), as for every output.
    """
    return write_changes(workspace, changes(workspace, plans))


def write_changes(workspace: Workspace, found: Sequence[FileChange]) -> list[FileChange]:
    """Write the files of ``found`` that change, each atomically; return those written
    (UpdateError, naming the file, when one cannot be)."""
    written = [change for change in found if change.changed]
    for change in written:
        try:
            write_atomic(workspace.path(change.file), change.updated, root=workspace.root)
        except OSError as exc:
            message = f"cannot write {printable(change.file)}: {exc.strerror or exc}"
            raise UpdateError(message) from None
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


def _render(key: str, value: list[Any], layout: yamledit.Layout) -> list[str]:
    return dumped(key, _node(key, value), layout)


def dumped(key: str, node: Any, layout: yamledit.Layout) -> list[str]:
    """``key: node`` as ruamel.yaml writes it (round-trip, the file's list indentation),
    one string per line."""
    writer = YAML(typ="rt")
    writer.width = WIDTH
    writer.indent(mapping=2, sequence=layout.sequence, offset=layout.offset)
    document = CommentedMap()
    document[key] = node
    stream = io.StringIO()
    writer.dump(document, stream)
    return stream.getvalue().splitlines()


# -- checking -------------------------------------------------------------------------------


def top_level(data: Any) -> dict[str, Any]:
    """A file's data as a mapping of keys (UpdateError: it is not one)."""
    if not isinstance(data, dict):
        raise UpdateError("the file's top level is not a mapping of keys")
    return data


def _check(before: dict[str, Any], text: str, wanted: dict[str, list[Any]]) -> None:
    """Read ``text`` back: the wanted values, and everything else exactly as before."""
    try:
        after = top_level(parse(text, "<campaign>").data)
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
