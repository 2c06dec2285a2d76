"""Read a campaign's results per channel (a CSV export), for `mcplan report`.

See `mcplan.review` for how they are compared with the plan.

The results file
----------------

A CSV file with a header row and one row per channel. Columns (header names are read
regardless of case, accents and surrounding spaces; other columns are ignored):

========== ================================ =============================================
column     also read as                     what
========== ================================ =============================================
channel    canal                            channel id, channel name, or the
                                            ``utm_source`` of its links (the id)
sent       sends, envoyés, envois           messages sent (or impressions)
delivered  délivrés, livrés                 messages delivered (people reached)
opened     opens, ouverts, ouvertures       opened, read or seen
clicked    clicks, cliqués, clics           clicks (calls back, visits)
converted  conversions, convertis           conversions (orders); required
revenue    revenu, chiffre d'affaires, ca   revenue, in the workspace currency
cost       coût, coûts                      what the channel cost
========== ================================ =============================================

``channel`` and ``converted`` are required, with a value on every row; in the other columns an
empty cell means "not known". The file is UTF-8 (with or without a byte order mark), its
delimiter is ``,``, ``;`` or a tab (found from the header row), and it may not be over 50 MB.
Numbers are counts or amounts, never rates: ``1234``, ``1 234`` (spaces, non-breaking too,
between groups of three digits), ``1234,5`` or ``1234.50``, ``1,234.50`` or ``1.234,50``; money
cells may carry the workspace currency (``1 234,50 €``, ``1234.50 EUR``). A number with a
single ``,`` or ``.`` followed by exactly three digits (``1,234``) is refused as ambiguous.
A row whose channel is ``total``, ``totaux``, ``grand total`` or ``total général`` is skipped,
as spreadsheets add one.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.suggest import did_you_mean
from mcplan.workspace import Workspace

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ChannelResult:
    """One row of the results file: what one channel did (None: not given)."""

    channel: str  # the workspace channel id
    sent: float | None = None
    delivered: float | None = None
    opened: float | None = None
    clicked: float | None = None
    converted: float | None = None
    revenue: float | None = None
    cost: float | None = None


# -- reading ------------------------------------------------------------------------------

COLUMNS = ("channel", "sent", "delivered", "opened", "clicked", "converted", "revenue", "cost")
REQUIRED = ("channel", "converted")
MONEY = ("revenue", "cost")
ALIASES: dict[str, str] = {
    **{name: name for name in COLUMNS},
    "canal": "channel",
    "sends": "sent",
    "envoyes": "sent",
    "envois": "sent",
    "delivres": "delivered",
    "livres": "delivered",
    "opens": "opened",
    "ouverts": "opened",
    "ouvertures": "opened",
    "clicks": "clicked",
    "cliques": "clicked",
    "clics": "clicked",
    "conversions": "converted",
    "convertis": "converted",
    "revenu": "revenue",
    "chiffre_affaires": "revenue",
    "chiffre_d_affaires": "revenue",
    "ca": "revenue",
    "cout": "cost",
    "couts": "cost",
}
TOTAL_ROWS = ("total", "totaux", "grand_total", "total_general")  # as _normalise gives them
DELIMITERS = (",", ";", "\t")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def _normalise(header: str) -> str:
    """``' Coût '`` → ``cout``, ``"Chiffre d'affaires"`` → ``chiffre_d_affaires``."""
    text = unicodedata.normalize("NFKD", header.translate(_SPACES).strip().casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’]+", "_", text).strip("_")


class NumberError(ValueError):
    """A cell that is not a number mcplan reads; the message says why."""


_SPACE_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", re.ASCII)
_ONE_SEPARATOR = re.compile(r"(\d+)[.,](\d+)", re.ASCII)
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


def parse_number(cell: str, currencies: Sequence[str] = ()) -> float | None:
    """A count or an amount as people write them; None for an empty cell.

    ``currencies``: markers a money cell may carry before or after the number (``€``, ``EUR``).
    Raises :class:`NumberError` for anything else, negative numbers and rates included.
    """
    text = cell.translate(_SPACES).strip()
    for marker in currencies:
        if text.casefold().endswith(marker.casefold()):
            text = text[: -len(marker)].strip()
            break
        if text.casefold().startswith(marker.casefold()):
            text = text[len(marker) :].strip()
            break
    if not text:
        return None
    if text.endswith("%"):
        raise NumberError("give counts, not percentages")
    if text.startswith(("-", "−")):
        raise NumberError("it must not be negative")
    if " " in text:
        if not _SPACE_GROUPED.fullmatch(text):
            raise NumberError("not a number")
        text = text.replace(" ", "")
    if _DIGITS.fullmatch(text):
        return float(text)
    if match := _ONE_SEPARATOR.fullmatch(text):
        whole, fraction = match.groups()
        if re.fullmatch(r"[1-9][0-9]{0,2}", whole) and len(fraction) == 3:
            raise NumberError(
                f"ambiguous: {whole}{fraction} or {whole}.{fraction}? Write {whole} {fraction} "
                f"for the first, {whole}.{fraction}0 for the second"
            )
        return float(f"{whole}.{fraction}")
    if _COMMA_GROUPED.fullmatch(text):
        return float(text.replace(",", ""))
    if _DOT_GROUPED.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    raise NumberError("not a number")


def _decode(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UsageError(
                f"{path}: the file is {size / 1024 / 1024:.1f} MB; results files over "
                f"{MAX_BYTES // 1024 // 1024} MB are refused"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a results file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"{path}: row {row}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as "
            "CSV UTF-8"
        ) from None


def _delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most cells (a comma on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def _currency_markers(workspace: Workspace) -> tuple[str, ...]:
    from babel.numbers import get_currency_symbol

    code = workspace.settings.currency
    markers = {code}
    for locale in ("en", "fr", workspace.settings.locale.replace("-", "_")):
        try:
            markers.add(get_currency_symbol(code, locale))
        except Exception:  # a locale babel does not know: the code is enough
            continue
    return tuple(sorted(markers, key=lambda m: (-len(m), m)))


def read_results(path: Path, workspace: Workspace) -> list[ChannelResult]:
    """The rows of a results CSV file, channel names resolved to the workspace's ids.

    Raises :class:`UsageError`, naming the file and the row (the header is row 1), for anything
    that is not a results file: see the module docstring for what one is.
    """
    text = _decode(path)
    if not text.strip():
        raise UsageError(
            f"{path}: the file is empty; it needs a header row and one row per channel"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    ids = workspace.channel_lookup()
    markers = _currency_markers(workspace)
    columns: dict[str, int] = {}
    headers: list[str] = []
    results: list[ChannelResult] = []
    seen: dict[str, int] = {}
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if not headers:
                headers = [c.strip() for c in cells]
                columns = _columns(path, row, headers)
                continue
            result = _row(path, row, cells, headers, columns, ids, markers)
            if result is None:
                continue
            if result.channel in seen:
                given = cells[columns["channel"]].strip()
                raise UsageError(
                    f"{path}: row {row}: channel '{given}' ({result.channel}) is given twice "
                    f"(first on row {seen[result.channel]})"
                )
            seen[result.channel] = row
            results.append(result)
    except csv.Error as exc:
        raise UsageError(f"{path}: row {row + 1}: not valid CSV: {exc}") from None
    if not results:
        raise UsageError(f"{path}: no data rows under the header; give one row per channel")
    return results


def _columns(path: Path, row: int, headers: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = ALIASES.get(_normalise(header))
        if field is None:
            continue
        if field in columns:
            raise UsageError(
                f"{path}: row {row}: columns '{headers[columns[field]]}' and '{header}' both "
                f"give '{field}'"
            )
        columns[field] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(f"'{h}'" for h in headers if h) or "nothing"
        names = " and ".join(f"'{m}'" for m in missing)
        raise UsageError(
            f"{path}: row {row}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{names} (found: {found})"
        )
    return columns


def _row(
    path: Path,
    row: int,
    cells: list[str],
    headers: list[str],
    columns: dict[str, int],
    ids: dict[str, str],
    markers: tuple[str, ...],
) -> ChannelResult | None:
    def cell(field: str) -> str:
        index = columns[field]
        return cells[index] if index < len(cells) else ""

    given = cell("channel").strip()
    if not given:
        raise UsageError(f"{path}: row {row}: no channel in column '{headers[columns['channel']]}'")
    channel = ids.get(given.casefold())
    if channel is None:
        if _normalise(given) in TOTAL_ROWS:
            return None
        known = sorted(set(ids.values()))
        raise UsageError(
            f"{path}: row {row}: unknown channel '{given}'{did_you_mean(given, known)}; "
            f"known channels: {', '.join(known)}"
        )
    values: dict[str, float | None] = {}
    for field in COLUMNS[1:]:
        if field not in columns:
            continue
        raw = cell(field)
        try:
            values[field] = parse_number(raw, markers if field in MONEY else ())
        except NumberError as exc:
            raise UsageError(
                f"{path}: row {row}: column '{headers[columns[field]]}': cannot read "
                f"'{raw.strip()}' as a number ({exc})"
            ) from None
    if values.get("converted") is None:
        raise UsageError(
            f"{path}: row {row}: no value in column '{headers[columns['converted']]}' "
            "(the conversions are required; write 0 for none)"
        )
    return ChannelResult(channel, **values)


__all__ = ["ChannelResult", "NumberError", "parse_number", "read_results"]
