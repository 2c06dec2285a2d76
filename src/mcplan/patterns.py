"""Regular expressions written in workspace files (a channel's mandatory mentions), run by RE2.

Such a pattern comes from a pull request, and Python's `re` backtracks: `(a+)+$` takes
seconds on 30 characters, and doubles with each one more. RE2 (Google's engine, through
`google-re2`) matches in time linear in the text, whatever the pattern, within a memory cap;
the price is that it refuses what needs backtracking (lookarounds, backreferences), which is
then a finding at the pattern's line, as any pattern that is not one.
"""

from __future__ import annotations

import functools
from typing import Any

import re2

MAX_MEMORY = 8 * 1024 * 1024  # bytes RE2 may use for one pattern


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str, ignore_case: bool = False) -> Any:
    """The compiled pattern; ValueError saying why it is refused."""
    options = re2.Options()
    options.log_errors = False  # else RE2 writes its own lines on stderr
    options.case_sensitive = not ignore_case
    options.max_mem = MAX_MEMORY
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValueError(
            f"not a regular expression mcplan runs ({reason}): lookarounds and "
            "backreferences are not supported, as they can take exponential time"
        ) from None


def search(pattern: str, text: str, ignore_case: bool = False) -> bool:
    """Whether ``pattern`` is found in ``text``."""
    return compile_pattern(pattern, ignore_case).search(text) is not None
