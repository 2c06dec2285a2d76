"""Lists of ids in a message: a finding about a thousand personas names a few and counts the
others, so that it stays one line a person can read (`--format json` has the subject)."""

from __future__ import annotations

from collections.abc import Sequence

SHOWN = 5  # ids a message names before it counts the others


def quoted(ids: Sequence[str], shown: int = SHOWN) -> str:
    """``'a', 'b', 'c'``; beyond ``shown`` + 1 ids, ``'a', 'b', 'c', 'd', 'e' and 995 more``."""
    from mcplan.numbers import count

    if len(ids) <= shown + 1:
        return ", ".join(f"'{i}'" for i in ids)
    return ", ".join(f"'{i}'" for i in ids[:shown]) + f" and {count(len(ids) - shown)} more"
