"""The links and images of an e-mail's HTML part, and the registrable domain of an address.

The HTML part is scanned as css-inline writes it, not parsed; a domain is compared as the
registrable one (shop.brand.co.uk and brand.co.uk are one), from the public suffix list the
`publicsuffixlist` package bundles.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcplan.workspace.fields import url_host

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

# A link or an image of the HTML part, as css-inline writes them (each value in double quotes,
# a quote in it written &quot;): a scan, where a parser would cost more than compiling the
# HTML did. A try stops at the first "<" or ">" out of quotes, so each character is read a
# bounded number of times, whatever the layout writes (60 KB of "<a " in a comment).
_HTML_TAG = re.compile(r'<(a|img)\s((?:[^<>"]|"[^"]*+")*+)>', re.I)
_HTML_ATTRIBUTE = re.compile(r'([^\s"\'>/=]+)="([^"]*)"')


@dataclass(frozen=True)
class Html:
    """The links (their addresses) and images of an HTML part."""

    addresses: list[tuple[str, str]]  # ("link" | "image", url)

    @classmethod
    def of(cls, text: str) -> Html:
        kinds = {"a": "link", "img": "image"}
        found = []
        for tag in _HTML_TAG.finditer(text):
            address = next(
                (v for n, v in _HTML_ATTRIBUTE.findall(tag[2]) if n.lower() in ("href", "src")),
                "",
            )
            if address:
                found.append((kinds[tag[1].lower()], html.unescape(address)))
        return cls(found)

    @property
    def hrefs(self) -> set[str]:
        return {a for kind, a in self.addresses if kind == "link"}


@functools.cache
def _suffixes() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # the list the package bundles: nothing is downloaded


def domain(address: str) -> str:
    """The registrable domain of an address (``brand.co.uk`` for shop.brand.co.uk)."""
    host = url_host(address).rstrip(".")  # '' when it does not parse ("https://[::1")
    return _suffixes().privatesuffix(host) or host
