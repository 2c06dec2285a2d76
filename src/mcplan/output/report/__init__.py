"""`mcplan report`'s outputs: a campaign's results against its plan as rich tables
(`terminal`), JSON (`data`) or Markdown for a debrief (`markdown`). The terminal and the
Markdown share the figures in the reader's words (`cells`; `experiments` for the message
tests and the holdout). A journey's report has its own (`journey_text`, `journey_data`,
sharing `journey_cells`): each format's emitter takes either report."""

from __future__ import annotations

from collections.abc import Callable

from mcplan.output import Emitted, Emitter
from mcplan.output.report.data import as_dict, as_json
from mcplan.output.report.journey_data import journey_dict, journey_json
from mcplan.output.report.journey_text import journey_markdown, journey_tables
from mcplan.output.report.markdown import as_markdown
from mcplan.output.report.terminal import tables
from mcplan.report.compare import CampaignReport
from mcplan.report.journey import JourneyReport

Report = CampaignReport | JourneyReport


def _either(
    campaign: Callable[[CampaignReport], Emitted], journey: Callable[[JourneyReport], Emitted]
) -> Emitter[Report]:
    def emit(review: Report) -> Emitted:
        return journey(review) if isinstance(review, JourneyReport) else campaign(review)

    return emit


EMITTERS: dict[str, Emitter[Report]] = {
    "text": _either(tables, journey_tables),
    "json": _either(as_json, journey_json),
    "markdown": _either(as_markdown, journey_markdown),
}

__all__ = [
    "EMITTERS",
    "Report",
    "as_dict",
    "as_json",
    "as_markdown",
    "journey_dict",
    "journey_json",
    "journey_markdown",
    "journey_tables",
    "tables",
]
