"""One error hierarchy for the library; the CLI turns these into messages and exit codes."""

from __future__ import annotations


class McplanError(Exception):
    """Base of every error mcplan raises on purpose. Its message is meant for the user."""


class WorkspaceNotFoundError(McplanError):
    """No workspace folder was found where one was expected."""


class UsageError(McplanError):
    """The user asked for something that cannot be done (unknown kind, bad option value)."""
