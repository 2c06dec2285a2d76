"""The channel library: the channels mcplan ships, and the workspace's channel files over them.

A workspace file whose id is a bundled channel replaces it entirely, unless it `extends` one;
with `extends`, the file's mappings are merged key by key over the channel it names (bundled,
or another workspace file, which may extend a third) and everything else is replaced.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from mcplan.findings import Finding
from mcplan.workspace.problems import unknown_reference
from mcplan.workspace.structure import EXTENDS_CYCLE
from mcplan.workspace.yamlsource import Document, parse

BUNDLED_PREFIX = "<bundled>/"
YAML_SUFFIXES = (".yaml", ".yml")
BUNDLED_CURRENCY = "EUR"  # the currency of the costs in the channel library
MONEY_KEYS = ("cost_per_contact", "fixed_cost")  # a channel's amounts of money
# What one euro is worth in the currencies of the countries mcplan is used in beside the euro
# area (the ECB's euro reference rates of 28 February 2025, to three significant digits): the
# bundled costs are judgements
# in euros, and the same judgement in pounds is better than euros read as pounds. A currency
# not here keeps the euro figures, and S309 says so.
EURO_RATES: dict[str, float] = {
    "GBP": 0.826, "CHF": 0.939, "USD": 1.04, "CAD": 1.50, "AUD": 1.67, "NZD": 1.86,
    "JPY": 157.0, "SEK": 11.2, "NOK": 11.7, "DKK": 7.46, "ISK": 146.0, "PLN": 4.15,
    "CZK": 25.0, "HUF": 400.0, "RON": 4.98, "BGN": 1.96,
}  # fmt: skip


def in_currency(amount: float, currency: str) -> float | None:
    """A bundled amount (euros) in ``currency``, to two significant digits as the judgement
    it is (300 EUR: 250 GBP); None for a currency mcplan has no rate for."""
    if currency == BUNDLED_CURRENCY:
        return amount
    rate = EURO_RATES.get(currency)
    if rate is None:
        return None
    value = amount * rate
    return float(f"{value:.2g}") if value else 0.0


@functools.cache
def bundled_documents() -> dict[str, Document]:
    """The channel library shipped with mcplan, parsed once per process."""
    library = resources.files("mcplan") / "channel_library"
    documents = {}
    for entry in sorted(library.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(YAML_SUFFIXES):
            display = BUNDLED_PREFIX + entry.name
            document = parse(entry.read_text("utf-8"), display)
            document.data.setdefault("id", entry.name.rsplit(".", 1)[0])
            documents[document.data["id"]] = document
    return documents


def bundled_colours() -> dict[str, str]:
    """Each bundled channel's colour on the calendar page, by id (in the order of its files)."""
    return {id_: str(doc.data["colour"]) for id_, doc in bundled_documents().items()}


@dataclass(frozen=True)
class ChannelDocument:
    """A channel's full data, ready to validate: None when its `extends` cannot be resolved."""

    document: Document | None
    own: Document  # what the channel's own file says (the bundled file, for a bundled one)
    origin: str  # "bundled", "workspace", or "extends <id>"


def channel_documents(
    own: Mapping[str, Document], findings: list[Finding]
) -> dict[str, ChannelDocument]:
    """Every channel of the workspace by id: the bundled ones it does not replace, then its own.

    A cycle of `extends`, or an `extends` that names no channel, is appended to ``findings``.
    """
    bundled = bundled_documents()
    channels = {
        id_: ChannelDocument(document, document, "bundled")
        for id_, document in bundled.items()
        if id_ not in own
    }
    resolver = _Resolver(own, bundled, findings)
    for id_, document in sorted(own.items()):
        base = document.data.get("extends")
        origin = f"extends {base}" if base else "workspace"
        channels[id_] = ChannelDocument(resolver.resolve(id_), document, origin)
    return channels


class _Resolver:
    """Resolves each workspace channel's `extends` chain once."""

    def __init__(
        self,
        own: Mapping[str, Document],
        bundled: Mapping[str, Document],
        findings: list[Finding],
    ) -> None:
        self.own, self.bundled, self.findings = own, bundled, findings
        self.done: dict[str, Document | None] = {}

    def resolve(self, channel_id: str, chain: tuple[str, ...] = ()) -> Document | None:
        """The channel's full data: its own file merged over what it extends."""
        if channel_id not in self.done:
            self.done[channel_id] = self._extend(channel_id, chain)
        return self.done[channel_id]

    def _extend(self, channel_id: str, chain: tuple[str, ...]) -> Document | None:
        document = self.own[channel_id]
        base_id = document.data.get("extends")
        if not isinstance(base_id, str):
            return document  # no extends (or a wrong type, which the model reports)
        base: Document | None
        if base_id != channel_id and base_id in self.own:
            if base_id in chain:
                circle = " → ".join((*chain, channel_id, base_id))
                where = document.source.locate(("extends",))
                self.findings.append(
                    EXTENDS_CYCLE(
                        where, f"extends: channels extend each other in a circle: {circle}"
                    )
                )
                return None
            base = self.resolve(base_id, (*chain, channel_id))
        elif base_id in self.bundled:
            base = self.bundled[base_id]
        else:
            known = {id_: id_ for id_ in sorted({*self.own, *self.bundled} - {channel_id})}
            self.findings.append(
                unknown_reference(document.source, ("extends",), "channel", base_id, known)
            )
            return None
        if base is None:
            return None
        data = deep_merge(base.data, document.data)
        if "template" in document.data and "locale" not in document.data:
            data.pop("locale", None)  # its own template is in the workspace's language
        if "name" in document.data and "names" not in document.data:
            data.pop("names", None)  # its own name, in every language
        return Document(data, base.source.merged(document.source, data))


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: mappings merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
