"""Spiders: one generic spider driven by the source registry, and the ad-hoc --url mode."""
