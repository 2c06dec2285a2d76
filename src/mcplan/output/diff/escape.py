"""Text from a pull request's files, shown as what it is: on one line and printable (the
terminal), inert or in a code span (Markdown). See the package's docstring."""

from __future__ import annotations

import re

from mcplan.printable import printable


def capital(text: str) -> str:
    """A heading's first letter in capitals: ``Findings added`` for ``findings added``."""
    return text[:1].upper() + text[1:]


def one_line(text: str) -> str:
    """``text`` on one line, printable: a line break or a tab written as ``\\n`` or ``\\t``."""
    return printable(text.replace("\r\n", "\n").replace("\n", "\\n").replace("\t", "\\t"))


# What Markdown (CommonMark, and GitHub's: tables, strikethrough, autolinks, math, mentions)
# may read as markup in a line of text: each is written after a backslash, which CommonMark
# reads as that character and nothing more. A URL is no link once its `://` is escaped, nor
# `www.example.com` once its first dot is.
_MARKUP = re.compile(r"[\\`*_~\[\]()<>!#|&$@]|:(?=//)|(?<=[wW]{3})\.")


def inert(text: str) -> str:
    """``text`` as Markdown that shows it as it is, with no markup: no heading, link, image,
    HTML, emphasis, code, table cell or line of its own."""
    return _MARKUP.sub(lambda match: "\\" + match.group(), one_line(text))


def code_span(text: str) -> str:
    """``text`` as a code span, which shows everything in it as written: fenced by more
    backticks than it holds in a row, and on one line."""
    shown = one_line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
