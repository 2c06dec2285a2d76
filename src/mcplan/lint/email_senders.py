"""Who sends e-mail, for what the settings decide for every e-mail at once (E101, E102): each
campaign that sends it, and each journey's send step that does, named and placed."""

from __future__ import annotations

from mcplan.findings import Finding, Related, Rule
from mcplan.workspace import Campaign, Workspace


def sending(workspace: Workspace) -> list[tuple[Campaign, str]]:
    """Each campaign that sends e-mail, and each journey's step that does (as the campaign it
    renders as), with its e-mail channel."""
    from mcplan.render.steps import journey_copy

    def email(channel: str) -> bool:
        return channel in workspace.channels and workspace.channels[channel].kind == "email"

    sending = [
        (campaign, channel)
        for campaign in workspace.campaigns.values()
        for channel in workspace.campaign_channels(campaign)
        if email(channel)
    ]
    for journey in workspace.journeys.values():
        core = journey_copy(journey)  # each step's copy is made from it
        sending += [
            (journey_copy(journey, send, path, core), send.send)
            for path, send in journey.sends()
            if email(send.send)
        ]
    return sending


def settings_finding(
    workspace: Workspace, sending: list[tuple[Campaign, str]], rule: Rule, why: str
) -> Finding:
    """One finding for every e-mail, at the settings' `[email]` (or at the first campaign
    that sends e-mail, without a settings file), each campaign related."""
    places = [
        Related(workspace.source(c.FOLDER, c.id).locate(c.channel_path(ch)), _named(c))
        for c, ch in sending
    ]
    settings = workspace.settings_source
    where = settings.locate(("email",), key=True) if settings else places[0].location
    count = len({(c.FOLDER, c.id) for c, _ in sending})
    kinds = " and journeys" if any(c.FOLDER != "campaigns" for c, _ in sending) else ""
    what = f"{count} campaigns{kinds} send" if count > 1 else f"{_named(sending[0][0])} sends"
    return rule(where, f"{what} e-mail {why}", related=places[:20] if settings else places[1:20])


def _named(campaign: Campaign) -> str:
    """``campaign 'soldes'``, ``journey 'welcome'`` (each of whose steps is one)."""
    return f"{'campaign' if campaign.FOLDER == 'campaigns' else 'journey'} '{campaign.id}'"
