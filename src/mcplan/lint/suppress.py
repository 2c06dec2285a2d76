"""The linter itself (X): inline suppressions, `# mcplan: disable=CODE` comments in workspace
files.

- `# mcplan: disable=P104` at the end of a line silences P104 findings on that line;
- `# mcplan: disable-file=M105` anywhere silences M105 in the whole file;
- several codes are separated by commas; a family or prefix (`P`, `C1`) or `all` works too.

A suppression that silences nothing is itself reported (X101), so stale ones do not pile up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from mcplan.findings import Family, Finding, Level, Location, Rule
from mcplan.workspace.reading import SourceLines

UNUSED_SUPPRESSION = Rule(
    "X101",
    "unused-suppression",
    Level.WARNING,
    "A `# mcplan: disable=` comment that suppresses nothing.",
    hint="remove the comment",
    fails="""
# campaigns/noel.yaml
personas: [marie]  # mcplan: disable=P104
message: {headline: Joyeux Noël, starts: 2027-12-01, ends: 2027-12-24}
""",
    passes="""
# campaigns/noel.yaml
personas: [marie]
message: {headline: Joyeux Noël, starts: 2027-12-01, ends: 2027-12-24}
""",
)

RULES = (UNUSED_SUPPRESSION,)

# The engine reports these as it applies the suppressions (`unused`), after every other family.
FAMILY = Family(
    "X",
    "linter",
    "the linter itself: every `# mcplan: disable=` comment silences something",
    __doc__ or "",
    RULES,
)

# The codes end at what is not one: `<!-- # mcplan: disable=E104 -->` in an e-mail layout.
_DIRECTIVE = re.compile(
    r"(?:^|\s)(#\s*mcplan:\s*(disable|disable-file)\s*=\s*(\w+(?:\s*,\s*\w+)*))"
)


@dataclass
class Suppression:
    where: Location
    codes: tuple[str, ...]
    whole_file: bool
    used: bool = field(default=False, compare=False)

    def covers(self, item: Finding) -> bool:
        if item.location.file != self.where.file:
            return False
        if not self.whole_file and item.location.line != self.where.line:
            return False
        return any(code == "all" or item.rule.startswith(code) for code in self.codes)


def read(lines: SourceLines, files: Iterable[str]) -> list[Suppression]:
    """Every suppression comment in ``files``, read as findings count their lines."""
    found = []
    for name in files:
        for number, line in enumerate(lines.lines(name) or [], start=1):
            if "mcplan:" not in line:
                continue
            for match in _DIRECTIVE.finditer(line):
                codes = tuple(c.strip() for c in match[3].split(",") if c.strip())
                where = Location(name, number, match.start(1) + 1, number, match.end(1) + 1)
                found.append(Suppression(where, codes, match[2] == "disable-file"))
    return found


def apply(findings: list[Finding], suppressions: list[Suppression]) -> tuple[list[Finding], int]:
    """The findings no suppression covers, and how many were suppressed."""
    kept = []
    for item in findings:
        covering = [s for s in suppressions if s.covers(item)]
        for suppression in covering:
            suppression.used = True
        if not covering:
            kept.append(item)
    return kept, len(findings) - len(kept)


def unused(suppressions: list[Suppression], known: Callable[[str], bool]) -> Iterator[Finding]:
    """X101 for each suppression that silenced nothing, or names no rule ``known`` knows."""
    for suppression in suppressions:
        unknown = [c for c in suppression.codes if c != "all" and not known(c)]
        if unknown:
            yield UNUSED_SUPPRESSION(
                suppression.where,
                f"suppression names no rule: {', '.join(unknown)}",
                hint="use rule codes such as P104, or a family such as P",
            )
        elif not suppression.used:
            yield UNUSED_SUPPRESSION(
                suppression.where,
                f"suppression of {', '.join(suppression.codes)} silences nothing",
            )
