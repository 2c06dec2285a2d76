"""`mcplan timing` in Markdown, to paste into a brief or a pull request: a table of every
persona and channel's figures, then each one's heat map as a block of text (the terminal's,
without colour) with its figures under it."""

from __future__ import annotations

from mcplan.output.diff.escape import inert
from mcplan.output.timing import figures
from mcplan.output.timing.text import map_lines
from mcplan.timing import SendTime, TimingResult
from mcplan.words import Reader, reader


def render_markdown(result: TimingResult) -> str:
    """The figures' table, then each persona and channel's map and figures."""
    t = reader()
    lines = [f"## {t.say('timing_title')}", ""]
    if result.send_times:
        lines += _table(result.send_times, t)
    else:
        lines += [t.say("timing_no_sends"), ""]
    for send_time in result.send_times:
        lines += _section(send_time, t)
    lines.append(figures.footer(result.rows, t))
    return "\n".join(lines) + "\n"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(send_times: tuple[SendTime, ...], t: Reader) -> list[str]:
    columns = figures.SUMMARY
    lines = [
        _row([t.say(key) for key, _ in columns]),
        _row(["---:" if number else "---" for _, number in columns]),
    ]
    lines += [_row(figures.summary(s, t, inert)) for s in send_times]
    return [*lines, ""]


def _section(send_time: SendTime, t: Reader) -> list[str]:
    """A persona and channel's heading, map and figures."""
    lines = [f"### {figures.heading(send_time, t, inert)}", "", "```text"]
    lines += [line.plain for line in map_lines(send_time, t)]
    lines += ["```", ""]
    lines += [f"- **{label}** {text}" for label, text in figures.lines(send_time, t)]
    return [*lines, ""]
