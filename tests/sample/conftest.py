"""Fixtures of the sample tests: a running sample shared by a module, and one of its own for tests that change it."""

from __future__ import annotations

import pytest

from ocop.sample.server import serve_sample


@pytest.fixture(scope="module")
def sites():
    with serve_sample() as running:
        yield running


@pytest.fixture
def fresh_sites():
    """A sample of its own, for tests that change routes or content."""
    with serve_sample() as running:
        yield running
