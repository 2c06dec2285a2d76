"""`mcplan report`: a campaign's results, read from an export, against its plan.

`results` reads the results file, `compare` measures the objectives and compares each
channel with its forecast, `advice` says what to do with it next time, `experiments` reads
the message tests and the holdout with their statistics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from mcplan.plan import plan
from mcplan.report.compare import CampaignReport, Recommendation, compare
from mcplan.report.experiments import report_holdout, report_tests
from mcplan.report.results import ChannelResult, read_export, read_results
from mcplan.workspace import Workspace


def report_campaign(
    workspace: Workspace,
    campaign: str,
    results: Path,
    *,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> CampaignReport:
    """Plan ``campaign`` and compare its plan with the results in the file ``results``.

    ``columns``, ``aliases``, ``decimal`` and ``date_format`` are as :func:`read_export`
    takes them.
    """
    [forecast] = plan(workspace, [campaign])
    export = read_export(
        results,
        workspace,
        columns=columns,
        aliases=aliases,
        decimal=decimal,
        date_format=date_format,
    )
    alpha = workspace.settings.experiments.alpha
    review = compare(forecast, export.channels, workspace)
    return dataclasses.replace(
        review,
        tests=tuple(report_tests(forecast.campaign, export.arms, alpha, results)),
        holdout=report_holdout(export.groups, alpha, results),
    )


__all__ = [
    "CampaignReport",
    "ChannelResult",
    "Recommendation",
    "compare",
    "read_results",
    "report_campaign",
]
