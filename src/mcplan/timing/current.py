"""The slot the workspace's touches use today for a persona and channel (issue 30): the
local time its hand-written touches reach the persona at (their most frequent local hour,
with its weekday when all of them at that hour fall on one), else the time `mcplan plan`
proposes a touch at (10:00, or the start of the channel's window: `mcplan.plan.propose`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from mcplan.timing.result import Slot
from mcplan.workspace import Workspace


def current_slots(
    workspace: Workspace, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Slot]:
    """The current slot of each (persona, channel) of ``pairs`` the workspace knows."""
    from mcplan.plan.propose import _clock
    from mcplan.schedule.contacts import expand

    times: defaultdict[tuple[str, str], Counter[tuple[int, int]]] = defaultdict(Counter)
    for contact in expand(workspace):
        times[(contact.persona, contact.channel)][(contact.at.weekday(), contact.at.hour)] += 1
    found = {}
    for pair in pairs:
        if pair in times:
            found[pair] = _most_used(times[pair])
        elif pair[1] in workspace.channels:
            found[pair] = Slot(None, _clock(workspace.channels[pair[1]]).hour)
    return found


def _most_used(times: Counter[tuple[int, int]]) -> Slot:
    """The most frequent hour (the earliest of a tie), on its weekday when it has one."""
    hours: Counter[int] = Counter()
    for (_, hour), count in times.items():
        hours[hour] += count
    hour = min(hours, key=lambda h: (-hours[h], h))
    days = {day for day, h in times if h == hour}
    return Slot(days.pop() if len(days) == 1 else None, hour)
