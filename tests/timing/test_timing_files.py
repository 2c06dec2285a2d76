"""A CSV engagement export DuckDB would misread (issue 30): the row reader reads its header
first, and a file DuckDB cannot read, to say what is wrong and where, as every reader does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

WORKSPACE = Path(__file__).parents[1] / "workspaces" / "timing"
SENT = "pendler,email,2027-03-16T18:00:00Z,"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "events.csv: the file is empty; it needs a header row and data rows"),
        (("persona,channel,sent_at,opened_at\n" + SENT + "\n").encode() + b"\xff\xfe,email,"
         b"2027-03-16T18:00:00Z,\n", "events.csv: row 3: not UTF-8 text (byte 0xff); save it "
         "as CSV UTF-8"),
        ("persona,channel,sent_at,opened_at\nFrühling,email,2027-03-16T18:00:00Z,\n".encode(
            "latin-1"), "events.csv: row 2: not UTF-8 text (byte 0xfc)"),
        (b"persona,channel,sent_at,sent_at\npendler,email,2027-03-16T18:00:00Z,2027-03-20T08:00Z\n",
         "events.csv: row 1: columns 3 and 4 are both named 'sent_at': rename one"),
        (b"Persona,persona,channel,sent_at\npendler,pendler,email,2027-03-16T18:00:00Z\n",
         "events.csv: row 1: columns 1 and 2 are both named 'persona': rename one"),
    ],
)  # fmt: skip
def test_what_duckdb_would_misread_is_said_at_its_row(
    run: Callable[..., Result], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    result = run("timing", str(path), "-w", str(WORKSPACE))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "cannot be read" not in result.stderr


def test_two_columns_of_a_name_not_read_are_no_problem(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(f"persona,channel,sent_at,opened_at,note,note\n{SENT},a,b\n", "utf-8")
    result = run("timing", str(path), "-w", str(WORKSPACE))
    assert result.exit_code == 0, result.output
