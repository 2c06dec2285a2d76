"""What an engagement export's cells mean to `mcplan timing` (issue 30): a no in any case is
not an open, a send time needs a date and a time of day, a number is a time only as seconds
since 2000 or later; each refusal names its file, row and column."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

WORKSPACE = Path(__file__).parents[1] / "workspaces" / "timing"


def _timing(run: Callable[..., Result], path: Path, *options: str) -> Result:
    return run("timing", str(path), *options, "-f", "json", "-w", str(WORKSPACE))


def test_a_no_in_capitals_is_not_an_open(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    sent = "pendler,email,2027-03-16T18:00:00Z,"
    path.write_text(
        "persona,channel,sent_at,opened_at\n"
        + "".join(f"{sent}{said}\n" for said in ("No", "FALSE", "Nein", "Yes")),
        encoding="utf-8",
    )
    result = _timing(run, path, "--metric", "open")
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["send_times"]
    assert (found["sends"], found["engaged"]) == (4, 1)
