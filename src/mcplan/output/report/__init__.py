"""`mcplan report`'s outputs: a campaign's results against its plan as rich tables
(`terminal`), JSON (`data`) or Markdown for a debrief (`markdown`). The terminal and the
Markdown share the figures in the reader's words (`cells`; `experiments` for the message
tests and the holdout)."""

from __future__ import annotations

from mcplan.output import Emitter
from mcplan.output.report.data import as_dict, as_json
from mcplan.output.report.markdown import as_markdown
from mcplan.output.report.terminal import tables
from mcplan.report.compare import CampaignReport

EMITTERS: dict[str, Emitter[CampaignReport]] = {
    "text": tables,
    "json": as_json,
    "markdown": as_markdown,
}

__all__ = ["EMITTERS", "as_dict", "as_json", "as_markdown", "tables"]
