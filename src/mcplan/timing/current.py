"""The slot the workspace's touches use today for a persona and channel (issue 30): the
local time its hand-written touches reach the persona at (their most frequent local hour,
with its weekday when all of them at that hour fall on one), else the time `mcplan plan`
proposes a touch at (the persona's learned send time moved into the channel's window, or
10:00, or the start of the window: `mcplan.plan.aims`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from mcplan.timing.result import Slot
from mcplan.workspace import Workspace


def current_slots(
    workspace: Workspace, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Slot]:
    """The current slot of each (persona, channel) of ``pairs`` the workspace knows."""
    from mcplan.schedule.contacts import expand

    times: defaultdict[tuple[str, str], Counter[tuple[int, int]]] = defaultdict(Counter)
    for contact in expand(workspace):
        times[(contact.persona, contact.channel)][(contact.at.weekday(), contact.at.hour)] += 1
    found = {}
    for pair in pairs:
        if pair in times:
            found[pair] = _most_used(times[pair])
        elif pair[1] in workspace.channels:
            found[pair] = _proposed(workspace, *pair)
    return found


def _proposed(workspace: Workspace, persona_id: str, channel_id: str) -> Slot:
    """Where `mcplan plan` would put a touch to the persona on the channel."""
    from mcplan.plan.aims import default_clock
    from mcplan.schedule.send_times import aim

    channel, persona = workspace.channels[channel_id], workspace.personas[persona_id]
    aimed = aim(workspace.law(channel_id, persona).channel.window, persona, channel_id)
    if aimed is not None:
        return Slot(aimed.weekday, aimed.clock.hour)
    return Slot(None, default_clock(channel).hour)


def _most_used(times: Counter[tuple[int, int]]) -> Slot:
    """The most frequent hour (the earliest of a tie), on its weekday when it has one."""
    hours: Counter[int] = Counter()
    for (_, hour), count in times.items():
        hours[hour] += count
    hour = min(hours, key=lambda h: (-hours[h], h))
    days = {day for day, h in times if h == hour}
    return Slot(days.pop() if len(days) == 1 else None, hour)
