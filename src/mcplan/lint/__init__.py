"""`mcplan lint`: the pre-launch check CI runs on every campaign change."""
