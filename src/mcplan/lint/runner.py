"""Run the rule families over a workspace, on several cores when it is large enough.

What involves the whole workspace (`check`: contact pressure, windows, consent) runs in this
process. What one campaign alone decides (`check_campaign`: rendering, limits, mentions,
consistency) is most of the work; from `PARALLEL_FROM` campaigns, on a machine with several
cores where processes can be forked, it runs in worker processes that inherit the loaded
workspace (nothing is loaded twice), while this process does the rest.

The findings come back per campaign and are put together in campaign order, whatever order
the workers finish in: the output is the same, byte for byte, as with one process.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mcplan import numbers
from mcplan.findings import Finding
from mcplan.lint.context import LintContext

if TYPE_CHECKING:
    from concurrent.futures import Future

PARALLEL_FROM = 200  # campaigns: below this, starting processes costs more than it saves
_MOST = 8  # processes, however many cores

# What the workers check, and the locale their findings write numbers in: set before they are
# forked, so that they inherit it.
_WORK: tuple[LintContext, Sequence[ModuleType], str | None] | None = None


def jobs(campaigns: int, asked: int | None = None) -> int:
    """How many processes check the campaigns: `asked`, else one per core for a large
    workspace where processes can be forked, else one."""
    if asked is not None:
        return max(1, asked) if _can_fork() else 1
    if campaigns < PARALLEL_FROM or not _can_fork():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, _MOST))


def run(
    context: LintContext,
    families: Sequence[ModuleType],
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    """Every finding of `families`, workspace-wide ones first, then per campaign;
    `progress(done, total)` is told of each chunk of campaigns checked."""
    tell = progress or (lambda done, total: None)
    global _WORK
    campaigns = list(context.workspace.campaigns)
    each = [f for f in families if hasattr(f, "check_campaign")]
    count = jobs(len(campaigns), processes) if each and campaigns else 1
    size = max(1, -(-len(campaigns) // (8 * count)))  # a few chunks per process
    chunks = [campaigns[i : i + size] for i in range(0, len(campaigns), size)]
    by_campaign: dict[str, list[list[Finding]]] = {}
    futures: list[Future[dict[str, list[list[Finding]]]]] = []
    pool: Any = None
    if count > 1:  # this process is one of them: it takes the chunks left when it is free
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _WORK = (context, each, numbers.current_locale())
        pool = ProcessPoolExecutor(count - 1, mp_context=multiprocessing.get_context("fork"))
        futures = [pool.submit(_check, chunk) for chunk in chunks]
    try:
        found = [
            f for family in families if hasattr(family, "check") for f in family.check(context)
        ]
        for chunk, future in itertools.zip_longest(chunks, futures):
            if future is None or future.cancel():
                by_campaign.update(_check(chunk, context, each))
                tell(len(by_campaign), len(campaigns))
        for future in futures:
            if not future.cancelled():
                by_campaign.update(future.result())
                tell(len(by_campaign), len(campaigns))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
            _WORK = None
    for i, family in enumerate(each):
        items = [f for c in campaigns for f in by_campaign[c][i]]
        found.extend(family.merge(items) if hasattr(family, "merge") else items)
    return found


def _check(
    campaigns: Sequence[str],
    context: LintContext | None = None,
    families: Sequence[ModuleType] = (),
) -> dict[str, list[list[Finding]]]:
    """Each campaign's findings, family by family (in a worker: what it inherited, numbers
    written in the locale of the command, as this process writes them)."""
    if context is None:
        assert _WORK is not None, "a worker inherits its work when it is forked"
        context, families, locale = _WORK
        numbers.set_locale(locale)
    checked = {}
    for campaign in campaigns:
        checked[campaign] = [list(f.check_campaign(context, campaign)) for f in families]
        context.forget(campaign)
    return checked


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
