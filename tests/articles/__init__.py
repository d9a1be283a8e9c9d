"""Tests of the articles area."""
