"""Every finding code mcplan reports, with its name and a one-line description.

Codes are stable: CI configurations and baselines refer to them. The letter is the family
(``S``: structure, what `mcplan validate` checks); the first digit groups related checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from mcplan.findings import Finding, Level, Location


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: Level
    summary: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        # Files that cannot be read at all: `mcplan validate` exits with 2.
        Rule("S101", "syntax", Level.ERROR, "The file is not valid YAML (or TOML)."),
        Rule("S102", "encoding", Level.ERROR, "The file is not UTF-8 text."),
        Rule("S103", "file-size", Level.ERROR, "The file is larger than 1 MB."),
        Rule("S104", "empty-file", Level.ERROR, "The file holds no value."),
        Rule(
            "S105",
            "yaml-complexity",
            Level.ERROR,
            "Aliases expand to more than 100,000 values, or values nest more than 64 deep.",
        ),
        Rule("S106", "several-documents", Level.ERROR, "The file holds more than one document."),
        Rule(
            "S107",
            "unsupported-yaml",
            Level.ERROR,
            "A YAML feature mcplan refuses: custom tags, merge keys (<<), non-text keys.",
        ),
        # Values.
        Rule("S110", "duplicate-key", Level.ERROR, "A mapping has the same key twice."),
        Rule("S201", "unknown-key", Level.ERROR, "A key that the file kind does not have."),
        Rule("S202", "missing-key", Level.ERROR, "A required key is missing."),
        Rule(
            "S203",
            "invalid-value",
            Level.ERROR,
            "A value of the wrong type, out of range, or not one of the allowed words.",
        ),
        # References between files.
        Rule("S301", "unknown-reference", Level.ERROR, "An id that names no persona or channel."),
        Rule("S302", "duplicate-id", Level.ERROR, "Two files of the same kind share an id."),
        Rule(
            "S303",
            "orphan-follow-up",
            Level.ERROR,
            "A touch `after: C` with no earlier touch on channel C to the same persona.",
        ),
        Rule("S304", "outside-dates", Level.ERROR, "A touch outside the campaign's dates."),
        Rule(
            "S305",
            "channel-not-used-by-persona",
            Level.ERROR,
            "A touch on a channel that a persona it reaches does not list.",
        ),
        Rule(
            "S306",
            "not-in-campaign",
            Level.ERROR,
            "A touch names a channel or persona that the campaign does not list.",
        ),
        Rule("S307", "extends-cycle", Level.ERROR, "Channel files extend each other in a circle."),
        Rule(
            "S308",
            "unused-channel",
            Level.WARNING,
            "A campaign channel that none of the campaign's personas uses.",
        ),
        # Templates, found when rendering.
        Rule("T101", "template-syntax", Level.ERROR, "A template is not valid Jinja."),
        Rule(
            "T102",
            "undefined-variable",
            Level.ERROR,
            "A template uses a variable or key that does not exist.",
        ),
        Rule(
            "T103",
            "unsafe-template",
            Level.ERROR,
            "A template does what the sandbox refuses: private attributes, includes, macros, "
            "huge loops or output.",
        ),
        Rule(
            "T104", "template-error", Level.ERROR, "A template fails while rendering (a bad value)."
        ),
        # Contact pressure, counted per persona across every channel and campaign.
        Rule(
            "P101",
            "persona-pressure",
            Level.ERROR,
            "More touches to a persona in a rolling day, 7 days or 30 days than its cap.",
        ),
        Rule(
            "P102",
            "channel-pressure",
            Level.ERROR,
            "More touches to a persona on one channel than the channel's own cap.",
        ),
        Rule(
            "P103", "min-gap", Level.ERROR, "Two touches to a persona closer than the gap required."
        ),
        Rule("P104", "same-day", Level.WARNING, "Several touches to a persona on the same day."),
        Rule(
            "P105",
            "repeated-message",
            Level.WARNING,
            "One campaign's message reaches a persona 3 times or more.",
        ),
        # Send window and compliance.
        Rule(
            "C101",
            "send-window",
            Level.ERROR,
            "A touch outside the channel's days and hours, in the persona's time zone.",
        ),
        Rule(
            "C102",
            "public-holiday",
            Level.ERROR,
            "A touch on a public holiday of the persona's country, where the channel forbids it.",
        ),
        Rule(
            "C103",
            "consent",
            Level.ERROR,
            "A channel used for a persona without the consent it needs in that market.",
        ),
        Rule(
            "C104",
            "mandatory-mention",
            Level.ERROR,
            "A mention the channel requires (an opt-out, a notice) is missing from the text.",
        ),
        # One message: the same facts everywhere.
        Rule(
            "M101",
            "fact-mismatch",
            Level.ERROR,
            "A percentage, price, code, date or link that contradicts the core message.",
        ),
        Rule(
            "M102",
            "fact-conflict",
            Level.ERROR,
            "Channels disagree on a fact that the core message does not state.",
        ),
        Rule(
            "M103",
            "missing-call-to-action",
            Level.WARNING,
            "A version without the link or call to action its channel needs.",
        ),
        Rule("M104", "brand-spelling", Level.WARNING, "The brand name spelled differently."),
        Rule(
            "M105",
            "mixed-address",
            Level.WARNING,
            "Some channels say 'tu' and others 'vous' to the same campaign's personas.",
        ),
        # Channel limits.
        Rule(
            "L101",
            "too-long",
            Level.ERROR,
            "A text over its channel's length limit (characters, subject, title, line, time).",
        ),
        Rule(
            "L102",
            "sms-segments",
            Level.ERROR,
            "An SMS over its segment budget (one emoji or a missing accent switches to UCS-2).",
        ),
        Rule("L103", "hashtags", Level.ERROR, "More hashtags than the channel allows."),
        Rule(
            "L104",
            "cut-off",
            Level.INFO,
            "A text longer than what shows before it is cut (caption fold, preheader).",
        ),
        # Planning.
        Rule(
            "N101",
            "unplannable",
            Level.ERROR,
            "No channel passes the filters and fits the budget: the campaign cannot be planned.",
        ),
        Rule(
            "N102",
            "unschedulable",
            Level.ERROR,
            "A proposed touch finds no slot within the dates, the window and the pressure caps.",
        ),
        # The linter itself.
        Rule(
            "X101",
            "unused-suppression",
            Level.WARNING,
            "A `# mcplan: disable=` comment that suppresses nothing.",
        ),
    )
}


def matching(selector: str) -> list[str]:
    """The codes a selector names: a code (`P101`), a prefix (`P`, `P1`) or `ALL`."""
    if selector == "ALL":
        return list(RULES)
    return [code for code in RULES if code.startswith(selector)]


def finding(code: str, where: Location, message: str, hint: str = "") -> Finding:
    """A finding of rule `code` at its default level."""
    return Finding(where, code, RULES[code].level, message, hint)
