"""What every check returns: a finding (what is wrong, where, what it is about, how to fix it),
and the rule it breaks.

A :class:`Rule` is declared once, in the module that finds it (its family's home), with its
code, name, default level, summary, hint and documentation. Calling the rule makes a finding at
the rule's level: no check chooses a level of its own, and only the lint engine changes it, from
the workspace's configuration. The same module declares its :class:`Family`: the letter its
codes share, its rules, and how `mcplan lint` finds them. The table of every family is
:mod:`mcplan.lint.registry`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Protocol

from mcplan import numbers

if TYPE_CHECKING:
    from mcplan.lint.context import LintContext


class Level(IntEnum):
    """How serious a finding is; ordered so that ``Level.ERROR > Level.WARNING``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def named(cls, name: str) -> Level:
        """``"warning"`` → ``Level.WARNING``."""
        return cls[name.upper()]


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
        }


@dataclass(frozen=True)
class Related:
    """Another place that contributes to a finding: a touch involved, the cap, the rule."""

    location: Location
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.location.to_dict(), "label": self.label}


@dataclass(frozen=True)
class Subject:
    """What a finding is about, as ids: the preview and SARIF select and match on these."""

    campaign: str | None = None
    channel: str | None = None
    persona: str | None = None
    part: str | None = None
    locale: str | None = None
    arm: str | None = None  # an arm of the channel's message test
    journey: str | None = None
    step: str | None = None  # a journey's step

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v is not None}


NOTHING = Subject()


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a workspace.

    Findings sort by file, line, column and then rule, which is the order users read them in.
    ``unreadable`` marks a file that could not be read at all (bad YAML, encoding, size): the
    commands exit with 2 rather than 1 when there is one. Messages never name other places:
    those are ``related`` locations, so that a finding stays the same finding when lines move.
    """

    location: Location
    rule: str
    level: Level = field(compare=False)
    message: str = field(compare=True)
    hint: str = field(default="", compare=False)
    related: tuple[Related, ...] = field(default=(), compare=False)
    subject: Subject = field(default=NOTHING, compare=False)
    unreadable: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.level} {self.rule} {self.message}"

    @property
    def files(self) -> frozenset[str]:
        """Every file that contributes to the finding: its own and its related locations'."""
        return frozenset([self.location.file, *(r.location.file for r in self.related)])

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "level": str(self.level)}
        data |= self.location.to_dict()
        data |= {"message": self.message, "hint": self.hint}
        data["related"] = [r.to_dict() for r in self.related]
        data["subject"] = self.subject.to_dict()
        return data

    def identity(self, lines: Lines) -> Identity:
        """What makes this finding the same finding in the next run (see :class:`Identity`)."""
        content = " ".join(lines.line(self.location.file, self.location.line).split())
        return Identity(
            self.rule, self.location.file, lines.prefix, self.subject, content or self.message
        )


class Lines(Protocol):
    """The lines of the workspace's files (:class:`mcplan.workspace.reading.SourceLines`)."""

    prefix: str  # before the names of files in the workspace, as findings show them

    def line(self, file: str, number: int) -> str: ...


@dataclass(frozen=True)
class Identity:
    """What identifies a finding from one run to the next: its rule, its file, what it is
    about and the content of its line (spaces folded; its message when it has no line), never
    a line number, so that lines added above it change nothing.

    The baseline matches findings by :attr:`key`, SARIF viewers by :attr:`fingerprint`; each
    is stored by its users (a committed baseline, GitHub's alerts), so neither changes.
    """

    rule: str
    file: str  # as findings show it
    prefix: str  # of ``file``, where the workspace is below the folder findings are shown from
    subject: Subject
    content: str

    @property
    def key(self) -> tuple[str, str, str]:
        """(rule, file relative to the workspace, content): a baseline holds wherever lint is
        run from, and was written before findings had subjects."""
        return (self.rule, self.file.removeprefix(self.prefix), self.content)

    @property
    def fingerprint(self) -> str:
        """SARIF's partial fingerprint: a hash of the rule, the file, the subject and the
        content."""
        import hashlib  # OpenSSL's: not for a command that writes no SARIF
        import json

        subject = json.dumps(self.subject.to_dict(), sort_keys=True)
        key = "\0".join((self.rule, self.file, subject, self.content))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Rule:
    """A rule: its stable code, its name, its default level and its documentation.

    ``fails`` and ``passes`` are examples (workspace files, each after a ``# path`` comment
    line) that the documentation shows and the tests lint. ``unreadable`` rules are those of a
    file that cannot be read at all.
    """

    code: str
    name: str
    level: Level
    summary: str
    hint: str = ""
    details: str = ""
    fails: str = ""
    passes: str = ""
    unreadable: bool = False

    def __call__(
        self,
        where: Location,
        message: str,
        *,
        hint: str | None = None,
        related: Iterable[Related] = (),
        subject: Subject = NOTHING,
    ) -> Finding:
        """A finding of this rule at its default level (``hint`` defaults to the rule's)."""
        return Finding(
            where,
            self.code,
            self.level,
            message,
            self.hint if hint is None else hint,
            tuple(related),
            subject,
            self.unreadable,
        )


class WorkspaceCheck(Protocol):
    """What a family finds in the whole workspace (contact pressure crosses campaigns)."""

    def __call__(self, context: LintContext, /) -> Iterable[Finding]: ...


class CampaignCheck(Protocol):
    """What one campaign's versions alone decide: it may run in another process."""

    def __call__(self, context: LintContext, campaign: str, /) -> Iterable[Finding]: ...


class Merge(Protocol):
    """A last pass over the family's findings of every campaign, in campaign order."""

    def __call__(self, findings: Iterable[Finding], /) -> Iterable[Finding]: ...


@dataclass(frozen=True)
class Family:
    """The rules that share a code letter, declared once in their home module: what `mcplan
    rules` and `docs/rules.md` say of them, and the entry points `mcplan lint` runs.

    A family without `check` or `check_campaign` gives the runner nothing to check: its
    findings come from elsewhere (planning's from `mcplan plan`, the linter's own from the
    suppressions the engine applies).
    """

    letter: str  # the first character of every code of the family
    name: str
    summary: str  # one line: what the family checks
    doc: str  # its section of docs/rules.md: the home module's docstring
    rules: tuple[Rule, ...]
    check: WorkspaceCheck | None = None
    check_campaign: CampaignCheck | None = None
    merge: Merge | None = None

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(rule.code for rule in self.rules)


def exit_code(findings: Sequence[Finding], fail_level: Level | None = Level.ERROR) -> int:
    """The exit code of every command: 2 when a file could not be read, 1 when a finding is at
    or above ``fail_level`` (None: never), 0 otherwise."""
    if any(f.unreadable for f in findings):
        return 2
    if fail_level is not None and any(f.level >= fail_level for f in findings):
        return 1
    return 0


def summary(findings: Sequence[Finding]) -> str:
    """``8 errors, 2 warnings and 2 info in 2 files`` (empty when there are none).

    "Info" is uncountable, as in "two pieces of info": ``1 info``, ``2 info``.
    """
    if not findings:
        return ""
    counts = []
    for level in (Level.ERROR, Level.WARNING, Level.INFO):
        n = sum(1 for f in findings if f.level is level)
        if n:
            counts.append(numbers.plural(n, str(level), "info" if level is Level.INFO else None))
    words = ", ".join(counts[:-1]) + " and " + counts[-1] if len(counts) > 1 else counts[0]
    return f"{words} in {numbers.plural(len({f.location.file for f in findings}), 'file')}"


__all__ = [
    "NOTHING",
    "CampaignCheck",
    "Family",
    "Finding",
    "Identity",
    "Level",
    "Location",
    "Merge",
    "Related",
    "Rule",
    "Subject",
    "WorkspaceCheck",
    "exit_code",
    "summary",
]
