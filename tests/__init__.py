"""The test suite: one package per area of the project."""
