"""Every finding code mcplan reports, with its name and a one-line description.

Codes are stable: CI configurations and baselines refer to them. The letter is the family
(``S``: structure, what `mcplan validate` checks); the first digit groups related checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from mcplan.finding import Level


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
    )
}
