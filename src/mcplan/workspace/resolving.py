"""How a reference from one file to another is resolved, and reported when it does not.

An id resolves when the persona or channel exists, even in a file that failed to load (its own
findings say why); otherwise S301, with the id or name that was likely meant. A part resolves
when the channel's template has it (S311). And the words the cross-file findings share: which
personas (``persona 'marie'``, ``personas 'marie', 'paul'``) and where a persona lists its
channels. And a message's own keys, a campaign's or a journey's: a near-miss of a known one is
S201.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding, Related, Subject
from mcplan.suggest import closest, did_you_mean
from mcplan.workspace.campaign import Message
from mcplan.workspace.channel import Channel
from mcplan.workspace.loaded import Workspace
from mcplan.workspace.persona import Persona
from mcplan.workspace.problems import unknown_reference
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.structure import UNKNOWN_KEY, UNKNOWN_PART


def unknown(
    source: SourceMap,
    path: KeyPath,
    kind: str,
    value: str,
    workspace: Workspace,
    about: Subject,
    *,
    key: bool = False,
) -> Iterator[Finding]:
    """An unknown-id finding, unless the id exists (even in a file that failed to load)."""
    folder = "personas" if kind == "persona" else "channel_rules"
    if not workspace.exists(folder, value):
        known = workspace.known(folder)
        yield unknown_reference(source, path, kind, value, known, key=key, subject=about)


def unknown_part(
    source: SourceMap,
    path: KeyPath,
    channel: Channel,
    name: str,
    known: list[str],
    *,
    key: bool = True,
    campaign: str | None = None,
) -> Finding:
    return UNKNOWN_PART(
        source.locate(path, key=key),
        f"{source.name(path)}: channel '{channel.id}' has no part '{name}'"
        f"{did_you_mean(name, known)}; its parts: {', '.join(known)}",
        subject=Subject(campaign=campaign, channel=channel.id, part=name),
    )


def check_message_keys(
    source: SourceMap, message: object, about: Subject, at: KeyPath = ("message",)
) -> Iterator[Finding]:
    """Extra message keys are allowed for templates, but not a near-miss of a known key (a
    core message's, or a translation's or a journey step's at ``at``)."""
    for key in getattr(message, "model_extra", None) or {}:
        known = closest(key, Message.model_fields)
        if known:
            path = (*at, key)
            yield UNKNOWN_KEY(
                source.locate(path, key=True),
                f"{source.name(path)}: unknown key '{key}' (did you mean '{known}'?)",
                hint="fix the spelling; other extra keys are fine and reach templates as m.<key>",
                subject=about,
            )


def persona_channels(workspace: Workspace, persona: Persona) -> Related:
    """Where a persona lists its channels (or its file, when it lists none)."""
    where = workspace.source("personas", persona.id).locate(("channels",), key=True)
    return Related(where, f"the channels of persona '{persona.id}'")


def personas_named(ids: list[str]) -> str:
    """``persona 'a'``, ``personas 'a', 'b'``; a few named and the others counted."""
    from mcplan.listing import quoted

    return ("persona " if len(ids) == 1 else "personas ") + quoted(ids)


def does(ids: list[str]) -> str:
    return "does" if len(ids) == 1 else "do"
