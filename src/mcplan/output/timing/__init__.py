"""`mcplan timing`'s outputs (issue 30): per persona and channel, a weekday × hour heat map of
the rate and the figures under it (best slot, rate and interval, the slot used now, the gain
and how sure it is, whether the data is enough), in a terminal (`text`, 80 columns), in
Markdown (`markdown`) and as one self-contained HTML page (`page`); `json` is the result's
own fields. The three share their shades, marks and figures (`figures`), in the workspace's
language and locale (set for the command: :func:`mcplan.numbers.set_locale`)."""

from __future__ import annotations

from mcplan.json_text import json_text
from mcplan.output import Emitted, Emitter
from mcplan.output.timing.markdown import render_markdown
from mcplan.output.timing.page import render_html
from mcplan.output.timing.text import render_text
from mcplan.timing import TimingResult


def render_json(result: TimingResult) -> str:
    """The issue's fields per persona and channel (`TimingResult.to_dict`), for scripts."""
    return json_text(result.to_dict())


def _html(result: TimingResult) -> Emitted:
    return render_html(result)


EMITTERS: dict[str, Emitter[TimingResult]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "html": _html,
}

__all__ = ["EMITTERS", "render_html", "render_json", "render_markdown", "render_text"]
