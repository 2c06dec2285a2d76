"""The examples of the rules: the workspace they build on, and how they are written.

An example is one or more workspace files, each after a line naming it (``# campaigns/x.yaml``).
`docs/rules.md` shows them and the tests lint them: a rule's *fails* example must give the
rule, its *passes* example must give no error at all.
"""

from __future__ import annotations

import re

# What every example builds on, unless it gives a file of the same path.
BASE = {
    "personas/marie.yaml": """name: Marie
market: b2c
size: 1000
stage: loyalty
channels:
  email: {reach: 0.9, affinity: 0.6, consent: opt_in}
  sms: {reach: 0.7, affinity: 0.8, consent: opt_in}
  instagram: {reach: 0.5, affinity: 0.9}
""",
    # Who sends the e-mails, and how to unsubscribe from them (rules E101, E102).
    "mcplan.toml": """[email]
sender = "Maison Lumen <bonjour@maison-lumen.fr>"
unsubscribe_mailto = "desinscription@maison-lumen.fr"
""",
}
NOEL = "{headline: Joyeux Noël, starts: 2027-12-01, ends: 2027-12-24}"

_FILE = re.compile(
    r"^# ((?:personas|campaigns|journeys|channel_rules)/[\w./-]+\.ya?ml|layouts/[\w./-]+\.mjml"
    r"|mcplan\.toml)\n",
    re.M,
)


def campaign(*touches: str, name: str = "noel", message: str = NOEL, more: str = "") -> str:
    """A campaign file for persona marie: ``campaign("sms 2027-12-02T10:00", more="…")``.

    Each touch is ``"<channel> <time>"``, maybe with a comment after it (``"… # a Sunday"``);
    ``more`` is YAML added at the end (variants…).
    """
    lines = [f"# campaigns/{name}.yaml", "personas: [marie]", f"message: {message}"]
    if touches:
        lines.append("touches:")
    for touch in touches:
        channel, at, *comment = touch.split(maxsplit=2)
        lines.append(f"  - {{channel: {channel}, at: {at}}}" + "".join(f"  {c}" for c in comment))
    return "\n" + "\n".join(lines) + "\n" + more


def journey(*steps: str, name: str = "welcome", more: str = "") -> str:
    """A journey file for persona marie, one step a line: ``journey("{id: hello, send: email}")``;
    ``more`` is YAML added before the steps."""
    lines = [
        f"# journeys/{name}.yaml",
        "personas: [marie]",
        "entry: {event: signup, per_week: 100, from: 2027-12-01}",
        "message: {headline: Bienvenue chez Maison Lumen}",
    ]
    return "\n" + "\n".join(lines) + "\n" + more + "steps:\n" + "".join(f"  - {s}\n" for s in steps)


def written(path: str, *lines: str) -> str:
    """The file at ``path``, one argument a line: ``written("mcplan.toml", 'currency = "INR"')``."""
    return f"\n# {path}\n" + "".join(f"{line}\n" for line in lines)


def persona(*lines: str, name: str = "marie") -> str:
    """A persona file, one argument a line: ``persona("market: b2c", "size: 1000")``."""
    return written(f"personas/{name}.yaml", *lines)


def brighton(country: str = "") -> str:
    """A persona in the United Kingdom (by its locale), with a ``country`` or none."""
    return persona(
        "name: Shop owners in Brighton",
        "locale: en-GB",
        *([f"country: {country}"] if country else []),
        "market: b2b",
        "size: 400",
        "stage: prospection",
        "channels:",
        "  email: {reach: 0.8, affinity: 0.5, consent: opt_in}",
        name="brighton",
    )


def message_test(channel: str, part: str) -> str:
    """A campaign's ``tests:`` (for its ``more``): a test of ``channel``'s ``part``, two arms."""
    return (
        f"tests:\n  - id: objet\n    channel: {channel}\n    part: {part}\n    metric: open\n"
        "    min_lift: 0.5\n    arms:\n      a: '{{ m.headline }}'\n"
        "      b: '{{ m.headline }} : nos idées cadeaux'\n"
    )


def files(example: str) -> dict[str, str]:
    """The files of an example, by path."""
    parts = _FILE.split(example.lstrip("\n"))
    return dict(zip(parts[1::2], parts[2::2], strict=True))
