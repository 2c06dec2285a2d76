"""The workspace file kinds, as pydantic models (also the source of the JSON Schemas)."""

from mcplan.models.campaign import Campaign, Message, Objective, Touch
from mcplan.models.channel import Channel, ChannelConsent, Fit, Limits, MustContain, Rates
from mcplan.models.common import (
    Consent,
    Direction,
    Market,
    ObjectiveKind,
    Pressure,
    Stage,
    Weekday,
    Window,
)
from mcplan.models.persona import Persona, PersonaChannel
from mcplan.models.settings import Settings

__all__ = [
    "Campaign",
    "Channel",
    "ChannelConsent",
    "Consent",
    "Direction",
    "Fit",
    "Limits",
    "Market",
    "Message",
    "MustContain",
    "Objective",
    "ObjectiveKind",
    "Persona",
    "PersonaChannel",
    "Pressure",
    "Rates",
    "Settings",
    "Stage",
    "Touch",
    "Weekday",
    "Window",
]
