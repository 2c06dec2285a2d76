"""The workspace: its file kinds (pydantic models), how they are read, loaded and checked.

Files → :func:`load_workspace` → a :class:`Workspace` of validated models, each value with the
file, line and column it was written at. Everything else in mcplan reads a Workspace.
"""

from mcplan.workspace.campaign import Campaign, Message, Objective, Touch
from mcplan.workspace.channel import Channel, ChannelConsent, Fit, Limits, MustContain, Rates
from mcplan.workspace.experiment import Experiment
from mcplan.workspace.fields import (
    Consent,
    Direction,
    Market,
    ObjectiveKind,
    Pressure,
    Stage,
    Weekday,
    Window,
)
from mcplan.workspace.library import BUNDLED_PREFIX, bundled_documents
from mcplan.workspace.loaded import EmailLayout, Loaded, Workspace
from mcplan.workspace.loader import find_root, load_workspace
from mcplan.workspace.persona import Persona, PersonaChannel
from mcplan.workspace.settings import Settings

__all__ = [
    "BUNDLED_PREFIX",
    "Campaign",
    "Channel",
    "ChannelConsent",
    "Consent",
    "Direction",
    "EmailLayout",
    "Experiment",
    "Fit",
    "Limits",
    "Loaded",
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
    "Workspace",
    "bundled_documents",
    "find_root",
    "load_workspace",
]
