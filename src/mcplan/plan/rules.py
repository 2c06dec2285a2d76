"""Planning (N): choose each campaign's channels, forecast them, and propose a schedule.

See `candidates` (filters and score), `select` (the exact choice), `propose` (the schedule).
A campaign that cannot be planned or scheduled is a finding, and `mcplan plan` exits with 1.
"""

from __future__ import annotations

from mcplan import rule_examples
from mcplan.findings import Family, Level, Rule

UNPLANNABLE = Rule(
    "N101",
    "unplannable",
    Level.ERROR,
    "No channel passes the filters and fits the budget: the campaign cannot be planned.",
    hint="widen the campaign's channels or budget, or record the consent it needs",
    details="The finding gives every reason a channel was left out.",
    fails=rule_examples.campaign(
        more="channels: [sms]\nbudget: 10  # the SMS channel's fixed cost is 50\n"
    ),
    passes=rule_examples.campaign(more="channels: [sms]\nbudget: 1000\n"),
)
# Three touches to marie in a week, her cap: a campaign planned in that week finds no slot.
_SOLDES = rule_examples.campaign(
    "email 2027-03-02T10:00",
    "sms 2027-03-03T10:00",
    "email 2027-03-04T10:00",
    name="soldes",
    message="{headline: Les soldes, starts: 2027-03-01, ends: 2027-03-31}",
)


def _flash(starts: str, ends: str) -> str:
    message = f"{{headline: Vente flash, starts: {starts}, ends: {ends}}}"
    return rule_examples.campaign(name="flash", message=message, more="channels: [sms]\n")


UNSCHEDULABLE = Rule(
    "N102",
    "unschedulable",
    Level.ERROR,
    "A proposed touch finds no slot within the dates, the window and the pressure caps.",
    hint="widen the campaign's dates, or lower the pressure of other campaigns",
    details="Only for a campaign without touches, whose schedule `mcplan plan` proposes.",
    fails=_SOLDES + _flash("2027-03-03", "2027-03-05"),
    passes=_SOLDES + _flash("2027-03-10", "2027-03-12"),
)

# Marie, having objected to SMS (a consumer needs an opt-in).
_OPTED_OUT = "\n# personas/marie.yaml\n" + rule_examples.BASE["personas/marie.yaml"].replace(
    "consent: opt_in}\n  instagram", "consent: opt_out}\n  instagram"
)
UNSENT_TOUCH = Rule(
    "N103",
    "unsent-touch",
    Level.ERROR,
    "A touch of the campaign that the plan cannot send: its channel is not chosen, or a "
    "persona it reaches cannot get it.",
    hint="change or drop the touch, or give the persona what the channel needs (the consent)",
    details="`mcplan plan --write` would otherwise write channels that leave the touch out.",
    fails=_OPTED_OUT + rule_examples.campaign("email 2027-12-01T10:00", "sms 2027-12-03T10:00"),
    passes=rule_examples.campaign("email 2027-12-01T10:00", "sms 2027-12-03T10:00"),
)
IDLE_CHANNEL = Rule(
    "N104",
    "idle-channel",
    Level.WARNING,
    "A channel the plan chooses that no touch of the campaign uses: it is not forecast.",
    hint="add a touch on it, or leave it out of the campaign's channels",
    fails=rule_examples.campaign(
        "email 2027-12-02T10:00", more="channels: [email, sms]\nbudget: 1000\n"
    ),
    passes=rule_examples.campaign(
        "email 2027-12-02T10:00", "sms 2027-12-04T10:00", more="channels: [email, sms]\n"
    ),
)


def _subject_test(min_lift: str) -> str:
    test = (
        "tests:\n  - id: objet\n    channel: email\n    part: subject\n    metric: open\n"
        f"    min_lift: {min_lift}\n    arms:\n      a: '{{{{ m.headline }}}}'\n"
        "      b: '{{ m.headline }} : nos idées cadeaux'\n"
    )
    return rule_examples.campaign("email 2027-12-02T10:00", more=test)


UNDERPOWERED_TEST = Rule(
    "N105",
    "underpowered-test",
    Level.WARNING,
    "A message test whose arms reach too few contacts to detect the lift it looks for.",
    hint="reach more contacts (more personas, fewer arms), look for a bigger lift "
    "(`min_lift`), or measure a more frequent metric (open before click before conversion)",
    details="The smallest lift a test can detect is that of a two-sided test of two "
    "proportions, each arm against the control, at the workspace's `[experiments]` alpha "
    "(0.05) and power (0.8), on the contacts the plan sends each arm and the channel's rate "
    "of the metric. A test that cannot detect its `min_lift` will most likely end with "
    '"no significant difference", whichever arm is better.',
    fails=_subject_test("0.10"),
    passes=_subject_test("0.50"),
)

RULES = (UNPLANNABLE, UNSCHEDULABLE, UNSENT_TOUCH, IDLE_CHANNEL, UNDERPOWERED_TEST)

# `mcplan plan` reports these as it plans: `mcplan lint` has nothing to check.
FAMILY = Family(
    "N",
    "planning",
    "each campaign can be planned and scheduled, every touch sent, every test able to detect "
    "its lift",
    __doc__ or "",
    RULES,
)
