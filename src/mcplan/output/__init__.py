"""Reporters: turn results into text, JSON or rich tables. Only this layer knows about rich."""
