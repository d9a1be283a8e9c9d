"""The `ocop` subcommands, one module per area; each registers its commands on the apps of ocop.cli."""

from ocop.errors import WorkFailed


def not_built(command: str) -> None:
    """Say plainly that a command exists in the interface but is not built yet (exit 1)."""
    raise WorkFailed(f"'{command}' is not built yet")
