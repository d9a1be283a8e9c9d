"""Tests of the sample area."""
