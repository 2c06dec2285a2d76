"""Channel limits (L): every rendered text against its channel's limits.

The rules are declared in `mcplan.render.limits`, where each text is checked as it is
rendered (`mcplan render` shows every check); this family reports the checks that fail.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding, Related
from mcplan.lint.context import LintContext
from mcplan.numbers import number
from mcplan.render.limits import RULES

__all__ = ["RULES", "check_campaign"]


def check_campaign(ctx: LintContext, campaign: str) -> Iterator[Finding]:
    for version in ctx.rendering(campaign).versions:
        for item in version.checks:
            if item.ok:
                continue
            message = item.message
            if item.limit == "segments":
                sms = next(p for p in version.parts if p.name == item.part).measures.sms
                if sms is not None and sms.non_gsm:
                    message += f", in UCS-2 because of {' '.join(repr(c) for c in sms.non_gsm)}"
            yield item.rule(
                version.where(item.part),
                f"{version.label} {message}",
                related=[Related(item.where, f"the limit: {item.limit} {number(item.allowed)}")],
                subject=version.subject(item.part),
            )
