"""What every rule family reads: the workspace, its contacts and its rendered versions."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from mcplan.render import Rendering, Version, render_campaign
from mcplan.schedule.contacts import Contact, expand
from mcplan.workspace import Workspace


@dataclass
class LintContext:
    """The loaded workspace and what is derived from it once for all rules."""

    workspace: Workspace

    @functools.cached_property
    def contacts(self) -> list[Contact]:
        """Every touch to every persona, sorted by persona and time."""
        return expand(self.workspace)

    @functools.cached_property
    def renderings(self) -> dict[str, Rendering]:
        """Every campaign rendered on every channel it uses."""
        return {c: render_campaign(self.workspace, c) for c in self.workspace.campaigns}

    def versions(self) -> Iterator[Version]:
        """Every rendered version of every campaign."""
        for rendering in self.renderings.values():
            yield from rendering.versions
