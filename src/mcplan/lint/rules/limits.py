"""Channel limits (L101–L104): every rendered text against its channel's limits.

- **L101 too-long**: over `max_chars` (X counts a link as 23), the email subject, the push
  title, a line over 998 characters (RFC 5322), or a voice script over its spoken time.
- **L102 sms-segments**: more SMS segments than the channel's budget. One emoji, a ’ or a ç
  switches the whole SMS to UCS-2 (70 characters, 67 per part): the finding names them.
- **L103 hashtags**: more hashtags than the channel allows.
- **L104 cut-off** (info): longer than what shows before the text is cut (a caption's
  "… more", a collapsed notification, a preheader).

Reported at the text's source: the hand-written variant, the campaign's template, the
workspace's channel template, or (for a bundled template) the campaign's channel entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding
from mcplan.lint.context import LintContext
from mcplan.render.engine import Version
from mcplan.render.measure import Check
from mcplan.rules import finding

CODES = ("L101", "L102", "L103", "L104")
_CODE_OF = {
    "segments": "L102",
    "hashtags": "L103",
    "visible_chars": "L104",
    "preheader_chars": "L104",
}


def check(ctx: LintContext) -> Iterator[Finding]:
    for rendering in ctx.renderings.values():
        for version in rendering.versions:
            for item in version.checks:
                if not item.ok:
                    code = _CODE_OF.get(item.limit, "L101")
                    yield finding(
                        code,
                        ctx.text_location(version, item.part),
                        f"{version.label} {_message(version, item)}",
                        _HINTS[code],
                    )


def _message(version: Version, item: Check) -> str:
    message = item.message
    if item.limit == "segments":
        part = next(p for p in version.parts if p.name == item.part)
        sms = part.measures.sms
        if sms is not None and sms.non_gsm:
            message += f", in UCS-2 because of {' '.join(repr(c) for c in sms.non_gsm)}"
    return message


_HINTS = {
    "L101": "shorten the text, or the message fields it uses",
    "L102": "shorten the SMS, or pass free text through the gsm filter ({{ m.headline | gsm }})",
    "L103": "keep the hashtags the channel allows",
    "L104": "put what matters in the first characters",
}
