"""What `--explain` says of the proposed touches that go at a persona's learned send time
(`send_times`, issue 30): at the slot, with its rate and sends, or at the nearest time the
channel's window allows when the slot is outside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from mcplan import numbers
from mcplan.numbers import count, moment, percent
from mcplan.plan.result import CampaignPlan
from mcplan.schedule.send_times import Aim, aim
from mcplan.words import Reader
from mcplan.workspace import Workspace


def send_time_lines(plan: CampaignPlan, workspace: Workspace, t: Reader) -> list[str]:
    """One line per proposed touch and group of its personas that share a learned slot."""
    if not plan.proposed:
        return []
    reached = {f.channel: f.personas for f in plan.channels}
    lines = []
    for touch in plan.touches:
        personas = touch.personas or reached.get(touch.channel, ())
        for (aimed, hours), ids in _groups(workspace, touch.channel, personas).values():
            said = {
                "touch": f"{touch.channel} {moment(touch.at)}",
                "personas": ", ".join(ids),
                "slot": _slot(aimed.learned.day, time(aimed.learned.hour)),
            }
            if aimed.moved:
                lines.append(t.say("send_time_moved", **said, window=hours))
            else:
                learned = aimed.learned
                rate = percent(learned.rate, 1)
                rated = t.say(f"send_time_rate_{learned.metric}", rate=rate)
                sends = count(learned.sends)
                lines.append(t.say("send_time_slot", **said, rate=rated, sends=sends))
    return lines


def _groups(
    workspace: Workspace, channel: str, personas: Sequence[str]
) -> dict[str, tuple[tuple[Aim, str], list[str]]]:
    """The personas with a learned slot on ``channel``, by where it puts them (and the
    window's hours, and the slot's evidence)."""
    groups: dict[str, tuple[tuple[Aim, str], list[str]]] = {}
    for persona_id in personas:
        persona = workspace.personas.get(persona_id)
        if persona is None or channel not in workspace.channels:
            continue
        window = workspace.law(channel, persona).channel.window
        aimed = aim(window, persona, channel)
        if aimed is not None:
            hours = window.hours_text()
            key = f"{aimed.label()} {aimed.moved} {hours} {aimed.learned.model_dump_json()}"
            groups.setdefault(key, ((aimed, hours), []))[1].append(persona_id)
    return groups


def _slot(weekday: int | None, clock: time) -> str:
    """``martes 19:00`` (the weekday in the reader's locale), ``19:00`` for any day."""
    if weekday is None:
        return f"{clock:%H:%M}"
    from babel.dates import get_day_names

    day = get_day_names("wide", locale=numbers.current_locale() or "en")[weekday]
    return f"{day} {clock:%H:%M}"
