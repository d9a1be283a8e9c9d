"""Tests of the crawl area."""
