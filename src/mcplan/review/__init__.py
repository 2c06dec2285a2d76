"""`mcplan report`: a campaign's results, read from an export, against its plan.

`results` reads the results file, `compare` measures the objectives and compares each
channel with its forecast, `advice` says what to do with it next time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mcplan.plan import plan
from mcplan.review.compare import Recommendation, Review, compare
from mcplan.review.results import ChannelResult, read_results
from mcplan.workspace import Workspace


def review_results(
    workspace: Workspace,
    campaign: str,
    results: Path,
    *,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Review:
    """Plan ``campaign`` and compare its plan with the results in the file ``results``.

    ``columns`` and ``aliases`` are as :func:`read_results` takes them.
    """
    [forecast] = plan(workspace, [campaign])
    rows = read_results(results, workspace, columns=columns, aliases=aliases)
    return compare(forecast, rows, workspace)


__all__ = ["ChannelResult", "Recommendation", "Review", "compare", "read_results", "review_results"]
