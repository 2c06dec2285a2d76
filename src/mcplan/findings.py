"""The small value every check returns: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Level(IntEnum):
    """How serious a finding is; ordered so that ``Level.ERROR > Level.WARNING``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Location:
    """A span in a file: 1-based line and column, end exclusive, path relative to the workspace."""

    file: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a workspace.

    Findings sort by file, line, column and then rule, which is the order users read them in.
    ``unreadable`` marks a file that could not be read at all (bad YAML, encoding, size): the CLI
    exits with 2 rather than 1 when there is one.
    """

    location: Location
    rule: str
    level: Level = field(compare=False)
    message: str = field(compare=True)
    hint: str = field(default="", compare=False)
    unreadable: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.level} {self.rule} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "rule": self.rule,
            "level": str(self.level),
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line if loc.end_line is not None else loc.line,
            "end_column": loc.end_column if loc.end_column is not None else loc.column,
            "message": self.message,
            "hint": self.hint,
        }
