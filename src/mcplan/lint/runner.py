"""Run the rule families over a workspace, on several cores when it is large enough.

What involves the whole workspace (`check`: contact pressure, windows, consent) runs in this
process. What one campaign alone decides (`check_campaign`: rendering, limits, mentions,
consistency; a journey's send steps are checked so too, a journey as one campaign) is most of
the work; from `PARALLEL_FROM` campaigns, on a machine with several cores where processes can
be forked, it runs in worker processes that inherit the loaded workspace (nothing is loaded
twice), while this process does the rest.

The findings come back per campaign and are put together in campaign order, whatever order
the workers finish in: the output is the same, byte for byte, as with one process.
"""

from __future__ import annotations

import gc
import itertools
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from mcplan import numbers
from mcplan.findings import CampaignCheck, Family, Finding
from mcplan.lint.context import LintContext

if TYPE_CHECKING:
    from concurrent.futures import Future

PARALLEL_FROM = 200  # campaigns: below this, starting processes costs more than it saves
_MOST = 8  # processes, however many cores

# Each campaign's findings, a list per family that checks campaigns.
Checked = dict[str, list[list[Finding]]]

# What the workers check, and the locale their findings write numbers in: set before they are
# forked, so that they inherit it.
_WORK: tuple[LintContext, Sequence[CampaignCheck], str | None] | None = None


def jobs(campaigns: int, asked: int | None = None) -> int:
    """How many processes check the campaigns: `asked`, else one per core for a large
    workspace where processes can be forked, else one."""
    if asked is not None:
        return max(1, asked) if _can_fork() else 1
    if campaigns < PARALLEL_FROM or not _can_fork():
        return 1
    return max(1, min(_cores(), _MOST))


def run(
    context: LintContext,
    families: Sequence[Family],
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    """Every finding of `families`, workspace-wide ones first, then per campaign;
    `progress(done, total)` is told of each chunk of campaigns checked."""
    campaigns = context.renderings
    each = [(check, family.merge) for family in families if (check := family.check_campaign)]
    checks = [check for check, _ in each]
    count = jobs(len(campaigns), processes) if checks and campaigns else 1
    with _Campaigns(context, checks, campaigns, count, progress) as work:
        # The workers start on the campaigns while this process checks the whole workspace.
        found = [f for family in families if family.check for f in family.check(context)]
        by_campaign = work.checked()
    for i, (_, merge) in enumerate(each):
        items = [f for campaign in campaigns for f in by_campaign[campaign][i]]
        found.extend(merge(items) if merge else items)
    return found


class _Campaigns:
    """The campaigns' checks, in a few chunks per process: `count - 1` worker processes start
    on them at once, and this process takes those left when it is free (`checked`)."""

    def __init__(
        self,
        context: LintContext,
        checks: Sequence[CampaignCheck],
        campaigns: list[str],
        count: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        size = max(1, -(-len(campaigns) // (8 * count)))
        self.chunks = [campaigns[i : i + size] for i in range(0, len(campaigns), size)]
        self.context, self.checks, self.count, self.total = context, checks, count, len(campaigns)
        self.tell = progress or (lambda done, total: None)
        self.futures: list[Future[Checked]] = []
        self.pool: Any = None

    def __enter__(self) -> _Campaigns:
        global _WORK
        if self.count > 1:  # this process is one of them
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _WORK = (self.context, self.checks, numbers.current_locale())
            # The collector of a worker would touch every object it inherited, copying the
            # memory pages the processes share: what exists now is left out of it.
            gc.freeze()
            fork = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(self.count - 1, mp_context=fork)
            self.futures = [self.pool.submit(_check, chunk) for chunk in self.chunks]
        return self

    def __exit__(self, *exc: object) -> None:
        global _WORK
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            _WORK = None
            gc.unfreeze()

    def checked(self) -> Checked:
        """Every campaign's findings: the chunks no worker has started, checked here, then
        what the workers found."""
        by_campaign: Checked = {}
        for chunk, future in itertools.zip_longest(self.chunks, self.futures):
            if future is None or future.cancel():
                by_campaign.update(_check(chunk, self.context, self.checks))
                self.tell(len(by_campaign), self.total)
        for future in self.futures:
            if not future.cancelled():
                by_campaign.update(future.result())
                self.tell(len(by_campaign), self.total)
        return by_campaign


def _check(
    campaigns: Sequence[str],
    context: LintContext | None = None,
    checks: Sequence[CampaignCheck] = (),
) -> Checked:
    """Each campaign's findings, family by family (in a worker: what it inherited, numbers
    written in the locale of the command, as this process writes them)."""
    if context is None:
        assert _WORK is not None, "a worker inherits its work when it is forked"
        context, checks, locale = _WORK
        numbers.set_locale(locale)
    checked = {}
    for campaign in campaigns:
        checked[campaign] = [list(check(context, campaign)) for check in checks]
        context.forget(campaign)
    return checked


def _cores() -> int:
    """The cores this process may run on: those Linux allows it, else every core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS has no affinity
        return os.cpu_count() or 1


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
