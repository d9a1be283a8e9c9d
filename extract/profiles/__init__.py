"""Site profiles as data: per-source selectors, in dated versions, loaded from the TOML files beside this module."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

PROFILE_DIR = Path(__file__).parent
GENERIC_FILE = PROFILE_DIR / "generic.toml"

# The profile name that means "no site profile": the generic rules only (as for an outlet with no profile).
GENERIC_PROFILE = "generic"
# The fields of a profile version that hold lists of CSS selectors, tried in order.
SELECTOR_FIELDS = ("title", "lead", "body", "drop", "date", "byline", "section", "tags", "article_links", "next_page")


@dataclass(frozen=True)
class ProfileVersion:
    """The rules of one site layout, in force between two dates (either open)."""

    since: date | None = None
    until: date | None = None
    title: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    byline: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    article_links: tuple[str, ...] = ()
    next_page: tuple[str, ...] = ()
    date_order: str = "DMY"

    def in_force(self, moment: date) -> bool:
        return (self.since is None or self.since <= moment) and (self.until is None or moment < self.until)


@dataclass(frozen=True)
class Profile:
    """One source's extraction rules: the domains it covers, its URL patterns and its layouts over time."""

    name: str
    domains: tuple[str, ...]
    versions: tuple[ProfileVersion, ...]
    article_url_pattern: re.Pattern | None = None
    not_article_url_pattern: re.Pattern | None = None

    def versions_for(self, moment: datetime | None) -> list[ProfileVersion]:
        """Layouts to try: the one in force at `moment` first, then the others, newest first."""
        ordered = sorted(self.versions, key=lambda version: version.since or date.min, reverse=True)
        if moment is None:
            return ordered
        day = moment.date()
        return sorted(ordered, key=lambda version: not version.in_force(day))

    def is_article_url(self, url: str) -> bool | None:
        """True for this site's article URL shape, False for its known non-article shapes, else None."""
        path = urlsplit(url).path
        if self.not_article_url_pattern is not None and self.not_article_url_pattern.search(path):
            return False
        if self.article_url_pattern is not None and self.article_url_pattern.search(path):
            return True
        return None


@dataclass(frozen=True)
class GenericRules:
    """Rules for every site (and for sites with no profile): selectors, box headings, byline words."""

    version: ProfileVersion
    caption_selectors: tuple[str, ...] = ()
    related_box_headings: tuple[str, ...] = ()
    boilerplate_line_prefixes: tuple[str, ...] = ()
    byline_prefixes: tuple[str, ...] = ()
    byline_suffixes: tuple[str, ...] = ()
    photo_credit_prefixes: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    not_article_titles: tuple[str, ...] = ()
    not_article_url_pattern: re.Pattern | None = None
    article_url_pattern: re.Pattern | None = None
    next_page_words: tuple[str, ...] = ()
    thresholds: dict = field(default_factory=dict)


def _version(table: dict) -> ProfileVersion:
    values = {name: tuple(table.get(name, ())) for name in SELECTOR_FIELDS}
    return ProfileVersion(
        since=table.get("since"), until=table.get("until"), date_order=table.get("date_order", "DMY"), **values,
    )


def _pattern(text: str | None) -> re.Pattern | None:
    return re.compile(text) if text else None


@lru_cache(maxsize=1)
def all_profiles() -> dict[str, Profile]:
    """Every site profile by name."""
    profiles = {}
    for path in sorted(PROFILE_DIR.glob("*.toml")):
        if path == GENERIC_FILE:
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        profiles[data["name"]] = Profile(
            name=data["name"], domains=tuple(data["domains"]),
            versions=tuple(_version(table) for table in data["version"]),
            article_url_pattern=_pattern(data.get("article_url_pattern")),
            not_article_url_pattern=_pattern(data.get("not_article_url_pattern")),
        )
    return profiles


@lru_cache(maxsize=1)
def generic_rules() -> GenericRules:
    """The rules every page is read with."""
    data = tomllib.loads(GENERIC_FILE.read_text(encoding="utf-8"))
    words = data["words"]
    return GenericRules(
        version=_version(data["selectors"]),
        caption_selectors=tuple(data["selectors"]["captions"]),
        related_box_headings=tuple(words["related_box_headings"]),
        boilerplate_line_prefixes=tuple(words["boilerplate_line_prefixes"]),
        byline_prefixes=tuple(words["byline_prefixes"]),
        byline_suffixes=tuple(words["byline_suffixes"]),
        photo_credit_prefixes=tuple(words["photo_credit_prefixes"]),
        publications=tuple(words["publications"]),
        not_article_titles=tuple(words["not_article_titles"]),
        next_page_words=tuple(words["next_page_words"]),
        not_article_url_pattern=_pattern(data["urls"]["not_article"]),
        article_url_pattern=_pattern(data["urls"]["article"]),
        thresholds=data["thresholds"],
    )


def profile_for(url: str, name: str | None = None) -> Profile | None:
    """The profile named `name` (None for "generic"), else the one whose domain is the URL's host or a parent."""
    profiles = all_profiles()
    if name:
        return profiles.get(name)
    host = (urlsplit(url).hostname or "").lower() if isinstance(url, str) else ""
    best: tuple[int, Profile] | None = None
    for profile in profiles.values():
        for domain in profile.domains:
            if host == domain or host.endswith("." + domain):
                if best is None or len(domain) > best[0]:
                    best = (len(domain), profile)
    return best[1] if best else None


@lru_cache(maxsize=1)
def profiles_digest() -> str:
    """A short hash of every profile file: it changes whenever a rule changes."""
    digest = hashlib.sha256()
    for path in sorted(PROFILE_DIR.glob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]
