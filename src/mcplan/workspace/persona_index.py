"""What the checks of a version ask of each of its personas, read once for the workspace.

A journey's send step is checked as a campaign's version (see `mcplan.render.steps`), and
each is for every persona of the journey: 200 journeys of 10 sends for 1,000 personas ask the
same persona's locale and country millions of times, and who lists a channel thousands. The
answers depend on the persona alone (and the workspace's locale), so they are read here once,
as P106's `KnownCaps` groups personas with the same caps, and every step reuses them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mcplan.workspace.countries import country_of
from mcplan.workspace.persona import Persona


@dataclass
class PersonaIndex:
    """Each persona's locale (its own, else ``default``) and country, by id; and, made the
    first time they are asked, the personas of a list that list a channel, those by the
    locale they read, and a list's countries."""

    personas: list[Persona]  # as indexed: the index is made again when they change
    default: str  # the workspace's locale
    locale: dict[str, str]
    country: dict[str, str | None]
    _listing: dict[tuple[tuple[str, ...], str], list[Persona]] = field(default_factory=dict)
    _by_locale: dict[tuple[tuple[str, ...], str], dict[str, list[Persona]]] = field(
        default_factory=dict
    )
    _countries: dict[tuple[str, ...], tuple[str | None, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, personas: Mapping[str, Persona], default: str) -> PersonaIndex:
        return cls(
            list(personas.values()),
            default,
            {id_: p.locale or default for id_, p in personas.items()},
            {id_: country_of(p) for id_, p in personas.items()},
        )

    def indexes(self, personas: Mapping[str, Persona], default: str) -> bool:
        """Whether this index is of these personas (the same models) and default locale."""
        return default == self.default and list(personas.values()) == self.personas

    def listing(
        self, personas: Mapping[str, Persona], ids: Sequence[str], channel_id: str
    ) -> list[Persona]:
        """The personas of ``ids`` (known ones, in their order) that list ``channel_id``."""
        key = (tuple(ids), channel_id)
        if key not in self._listing:
            known = [personas[p] for p in ids if p in personas]
            self._listing[key] = [p for p in known if channel_id in p.channels]
        return self._listing[key]

    def by_locale(
        self, personas: Mapping[str, Persona], ids: Sequence[str], channel_id: str
    ) -> dict[str, list[Persona]]:
        """`listing`'s personas by the locale they read (each list a new one: its caller's)."""
        key = (tuple(ids), channel_id)
        if key not in self._by_locale:
            grouped: dict[str, list[Persona]] = {}
            for persona in self.listing(personas, ids, channel_id):
                grouped.setdefault(self.locale[persona.id], []).append(persona)
            self._by_locale[key] = grouped
        return {locale: list(group) for locale, group in self._by_locale[key].items()}

    def countries(self, ids: tuple[str, ...]) -> tuple[str | None, ...]:
        """The distinct countries of the personas ``ids``, in their order: read once for
        each list (a journey's steps on a channel are versions for the same personas)."""
        if ids not in self._countries:
            self._countries[ids] = tuple(dict.fromkeys(map(self.country.__getitem__, ids)))
        return self._countries[ids]


__all__ = ["PersonaIndex"]
