"""Structure (S): every file can be read, every key is known, every value fits, every id resolves.

What `mcplan validate` reports, and the first family of `mcplan lint`. S101 to S108 mean that a
file could not be read at all: the commands then exit with 2, not 1. The checks live where the
files are read: `yamlsource` (S101–S110), `problems` (the models' S201–S203, and S301 for an
id a model names), `documents` (S302), `library` (S307), `references` and `resolving` (S301,
S305, S306, S308, S311, S312), `timing` (S303, S304, S310), `assumed` (S309, S313) and
`journey_checks` (a journey's steps: S305, S306 and S314–S318); this module is where the rules
are declared, those of journeys in `journey_rules`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mcplan import rule_examples
from mcplan.findings import Family, Finding, Level, Rule
from mcplan.workspace import journey_rules

if TYPE_CHECKING:
    from mcplan.lint.context import LintContext

SYNTAX = Rule(
    "S101",
    "syntax",
    Level.ERROR,
    "The file is not valid YAML (or TOML).",
    details="The message gives the parser's reason and the line; the hint names the usual "
    "cause (a tab, an unquoted ': '). In the settings file, each statement that is not TOML "
    "is a finding at its line and the rest of the file is read (a broken table header loses "
    "that table and its keys): a check never says a key is missing when it is written but "
    "could not be read, and a top-level value that is one word without its quotes "
    "(`locale = en-GB`) is read as meant, so that nothing else is checked against a default "
    "(fr-FR, France's law) in its place.",
    fails=rule_examples.persona(
        "name: Marie: la citadine", "market: b2c", "size: 1000", "stage: loyalty"
    ),
    passes=rule_examples.persona(
        'name: "Marie: la citadine"', "market: b2c", "size: 1000", "stage: loyalty"
    ),
    unreadable=True,
)
ENCODING = Rule(
    "S102",
    "encoding",
    Level.ERROR,
    "The file is not UTF-8 text.",
    hint="save the file with the UTF-8 encoding",
    details="The finding points at the first byte that is not UTF-8 (a file saved as Latin-1 "
    "or Windows-1252). A UTF-8 byte order mark is fine.",
    unreadable=True,
)
FILE_SIZE = Rule(
    "S103",
    "file-size",
    Level.ERROR,
    "The file is larger than 1 MB.",
    hint="split it, or move data that is not a persona, campaign or channel elsewhere",
    details="A persona, a campaign or a channel is a few kilobytes; the cap keeps an export "
    "committed by mistake from using up memory. The file is not read.",
    unreadable=True,
)
EMPTY_FILE = Rule(
    "S104",
    "empty-file",
    Level.ERROR,
    "The file holds no value.",
    hint="write the file's keys, or delete the file",
    fails=rule_examples.persona("# nothing here yet"),
    unreadable=True,
)
YAML_COMPLEXITY = Rule(
    "S105",
    "yaml-complexity",
    Level.ERROR,
    "Aliases expand to more than 100,000 values, or values nest more than 64 deep.",
    hint="a workspace file should be small; avoid aliases that repeat large blocks",
    details="Aliases are shared, never copied, but what they expand to is counted: a "
    '"billion laughs" file is refused at once.',
    unreadable=True,
)
SEVERAL_DOCUMENTS = Rule(
    "S106",
    "several-documents",
    Level.ERROR,
    "The file holds more than one document.",
    hint="keep one persona, campaign or channel per file",
    fails=rule_examples.campaign(more="---\npersonas: [marie]\nmessage: {headline: Bonne année}\n"),
    passes=rule_examples.campaign(),
    unreadable=True,
)
UNSUPPORTED_YAML = Rule(
    "S107",
    "unsupported-yaml",
    Level.ERROR,
    "A YAML feature mcplan refuses: custom tags, merge keys (<<), non-text keys.",
    hint="remove the tag; mcplan reads plain YAML values only",
    details="Files come from pull requests: a tag such as `!!python/object` is refused before "
    "anything is built from it.",
    fails="""
# campaigns/noel.yaml
personas: !!python/object/apply:os.system [ls]
message: {headline: Joyeux Noël, starts: 2027-12-01, ends: 2027-12-24}
""",
    passes=rule_examples.campaign(),
    unreadable=True,
)
REFUSED_FILE = Rule(
    "S108",
    "refused-file",
    Level.ERROR,
    "A workspace entry mcplan does not open: a link that leaves the workspace or leads "
    "nowhere, something that is not a regular file, or a file or folder it may not read.",
    hint="replace it with a regular file in the workspace, or remove it",
    details="Campaign files come from pull requests, and CI runs with secrets: a link to "
    "`/proc/self/environ` or to a file in the home folder would print it as a source line. "
    "Such a link, a FIFO, a device or a socket is never opened, and no output quotes it.",
    unreadable=True,
)
DUPLICATE_KEY = Rule(
    "S110",
    "duplicate-key",
    Level.ERROR,
    "A mapping has the same key twice.",
    hint="remove one of the two; YAML tools disagree on which one wins",
    fails=rule_examples.persona("market: b2c", "size: 1000", "stage: loyalty", "size: 2000"),
    passes=rule_examples.persona("market: b2c", "size: 2000", "stage: loyalty"),
)
UNKNOWN_KEY = Rule(
    "S201",
    "unknown-key",
    Level.ERROR,
    "A key that the file kind does not have.",
    hint="fix the spelling, or remove the key; `mcplan schema KIND` lists every key",
    details="The message suggests the nearest known key. A campaign's `message` may carry keys "
    "of its own for templates, but not a near-miss of a known one (`ofer`).",
    fails=rule_examples.persona("markt: b2c", "size: 1000", "stage: loyalty"),
    passes=rule_examples.persona("market: b2c", "size: 1000", "stage: loyalty"),
)
MISSING_KEY = Rule(
    "S202",
    "missing-key",
    Level.ERROR,
    "A required key is missing.",
    hint="add the key; `mcplan schema KIND` describes it",
    fails=rule_examples.persona("market: b2c", "stage: loyalty"),
    passes=rule_examples.persona("market: b2c", "size: 1000", "stage: loyalty"),
)
INVALID_VALUE = Rule(
    "S203",
    "invalid-value",
    Level.ERROR,
    "A value of the wrong type, out of range, or not one of the allowed words.",
    fails=rule_examples.persona("market: b2c", "size: 1000", "stage: loyal"),
    passes=rule_examples.persona("market: b2c", "size: 1000", "stage: loyalty"),
)
UNKNOWN_REFERENCE = Rule(
    "S301",
    "unknown-reference",
    Level.ERROR,
    "An id that names no persona, channel or rule.",
    details="Campaigns name personas and channels, personas name channels, channel files "
    "name the channel they extend, and the lint configuration names rules: each id must "
    "exist. The message suggests the nearest one.",
    fails=rule_examples.campaign("smss 2027-12-02T10:00"),
    passes=rule_examples.campaign("sms 2027-12-02T10:00"),
)
DUPLICATE_ID = Rule(
    "S302",
    "duplicate-id",
    Level.ERROR,
    "Two files of the same kind, or a campaign and a journey, share an id.",
    hint="give each file its own id (the file name is the default id)",
    details="Neither file is used until one of them changes its id, but both are checked: "
    "their own problems are reported in the same run, and so are the touches to the id "
    "that fall outside their campaign's dates. A campaign and a journey of one id are both "
    "loaded, but `render`, `preview` and `report`, which take either by its id, refuse it.",
    fails=rule_examples.persona(
        "id: marie", "market: b2c", "size: 10", "stage: loyalty", name="marie-copy"
    ),
    passes=rule_examples.persona(
        "id: marie-2", "market: b2c", "size: 10", "stage: loyalty", name="marie-copy"
    ),
)
ORPHAN_FOLLOW_UP = Rule(
    "S303",
    "orphan-follow-up",
    Level.ERROR,
    "A touch `after: C` with no earlier touch on channel C to the same persona.",
    fails=rule_examples.campaign(
        more="touches:\n  - {channel: sms, at: 2027-12-03T10:00, after: email}\n"
    ),
    passes=rule_examples.campaign(
        more="touches:\n"
        "  - {channel: email, at: 2027-12-01T10:00}\n"
        "  - {channel: sms, at: 2027-12-03T10:00, after: email}\n"
    ),
)
OUTSIDE_DATES = Rule(
    "S304",
    "outside-dates",
    Level.ERROR,
    "A touch outside the campaign's dates.",
    hint="move the touch, or set the campaign's `starts`/`ends`",
    details="The dates are the campaign's `starts` and `ends`, by default the message's; a "
    "touch's day is read in each persona's time zone.",
    fails=rule_examples.campaign("email 2027-12-26T10:00"),
    passes=rule_examples.campaign("email 2027-12-20T10:00"),
)
CHANNEL_NOT_USED_BY_PERSONA = Rule(
    "S305",
    "channel-not-used-by-persona",
    Level.ERROR,
    "A touch (or a journey's send) on a channel that a persona it reaches does not list.",
    hint="add the channel to the persona's `channels` (with reach, affinity and consent), "
    "or limit the touch with `personas:`",
    fails=rule_examples.campaign("phone 2027-12-02T10:30"),
    passes=rule_examples.campaign("email 2027-12-02T10:30"),
)
NOT_IN_CAMPAIGN = Rule(
    "S306",
    "not-in-campaign",
    Level.ERROR,
    "A touch names a channel or persona that the campaign does not list (or a journey, a "
    "persona it does not list).",
    fails=rule_examples.campaign("sms 2027-12-02T10:00", more="channels: [email]\n"),
    passes=rule_examples.campaign("sms 2027-12-02T10:00", more="channels: [email, sms]\n"),
)
EXTENDS_CYCLE = Rule(
    "S307",
    "extends-cycle",
    Level.ERROR,
    "Channel files extend each other in a circle.",
    fails="""
# channel_rules/promo-a.yaml
extends: promo-b
# channel_rules/promo-b.yaml
extends: promo-a
""",
    passes="""
# channel_rules/promo-a.yaml
extends: sms
# channel_rules/promo-b.yaml
extends: promo-a
""",
)
UNUSED_CHANNEL = Rule(
    "S308",
    "unused-channel",
    Level.WARNING,
    "A campaign channel that none of the campaign's personas uses.",
    hint="add the channel to a persona's `channels`, or drop it from the campaign",
    fails=rule_examples.campaign(more="channels: [email, phone]\n"),
    passes=rule_examples.campaign(more="channels: [email, sms]\n"),
)

CLOCK_CHANGE = Rule(
    "S310",
    "clock-change",
    Level.ERROR,
    "A touch at a local time that does not exist, or that happens twice, when clocks change.",
    hint="move the touch out of the hour the clocks change, or write the UTC offset of the "
    "moment meant, as the message shows",
    details="The night clocks go forward, 02:30 does not exist in Paris (it would be 03:30); "
    "the night they go back, 02:30 happens twice. Each is read in each persona's time zone.",
    fails=rule_examples.campaign(
        "email 2028-03-26T02:30", message="{headline: Le printemps, starts: 2028-03-20}"
    ),
    passes=rule_examples.campaign(
        "email 2028-03-26T09:30", message="{headline: Le printemps, starts: 2028-03-20}"
    ),
)
FOREIGN_COSTS = Rule(
    "S309",
    "foreign-costs",
    Level.WARNING,
    "The workspace's currency is one the bundled channels' costs (EUR) cannot be converted "
    "to, and it uses them.",
    hint="write the channels' cost_per_contact and fixed_cost in your currency, in "
    "channel_rules/<id>.yaml with `extends: <id>`",
    details="The bundled costs are judgements in euros. In pounds, Swiss francs, dollars and "
    "the other currencies of docs/channels.md they are converted (at the ECB's rates of 28 "
    "February 2025, to two significant digits: 300 EUR is 250 GBP), and a cost a workspace "
    "writes is its "
    "own. In any other currency they would be read as that currency, and this finding says "
    "so, once, where the currency is written.",
    fails=rule_examples.written("mcplan.toml", 'currency = "INR"'),
    passes=rule_examples.written("mcplan.toml", 'currency = "EUR"'),
)

UNKNOWN_PART = Rule(
    "S311",
    "unknown-part",
    Level.ERROR,
    "A template, a variant or a mandatory mention names a part the channel does not have.",
    hint="use one of the channel's part names (its `template` keys: subject, body, text…)",
    details="A variant part with a typo (`txt` for the SMS `text`) would be shown beside the "
    "real text, which would go out unchanged and unchecked.",
    fails=rule_examples.campaign(more='variants:\n  sms: {txt: "Soldes -40 % STOP au 36111"}\n'),
    passes=rule_examples.campaign(more='variants:\n  sms: {text: "Soldes -40 % STOP au 36111"}\n'),
)

TEST_DESIGN = Rule(
    "S312",
    "test-design",
    Level.ERROR,
    "A message test that cannot run as written: its channel is not the campaign's, or a "
    "channel or an id has two tests.",
    hint="test a channel the campaign sends (its `channels` or touches), one test per "
    "channel, each with its own id",
    details="Each contact of a channel gets one arm of its test; two tests of one channel "
    "would split the same contacts twice. A test's arms, splits and parts are checked as "
    "well: two to eight arms, a split over exactly those arms adding up to 1 (S203), a part "
    "of the channel's template (S311).",
    fails=rule_examples.campaign(
        "email 2027-12-02T10:00", more=rule_examples.message_test("sms", "text")
    ),
    passes=rule_examples.campaign(
        "email 2027-12-02T10:00", more=rule_examples.message_test("email", "subject")
    ),
)

ASSUMED_REGION = Rule(
    "S313",
    "assumed-region",
    Level.INFO,
    "A country whose public holidays are its regions', written without one: mcplan assumes "
    "one (the United Kingdom: England).",
    hint="write the region in `country`, in mcplan.toml for every persona or in a persona's "
    "file: GB-ENG (England), GB-SCT (Scotland), GB-WLS (Wales) or GB-NIR (Northern Ireland)",
    details="The UK's bank holidays are its nations': those of the whole UK leave out Easter "
    "Monday and the August bank holiday of England and Wales, St Andrew's Day in Scotland, "
    "St Patrick's Day in Northern Ireland. A persona in `GB` (its `country`, or the region of "
    "its locale, `en-GB`) gets England's, where most UK firms are, and this finding says so "
    "once per place the country is written: a team in Scotland writes GB-SCT rather than "
    "find out on a bank holiday.",
    fails=rule_examples.brighton(),
    passes=rule_examples.brighton(country="GB-ENG"),
)

RULES = (
    SYNTAX,
    ENCODING,
    FILE_SIZE,
    EMPTY_FILE,
    YAML_COMPLEXITY,
    SEVERAL_DOCUMENTS,
    UNSUPPORTED_YAML,
    REFUSED_FILE,
    DUPLICATE_KEY,
    UNKNOWN_KEY,
    MISSING_KEY,
    INVALID_VALUE,
    UNKNOWN_REFERENCE,
    DUPLICATE_ID,
    ORPHAN_FOLLOW_UP,
    OUTSIDE_DATES,
    CHANNEL_NOT_USED_BY_PERSONA,
    NOT_IN_CAMPAIGN,
    EXTENDS_CYCLE,
    UNUSED_CHANNEL,
    FOREIGN_COSTS,
    CLOCK_CHANGE,
    UNKNOWN_PART,
    TEST_DESIGN,
    ASSUMED_REGION,
    *journey_rules.RULES,
)


def check(context: LintContext) -> Iterator[Finding]:
    """Every file's findings as it was read, then the ids across files that do not resolve."""
    from mcplan.workspace.references import check_references  # it reads the rules above

    yield from context.workspace.findings
    yield from check_references(context.workspace)


FAMILY = Family(
    "S",
    "structure",
    "every file can be read, every key is known, every value fits, every id resolves",
    __doc__ or "",
    RULES,
    check=check,
)
