"""How the pressure family reports a hand-written touch far from a persona's learned send time
(P108, issue 30): the slot `mcplan timing --write` keeps in the persona's file, when it is
credibly better (`probability_better` above :data:`CREDIBLE`) than the hour the touches used.

The slot is taken as the channel's window lets it be (`schedule.send_times.aim`): a touch at
the nearest time the window allows is at the slot, as `plan` would have put it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time

from mcplan import rule_examples
from mcplan.findings import Finding, Level, Related, Rule, Subject
from mcplan.lint.context import LintContext
from mcplan.numbers import decimal, percent, probability
from mcplan.schedule.contacts import Contact, outbound
from mcplan.schedule.send_times import Aim, aim, far, label
from mcplan.workspace import Workspace

CREDIBLE = 0.9  # the probability above which a learned slot's gain is credible

_LEARNED = rule_examples.persona(
    "name: Marie",
    "market: b2c",
    "size: 1000",
    "stage: loyalty",
    "channels:",
    "  email: {reach: 0.9, affinity: 0.6, consent: opt_in}",
    "send_times:",
    "  email:",
    "    weekday: thursday",
    "    hour: 19",
    "    metric: open",
    "    sends: 5400",
    "    rate: 0.231",
    "    interval: [0.212, 0.251]",
    "    current: {hour: 10}",
    "    gain: 0.041",
    "    probability_better: 0.97",
)

FAR_FROM_SEND_TIME = Rule(
    "P108",
    "far-from-send-time",
    Level.INFO,
    "A touch reaches a persona far from the send time learned for its channel, when the "
    "learned slot is credibly better.",
    hint="move the touch to the learned slot, or leave its time to `mcplan plan`",
    details="The slot is the persona's `send_times` for the channel (written by `mcplan "
    "timing --write`), moved to the nearest time the channel's window allows, as `plan` "
    "moves it. A touch is far from it on another weekday (when the slot has one) or more "
    "than an hour from its hour, in the persona's local time. Only a slot whose "
    "`probability_better` is above 0.9 counts; the finding gives its rate and interval, "
    "the gain and that probability, with the persona's `send_times` line related.",
    fails=_LEARNED + rule_examples.campaign("email 2027-12-02T10:00"),
    passes=_LEARNED + rule_examples.campaign("email 2027-12-02T19:00"),
)


def check(ctx: LintContext) -> Iterator[Finding]:
    """P108 for every contact of a hand-written touch (campaigns' touches are all written)."""
    workspace = ctx.workspace
    counted = outbound(workspace)
    aims: dict[tuple[str, str], Aim | None] = {}
    for contact in ctx.contacts:
        if contact.channel not in counted:
            continue
        key = (contact.persona, contact.channel)
        if key not in aims:
            aims[key] = _credible(workspace, *key)
        aimed = aims[key]
        if aimed is not None and far(aimed, contact.at):
            yield _finding(workspace, contact, aimed)


def _credible(workspace: Workspace, persona_id: str, channel: str) -> Aim | None:
    """The persona's slot on the channel, when it has one credibly better."""
    persona = workspace.personas.get(persona_id)
    if persona is None or channel not in workspace.channels:
        return None
    learned = persona.send_times.get(channel)
    if learned is None or (learned.probability_better or 0.0) <= CREDIBLE:
        return None
    return aim(workspace.law(channel, persona).channel.window, persona, channel)


def _finding(workspace: Workspace, contact: Contact, aimed: Aim) -> Finding:
    learned = aimed.learned
    low, high = learned.interval
    touch = label(contact.at.weekday(), contact.at.time())
    gain = ""
    if learned.gain is not None:
        gain = f", {decimal(learned.gain * 100, 1, signed=True)} points"
        if learned.current is not None:
            gain += f" over {label(learned.current.day, time(learned.current.hour))}"
    message = (
        f"{contact.channel} reaches persona '{contact.persona}' on {touch}, far from its "
        f"learned slot {_slot(aimed)} ({learned.metric} rate {percent(learned.rate, 1)}, "
        f"90 % interval {percent(low, 1)}–{percent(high, 1)}{gain}, probability "
        f"{probability(learned.probability_better or 0.0)} that it is better)"
    )
    source = workspace.source("personas", contact.persona)
    where = source.locate(("send_times", contact.channel), key=True)
    said = f"persona '{contact.persona}': its send time on {contact.channel}"
    return FAR_FROM_SEND_TIME(
        contact.where,
        message,
        related=[Related(where, said)],
        subject=Subject(
            campaign=contact.campaign, channel=contact.channel, persona=contact.persona
        ),
    )


def _slot(aimed: Aim) -> str:
    """``tuesday 19:00``; ``21:00, 19:00 in the channel's window`` when the window moves it."""
    learned = label(aimed.learned.day, time(aimed.learned.hour))
    return f"{learned}, {aimed.label()} in the channel's window" if aimed.moved else learned
