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
    r"^# ((?:personas|campaigns|channel_rules)/[\w./-]+\.ya?ml|layouts/[\w./-]+\.mjml"
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


def files(example: str) -> dict[str, str]:
    """The files of an example, by path."""
    parts = _FILE.split(example.lstrip("\n"))
    return dict(zip(parts[1::2], parts[2::2], strict=True))
