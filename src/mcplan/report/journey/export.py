"""Read a journey's results export: what each send step did, per persona and period.

A row per send step (and per persona, and per period), as the sending platform exports a
flow's results; see `mcplan.report.journey` for its columns. The rows of a step (of a step and
a persona) over several periods are added up; the same step, persona and period twice is an
error. The export's weeks are the days its periods cover (overlaps counted once) / 7.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.report.counts import FIGURES, MONEY, Counts, summed
from mcplan.report.journey.columns import WANTED
from mcplan.suggest import did_you_mean
from mcplan.tabular import (
    HeaderRow,
    NumberError,
    Numbers,
    currency_markers,
    export_time,
    is_total,
    read_table,
    resolve,
    time_pattern,
)
from mcplan.workspace import Workspace
from mcplan.workspace.journey import Journey

MAX_BYTES = 50 * 1024 * 1024
_ISO_WEEK = re.compile(r"\s*(\d{4})-?W(\d{1,2})\s*", re.ASCII | re.IGNORECASE)


@dataclass(frozen=True)
class StepResult(Counts):
    """What one send step did (for one persona, or all of them): its `Counts`, by name."""

    step: str
    persona: str | None = None

    def plus(self, other: StepResult) -> StepResult:
        """Two rows of a step added up (a figure one does not give is not known)."""
        return replace(self, **summed((self, other)))


@dataclass(frozen=True)
class JourneyExport:
    """A journey's results: per step (its personas added up), per step and persona, and the
    period they cover."""

    steps: dict[str, StepResult]
    personas: dict[tuple[str, str], StepResult]  # (step, persona) → its rows added up
    first: date
    last: date
    days: int  # the days the periods cover, overlaps counted once
    # Every row as read, with its first and last day: the media-mix export puts each on its
    # weeks (`mcplan.report.mmm`).
    rows: tuple[tuple[StepResult, date, date], ...] = ()

    @property
    def weeks(self) -> float:
        return self.days / 7


def read_journey_export(
    path: Path,
    workspace: Workspace,
    journey: Journey,
    *,
    columns: Mapping[str, str] | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> JourneyExport:
    """Every row of ``journey``'s results export, checked: a step the journey sends, a
    persona it has, a period, numbers. Raises :class:`UsageError` naming the file and the row
    (the header is row 1) with a close id, for anything else."""
    settings = workspace.settings
    markers = currency_markers(settings.currency, settings.locale)
    pattern = time_pattern(date_format)
    with read_table(path, max_bytes=MAX_BYTES, needs="one row per send step") as table:
        header = HeaderRow(table.display, table.header_row, table.header)
        reader = _Reader(
            table.display,
            list(table.header),
            resolve(WANTED, header, columns or {}),
            journey,
            markers,
            Numbers(decimal),
            pattern,
        )
        reader.read(list(table.rows))
    return reader.export()


@dataclass
class _Reader:
    shown: str
    header: list[str]
    columns: dict[str, int]
    journey: Journey
    markers: tuple[str, ...]
    numbers: Numbers
    pattern: str | None
    rows: list[tuple[StepResult, date, date]] = field(default_factory=list)
    seen: dict[tuple[str, str | None, date, date], int] = field(default_factory=dict)

    def cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def named(self, name: str) -> str:
        return excerpt(self.header[self.columns[name]])

    def read(self, listed: list[tuple[int, list[str]]]) -> None:
        for _, cells in listed:
            for name in FIGURES:
                if name in self.columns:
                    self.numbers.learn(
                        self.cell(cells, name), self.markers if name in MONEY else ()
                    )
        for row, cells in listed:
            if any(c.strip() for c in cells) and not self._totals(cells):
                self._take(row, cells)
        if not self.rows:
            raise UsageError(
                f"{self.shown}: no data rows under the header; give one row per send step"
            )

    def _totals(self, cells: list[str]) -> bool:
        """A spreadsheet's row of totals: its label in the step column (that is no step of
        the journey) or in the first cell."""
        written = [c.strip() for c in cells if c.strip()]
        step = self.cell(cells, "step")
        if step:
            return step not in self.sends and is_total(step)
        return bool(written) and is_total(written[0])

    def _take(self, row: int, cells: list[str]) -> None:
        result = StepResult(self._step(row, cells), self._persona(row, cells),
                            **self._figures(row, cells), row=row)  # fmt: skip
        first, last = self._period(row, cells)
        key = (result.step, result.persona, first, last)
        if key in self.seen:
            who = f" for {result.persona}" if result.persona else ""
            raise UsageError(
                f"{self.shown}: row {row}: step '{result.step}'{who} is given twice for "
                f"{_period_text(first, last)} (first on row {self.seen[key]})"
            )
        self.seen[key] = row
        self.rows.append((result, first, last))

    @cached_property
    def sends(self) -> dict[str, None]:
        """The journey's send steps, in the order written (a dict, to look one up at once)."""
        return dict.fromkeys(step.id for _, step in self.journey.sends())

    def _step(self, row: int, cells: list[str]) -> str:
        given = self.cell(cells, "step")
        sends = self.sends
        if not given:
            raise UsageError(f"{self.shown}: row {row}: no step in column '{self.named('step')}'")
        if given not in sends:
            raise UsageError(
                f"{self.shown}: row {row}: journey '{self.journey.id}' has no send step "
                f"'{excerpt(given)}'{did_you_mean(given, list(sends))}; its send steps: "
                f"{', '.join(sends)}"
            )
        return given

    def _persona(self, row: int, cells: list[str]) -> str | None:
        if "persona" not in self.columns:
            return None
        given = self.cell(cells, "persona")
        if not given:
            return None  # the step's every persona
        if given not in self.journey.personas:
            known = list(self.journey.personas)
            raise UsageError(
                f"{self.shown}: row {row}: journey '{self.journey.id}' has no persona "
                f"'{excerpt(given)}'{did_you_mean(given, known)}; its personas: "
                f"{', '.join(known)}"
            )
        return given

    def _figures(self, row: int, cells: list[str]) -> dict[str, float | None]:
        values: dict[str, float | None] = {}
        for name in (n for n in FIGURES if n in self.columns):
            raw = self.cell(cells, name)
            try:
                values[name] = self.numbers.read(raw, self.markers if name in MONEY else ())
            except NumberError as exc:
                raise UsageError(
                    f"{self.shown}: row {row}: column '{self.named(name)}': cannot read "
                    f"'{excerpt(raw)}' as a number ({exc})"
                ) from None
        for name in ("sent", "converted"):
            if values.get(name) is None:
                raise UsageError(
                    f"{self.shown}: row {row}: no value in column '{self.named(name)}' (the "
                    "sends and the conversions are required; write 0 for none)"
                )
        return values

    def _period(self, row: int, cells: list[str]) -> tuple[date, date]:
        """The first and last day a row counts: its week, its day, or from … to …."""
        if "from" in self.columns:
            first, last = self._day(row, cells, "from"), self._day(row, cells, "to")
            if last < first:
                raise UsageError(
                    f"{self.shown}: row {row}: the period ends ({last}) before it starts ({first})"
                )
            return first, last
        if "date" in self.columns:
            day = self._day(row, cells, "date")
            return day, day
        text = self.cell(cells, "week")
        iso = _ISO_WEEK.fullmatch(text)
        if iso is not None and 1 <= int(iso[2]) <= 53:
            try:
                first = date.fromisocalendar(int(iso[1]), int(iso[2]), 1)
            except ValueError:
                pass
            else:
                return first, first + timedelta(days=6)
        first = self._day(row, cells, "week", "2027-W03 or the week's first day")
        return first, first + timedelta(days=6)

    def _day(self, row: int, cells: list[str], name: str, also: str = "") -> date:
        text = self.cell(cells, name)
        seconds = export_time(text, self.pattern) if text else None
        if seconds is None:
            how = (
                f"as {self.pattern} says (--date-format)"
                if self.pattern
                else "as 2027-07-02, or say how the file writes it with --date-format, such as "
                "%d/%m/%Y"
            )
            what = f" ({also})" if also else ""
            raise UsageError(
                f"{self.shown}: row {row}: column '{self.named(name)}': '{excerpt(text)}' is not "
                f"a date from 1970 to 2199: write it{what} {how}"
            )
        return datetime.fromtimestamp(seconds, UTC).date()

    def export(self) -> JourneyExport:
        steps: dict[str, StepResult] = {}
        personas: dict[tuple[str, str], StepResult] = {}
        for result, _, _ in self.rows:
            whole = replace(result, persona=None)
            steps[result.step] = steps[result.step].plus(whole) if result.step in steps else whole
            if result.persona is not None:
                key = (result.step, result.persona)
                personas[key] = personas[key].plus(result) if key in personas else result
        spans = sorted((first, last) for _, first, last in self.rows)
        first, last = spans[0][0], max(s[1] for s in spans)
        return JourneyExport(steps, personas, first, last, _days(spans), tuple(self.rows))


def _days(spans: list[tuple[date, date]]) -> int:
    """The days sorted spans cover, overlaps counted once."""
    days, end = 0, None
    for first, last in spans:
        start = first if end is None or first > end else end + timedelta(days=1)
        if last >= start:
            days += (last - start).days + 1
        end = last if end is None else max(end, last)
    return days


def _period_text(first: date, last: date) -> str:
    return str(first) if first == last else f"{first} to {last}"
