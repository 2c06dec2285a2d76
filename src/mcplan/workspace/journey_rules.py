"""The structure rules of journeys (S314–S318), declared beside `structure`'s and part of its
family: `journey_checks` finds them, after the files are read and their ids resolved.
"""

from __future__ import annotations

from mcplan import rule_examples
from mcplan.findings import Level, Rule

_HELLO = "{id: hello, send: email}"

STEP_ID = Rule(
    "S314",
    "step-id",
    Level.ERROR,
    "A step id written twice in a journey, or a condition that names no step of it.",
    hint="give each step its own id, and name the id of an earlier send in a condition",
    details="Step ids are unique within a journey, and a send always has one (without it, "
    "S202): conditions, results and reports name the steps by them.",
    fails=rule_examples.journey(_HELLO, "{wait: 3d}", "{id: hello, send: sms}"),
    passes=rule_examples.journey(_HELLO, "{wait: 3d}", "{id: reminder, send: sms}"),
)
ENGAGEMENT_CONDITION = Rule(
    "S315",
    "engagement-condition",
    Level.ERROR,
    "An engagement condition (opened, clicked, not_opened, not_clicked) on a step that is not "
    "an earlier send on the same path, or right after that send with no wait in between.",
    hint="name a send that comes before the branch on the way there, and wait after it",
    details="A sending platform evaluates a condition the moment a contact reaches the "
    "branch: right after the send, nobody has opened it yet, so every contact takes the "
    "`not_opened` arm. A send of another arm, or a later one, has not reached the contact.",
    fails=rule_examples.journey(
        _HELLO, "branch: [{when: {opened: hello}, steps: [{id: merci, send: sms}]}]"
    ),
    passes=rule_examples.journey(
        _HELLO, "{wait: 2d}", "branch: [{when: {opened: hello}, steps: [{id: merci, send: sms}]}]"
    ),
)
BRANCH_SHARES = Rule(
    "S316",
    "branch-shares",
    Level.ERROR,
    "A branch whose `share` arms add up to more than 1, or mix with other conditions.",
    hint="a random split is a branch of `share` arms only (and `otherwise`), adding up to at "
    "most 1",
    details="A random split sends each contact down one arm: its shares cannot add up to "
    "more than everyone, and a share of those who opened is two branches, one inside the other.",
    fails=rule_examples.journey(
        _HELLO,
        "{wait: 2d}",
        "branch: [{when: {share: 0.7}, steps: [{id: a, send: sms}]},"
        " {when: {share: 0.5}, steps: [{id: b, send: email}]}]",
    ),
    passes=rule_examples.journey(
        _HELLO,
        "{wait: 2d}",
        "branch: [{when: {share: 0.5}, steps: [{id: a, send: sms}]},"
        " {when: {share: 0.5}, steps: [{id: b, send: email}]}]",
    ),
)


def _nested(depth: int) -> str:
    """A send inside ``depth`` branches, each inside the one before."""
    return "{branch: [{otherwise: [" * depth + "{id: deep, send: sms}" + "]}]}" * depth


JOURNEY_DEPTH = Rule(
    "S317",
    "journey-depth",
    Level.ERROR,
    "Branches nested more than 5 deep.",
    hint="flatten the journey: a branch inside a branch inside a branch is hard to review, "
    "and the platforms draw it badly",
    fails=rule_examples.journey(_HELLO, _nested(6)),
    passes=rule_examples.journey(_HELLO, _nested(5)),
)
JOURNEY_CONSENT = Rule(
    "S318",
    "journey-consent",
    Level.ERROR,
    "A journey's send on a channel that a persona it reaches lists without the consent the "
    "channel needs there (the same rules as a campaign's touches, per country).",
    hint="record the consent in the persona file, or keep the persona out of this step "
    "(a `personas` arm)",
    details="The channel says what it needs per market, the persona's country's law may "
    "change it (docs/countries.md), and the persona's channel entry says what it has. A "
    "journey runs all year, unreviewed: it is checked as the files are read.",
    fails=rule_examples.persona(
        "name: Marie",
        "market: b2c",
        "size: 1000",
        "stage: loyalty",
        "channels:",
        "  email: {reach: 0.9, affinity: 0.6, consent: opt_in}",
        "  sms: {reach: 0.7, affinity: 0.8, consent: none}",
    )
    + rule_examples.journey(_HELLO, "{wait: 1d}", "{id: rappel, send: sms}"),
    passes=rule_examples.journey(_HELLO, "{wait: 1d}", "{id: rappel, send: sms}"),
)

RULES = (STEP_ID, ENGAGEMENT_CONDITION, BRANCH_SHARES, JOURNEY_DEPTH, JOURNEY_CONSENT)
