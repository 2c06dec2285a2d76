"""Text from files made safe to show: every control character written as an escape.

A file name, a quoted source line, a YAML value or a cell of an export may hold a terminal
escape sequence (``ESC ]0;title BEL``, ``ESC [2J``) or a bidirectional override that makes a
line read differently from what it is. Whatever mcplan shows a person goes through
:func:`printable`, and whatever it quotes from a file it did not check through
:func:`excerpt`, which also bounds its length.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, but the line break and the tab that text is laid out with; the
# bidirectional embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """``text`` with each control character but ``\\n`` and ``\\t`` written as ``\\u001b``, so
    that it shows as what it is rather than acting on the terminal.

    The escape is JSON's: in a JSON document's string, where such a character may stand raw
    (a C1 control, an override), it is the same character, so a JSON output stays the same.
    """
    return _CONTROL.sub(_escape, text)


def excerpt(text: str, limit: int = 60) -> str:
    """At most ``limit`` characters of ``text`` (then ``…``), on one line, printable: what a
    message may quote of a file it could not read."""
    cut = text[:limit]
    shown = printable(cut.replace("\n", "\\n").replace("\t", "\\t"))
    return shown + "…" if len(text) > limit else shown


__all__ = ["excerpt", "printable"]
