"""Tests of the facts area."""
