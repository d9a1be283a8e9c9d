"""The sample's source registry: sources.toml (a template with one placeholder per site base) rendered for live ports."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import jinja2

SOURCES_TEMPLATE = Path(__file__).with_name("sources.toml")


def render_sources(bases: Mapping[str, str]) -> str:
    """The registry with `{{ base.<site> }}` replaced by each site's base URL (no trailing slash)."""
    template = jinja2.Template(SOURCES_TEMPLATE.read_text(encoding="utf-8"), undefined=jinja2.StrictUndefined,
                               keep_trailing_newline=True)
    return template.render(base=dict(bases))
