"""The one reader of exports: CSV or Parquet files, and numbers as people write them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcplan.errors import UsageError
from mcplan.tabular import Ambiguous, NumberError, Numbers, is_total, parse_number, read_table


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1234", 1234), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234 567", 1234567),
        ("1234,5", 1234.5), ("1234.50", 1234.5), ("1 234,50", 1234.5), ("1,234.50", 1234.5),
        ("1.234,50", 1234.5), ("1.234.567", 1234567), ("0,125", 0.125), ("12,5", 12.5),
        ("1234,567", 1234.567), (" 42 ", 42), ("0", 0), ("", None), ("  ", None),
    ],
)  # fmt: skip
def test_numbers_as_people_write_them(cell: str, value: float | None) -> None:
    assert parse_number(cell) == value


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("12 %", "give counts, not percentages"),
        ("-5", "it must not be negative"),
        ("abc", "not a number"),
        ("12 34", "not a number"),
        ("1,2,3", "not a number"),
        ("1e3", "not a number"),
        ("١٢", "not a number"),  # Arabic-Indic digits
        ("12 €", "not a number"),  # a currency outside a money column
        ("1,234", "ambiguous: 1234 or 1.234? Write 1 234 for the first, 1.2340 for the second"),
        ("12.500",
         "ambiguous: 12500 or 12.500? Write 12 500 for the first, 12.5000 for the second"),
    ],
)  # fmt: skip
def test_what_is_not_a_count(cell: str, why: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(cell)
    assert str(caught.value) == why


def test_other_currencies_are_not_amounts() -> None:
    assert parse_number("12 €", ["€", "EUR"]) == 12
    with pytest.raises(NumberError, match="not a number"):
        parse_number("12 $", ["€", "EUR"])


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_an_amount_reads_back_whatever_the_locale_wrote(units: int, cents: int) -> None:
    value = units + cents / 100
    english = f"{units:,}.{cents:02d}"
    french = english.replace(",", " ").replace(".", ",")
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    for written in (english, french, german, f"{units}.{cents:02d}", f"{units},{cents:02d}"):
        assert parse_number(written) == pytest.approx(value), written


@given(st.integers(min_value=0, max_value=10**12))
def test_a_count_reads_back_with_any_grouping(count: int) -> None:
    for written in (
        str(count),
        f"{count:,}".replace(",", " "),
        f"{count:,}".replace(",", "\u00a0"),
    ):
        assert parse_number(written) == count
    grouped = f"{count:,}"
    if grouped.count(",") != 1:  # one separator and three digits is ambiguous, refused
        assert parse_number(grouped) == count


@pytest.mark.parametrize(
    ("others", "cell", "value"),
    [
        (["12,5"], "1.234", 1234), (["1.234,50 €"], "1.234", 1234),  # it, es, de: "," decimals
        (["0.25"], "1,234", 1234), (["1,234.50"], "1,234", 1234),  # en: "." decimals
        (["30.7346153846154", "0.244"], "3.195", 3.195),  # ChannelAttribution's Data.csv
        (["12,5"], "3,195", 3.195), (["1 234"], "1,234", 1.234), (["1 234"], "1.234", 1.234),
    ],
)  # fmt: skip
def test_what_the_file_shows_settles_one_separator_and_three_digits(
    others: list[str], cell: str, value: float
) -> None:
    numbers = Numbers()
    for other in [*others, cell, "45"]:
        numbers.learn(other, ["€"])
    assert numbers.read(cell, ["€"]) == pytest.approx(value)


@pytest.mark.parametrize(
    ("others", "why"),
    [([], "No other number in the file shows which"), (["45", "2"], "No other number"),
     (["2.5", "1.234.567"], "The file writes its numbers both ways")],
)  # fmt: skip
def test_a_file_that_does_not_settle_it_says_why(others: list[str], why: str) -> None:
    numbers = Numbers()
    for other in [*others, "1.234"]:
        numbers.learn(other)
    with pytest.raises(Ambiguous, match=why):
        numbers.read("1.234")
    assert Numbers(decimal=",").read("1.234") == 1234
    assert Numbers(decimal=".").read("1.234") == 1.234


def test_rows_of_totals_in_every_bundled_language() -> None:
    labels = (
        "Total", "TOTALE", " Totales ", "Summe", "Totaal", "Totaux", "Total général",
        "Totale complessivo", "Gesamtergebnis", "Grand Total",
    )  # fmt: skip
    for label in labels:
        assert is_total(label), label
    assert not is_total("Totalmente")


def rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with read_table(path, max_bytes=1 << 20, needs="rows") as table:
        return table.header, list(table.rows)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_the_one_that_splits_the_header(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join("123") + "\n")
    assert rows(path) == (["a", "b", "c"], [(2, ["1", "2", "3"])])


def test_rows_are_numbered_as_a_spreadsheet_numbers_them(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf\n\na,b\n1,2\n\n3,4\n")
    assert rows(path) == (["a", "b"], [(4, ["1", "2"]), (6, ["3", "4"])])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; it needs a header row and rows"),
        (b"\n \n", "the file is empty; it needs a header row and rows"),
        (b"a,b\n1,\xe9\n", "row 2: not UTF-8 text (byte 0xe9); save it as CSV UTF-8"),
        (b'a,b\n"1,2\n', "row 2: not valid CSV: unexpected end of data"),
    ],
)
def test_what_is_not_a_table_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(UsageError) as caught:
        rows(path)
    assert str(caught.value) == f"{path}: {message}"
