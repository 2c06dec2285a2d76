"""An export's persona and channel names as the workspace's ids: a persona by its id or
name, a channel by its id, a name it has in any language, or ``--alias``; every unknown name
kept with the rows that give it, then refused in one message with a "did you mean"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mcplan.attribution.columns import Channels, unknown_names
from mcplan.errors import UsageError

if TYPE_CHECKING:
    from mcplan.workspace import Workspace


class Lookup:
    """Persona and channel names → ids, and the unknown ones with their first rows."""

    def __init__(self, workspace: Workspace, aliases: Mapping[str, str], display: str) -> None:
        self.workspace, self.display = workspace, display
        known = workspace.known("personas")
        self.personas = {k.casefold(): v for k, v in known.items() if v in workspace.personas}
        self.channels = Channels(workspace.channel_lookup(), aliases)
        self.unknown: dict[str, list[int]] = {}

    def persona(self, name: str, row: int) -> str | None:
        found = self.personas.get(name.strip().casefold())
        if found is None:
            self.unknown.setdefault(name.strip(), []).append(row)
        return found

    def channel(self, name: str, row: int) -> str | None:
        number = self.channels(name, row)
        return None if number < 0 else self.channels.names[number]

    def zone(self, persona: str) -> str:
        """The persona's time zone (the workspace's when it writes none)."""
        zone = self.workspace.personas[persona].timezone
        return str(zone or self.workspace.settings.timezone)

    def check(self) -> None:
        """Refuse the export when it names a persona or a channel the workspace lacks."""
        if self.unknown:
            listed = unknown_names(self.unknown, set(self.personas.values()))
            raise UsageError(
                f"{self.display}: unknown personas: {listed}. "
                "Use the workspace's persona ids (or names)"
            )
        self.channels.check(self.display)
