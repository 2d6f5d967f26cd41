"""Commands (filled in by later work)."""

COMMANDS: list = []
