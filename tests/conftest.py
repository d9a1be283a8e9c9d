"""Suite-wide test settings: where the real services are, and whether their absence fails or skips."""

import os

import pytest

REQUIRE_SERVICES = os.environ.get("OCOP_REQUIRE_SERVICES") == "1"


def require_service(name: str, reason: str) -> None:
    """Fail (in CI, OCOP_REQUIRE_SERVICES=1) or skip (elsewhere) a test whose service is not there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{name} is required in CI but not reachable: {reason}", pytrace=False)
    pytest.skip(f"{name} not reachable: {reason}")
