"""Write learned send times into the persona files (`mcplan timing EXPORT --write`), keeping
everything else as the user wrote it.

As `plan --write` does for a campaign's touches (`mcplan.plan.write`): only the text of the
``send_times`` value changes (`mcplan.plan.yamledit` finds it from PyYAML's tokens), its new
text is written by ruamel.yaml in round-trip mode, and the result is read back and checked
(the key holds exactly the new value, every other key exactly what it held, and the value
validates as a persona's `send_times`) before anything is written, atomically.

Only the send times with enough data are written. A channel already learned is replaced,
the persona's other channels are kept as written, comments too, in the order the file has
them (a new one after them, by id): in a block of channels (`send_times:` then a channel a
line) only the learned channels' text changes; a value in flow style, or a block with a
blank or less indented line inside, is written again as a whole. A persona the workspace
does not have, or a channel the persona does not list in `channels` (its file would not
validate), is left out: :func:`left_out` says which.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mcplan.errors import McplanError
from mcplan.plan import yamledit
from mcplan.plan.write import FileChange, dumped, top_level, write_changes
from mcplan.plan.yamledit import UpdateError
from mcplan.printable import printable
from mcplan.timing.result import WEEKDAYS, SendTime, Slot
from mcplan.workspace import Workspace
from mcplan.workspace.reading import UnreadableFile
from mcplan.workspace.send_times import SendTimeSlot
from mcplan.workspace.yamlsource import parse

KEY = "send_times"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DIGITS = 3  # rates, intervals, gains and probabilities as the file keeps them: 0.231

__all__ = ["FileChange", "apply_send_times", "changes", "left_out", "slot_data", "updated_text"]


def slot_data(send_time: SendTime) -> dict[str, Any]:
    """One channel's entry of ``send_times``, in the order the file writes it."""
    if send_time.best is None or send_time.rate is None or send_time.interval is None:
        raise ValueError(f"{send_time.persona} on {send_time.channel}: no slot learned")
    data: dict[str, Any] = _slot(send_time.best)
    data["metric"] = send_time.metric
    data["sends"] = int(send_time.sends)
    if send_time.period is not None:
        data["period"] = {"from": send_time.period[0], "until": send_time.period[1]}
    rate, (low, high) = _round(send_time.rate), send_time.interval
    data["rate"] = rate
    # The mean of a very skewed posterior may fall outside its equal-tailed interval: the file
    # keeps the rate inside it, as the key's check asks.
    data["interval"] = [min(_round(low), rate), max(_round(high), rate)]
    if send_time.current is not None:
        data["current"] = _slot(send_time.current)
    if send_time.gain is not None:
        data["gain"] = _round(send_time.gain)
    if send_time.probability_better is not None:
        data["probability_better"] = _round(send_time.probability_better)
    return data


def _slot(slot: Slot) -> dict[str, Any]:
    """``{weekday: tuesday, hour: 19}``; without ``weekday`` for any day."""
    day = {"weekday": WEEKDAYS[slot.weekday]} if slot.weekday is not None else {}
    return {**day, "hour": int(slot.hour)}


def _round(value: float) -> float:
    return round(float(value), DIGITS) + 0.0  # never -0.0


def writable(workspace: Workspace, send_times: Iterable[SendTime]) -> dict[str, list[SendTime]]:
    """The send times to write, by persona: enough data, a persona the workspace has, a
    channel it lists."""
    out: dict[str, list[SendTime]] = {}
    for send_time in send_times:
        persona = workspace.personas.get(send_time.persona)
        if send_time.enough_data and persona is not None and send_time.channel in persona.channels:
            out.setdefault(send_time.persona, []).append(send_time)
    return out


def left_out(workspace: Workspace, send_times: Iterable[SendTime]) -> list[str]:
    """Why each send time with enough data is not written, one sentence each."""
    out = []
    for send_time in send_times:
        if not send_time.enough_data:
            continue
        persona = workspace.personas.get(send_time.persona)
        who = f"persona '{printable(send_time.persona)}'"
        if persona is None:
            out.append(f"{who}: the workspace has no such persona (or its file does not load)")
        elif send_time.channel not in persona.channels:
            out.append(f"{who}: it does not list channel '{printable(send_time.channel)}'")
    return out


def updated_text(original: str, learned: Sequence[SendTime]) -> str:
    """The persona file's text with the ``learned`` channels of ``send_times`` replaced or
    added (after ``pressure``, else ``channels``, else at the end), every other byte kept.

    Raises :class:`UpdateError` when the file cannot be updated safely or would not read
    back as intended.
    """
    before = top_level(parse(original, "<persona>").data)
    old = before.get(KEY)
    entries = {s.channel: slot_data(s) for s in sorted(learned, key=lambda s: s.channel)}
    merged: dict[str, Any] = _plain(old) if isinstance(old, dict) else {}
    merged.update(entries)
    rendered = functools.partial(_render, KEY, merged)
    text = _by_channel(original, entries) if isinstance(old, dict) and old else None
    if text is None:  # no block of channels to edit one by one: the whole value
        after = "pressure" if "pressure" in before else "channels"
        text = yamledit.replace(original, KEY, rendered, after)
    _check(before, text, rendered)
    return text


def _by_channel(original: str, entries: dict[str, Any]) -> str | None:
    """``original`` with only the ``entries`` channels of its ``send_times`` block replaced
    or added (the other channels' text kept, comments too), or None when the value is not a
    block mapping below its key that can be edited so (then the whole value is written).

    The block is cut out, its indentation taken off, edited as a file of its own by
    `yamledit` (a channel a top-level key there), and put back indented.
    """
    found = [e for e in yamledit.layout(original).entries if e.key == KEY]
    if len(found) != 1 or found[0].first is None:
        return None
    entry, first = found[0], found[0].first
    start = original.rfind("\n", 0, first) + 1
    if start <= entry.start:  # the value starts on the key's line: a flow mapping
        return None
    stop = original.find("\n", entry.end)
    stop = len(original) if stop < 0 else stop
    indent = first - start
    lines = original[start:stop].split("\n")
    if any(not line.startswith(" " * indent) for line in lines):
        return None  # a line less indented (a comment, a blank line): not a block to cut out
    block = "\n".join(line[indent:] for line in lines)
    for channel, data in entries.items():
        block = yamledit.replace(block, channel, functools.partial(_render, channel, data), "")
    edited = "\n".join(" " * indent + line for line in block.split("\n"))
    return original[:start] + edited + original[stop:]


def _plain(value: Any) -> Any:
    """A value as read (its numbers carry their positions) as plain Python for ruamel: a
    date written plain stays plain."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return str(value)
    return str(value)


def changes(workspace: Workspace, send_times: Sequence[SendTime]) -> list[FileChange]:
    """What writing ``send_times`` would change, one `FileChange` per persona file (the
    `--diff`-like preview: `FileChange.diff()`), unchanged files included."""
    out = []
    for persona_id, learned in sorted(writable(workspace, send_times).items()):
        display = workspace.source("personas", persona_id).file
        original = workspace.path(display).read_bytes().decode("utf-8")  # keeps CRLF
        try:
            updated = updated_text(original, learned)
        except McplanError as exc:
            raise UpdateError(f"cannot update {display}: {exc}") from exc
        out.append(FileChange(display, original, updated))
    return out


def apply_send_times(workspace: Workspace, send_times: Sequence[SendTime]) -> list[FileChange]:
    """Write the send times with enough data into their personas' files; return the files
    changed (a file that already says the same is not written again).

    Raises :class:`UpdateError`, naming the file, when one cannot be updated safely; nothing
    is written then.
    """
    return write_changes(workspace, changes(workspace, send_times))


# -- the new text ---------------------------------------------------------------------------


def _entry(value: Any) -> Any:
    """A channel's entry in block style, one key a line; its period, interval and current
    slot in flow style (``period: {from: 2027-01-04, until: 2027-06-27}``)."""
    if not isinstance(value, dict):
        return value
    node = CommentedMap()
    for key, part in value.items():
        if isinstance(part, dict):
            part = CommentedMap(part)
            part.fa.set_flow_style()
        elif isinstance(part, list):
            part = CommentedSeq(part)
            part.fa.set_flow_style()
        node[key] = part
    return node


def _render(key: str, value: dict[str, Any], layout: yamledit.Layout) -> list[str]:
    """``key: value`` as ruamel.yaml writes it, one string per line."""
    if key != KEY:
        return dumped(key, _entry(value), layout)
    node = CommentedMap()
    for channel, entry in value.items():
        node[channel] = _entry(entry)
    return dumped(key, node, layout)


# -- checking -------------------------------------------------------------------------------


def _check(before: dict[str, Any], text: str, rendered: Any) -> None:
    """Read ``text`` back: ``send_times`` as rendered and valid, the rest as before."""
    try:
        after = top_level(parse(text, "<persona>").data)
        wanted = parse("\n".join(rendered(yamledit.Layout())), "<send_times>").data[KEY]
    except UnreadableFile as exc:  # an alias to an anchor that was in the replaced value
        problem = exc.finding.message
        raise UpdateError(f"the updated file would not be valid YAML: {problem}") from exc
    kept = {k: v for k, v in before.items() if k != KEY}
    rest = {k: v for k, v in after.items() if k != KEY}
    if rest != kept or list(rest) != list(kept) or after.get(KEY) != wanted:
        raise UpdateError(
            "the updated file would not read back as intended: write `send_times` by hand"
        )
    try:
        for entry in wanted.values():
            SendTimeSlot.model_validate(entry)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UpdateError(f"send_times would not validate ({where}: {first['msg']})") from None
