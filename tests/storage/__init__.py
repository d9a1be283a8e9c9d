"""Tests of the storage area."""
