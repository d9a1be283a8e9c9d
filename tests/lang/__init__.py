"""Tests of the lang area."""
