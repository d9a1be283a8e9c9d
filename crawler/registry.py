"""The source registry: reads and validates sources.toml into typed Source records."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

BUNDLED_REGISTRY = Path(__file__).with_name("sources.toml")
SOURCE_KINDS = ("national", "trade", "provincial", "adhoc")
PAGE_PLACEHOLDER = "{page}"


class RegistryError(ValueError):
    """The registry file is missing or malformed; the message is one line naming the file and the entry."""


@dataclass(frozen=True)
class Source:
    """One news outlet: where to start, what its article URLs look like, how to read it."""

    name: str
    title: str
    homepage: str
    kind: str
    allowed_domains: tuple[str, ...]
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    article_url_pattern: str | None = None
    pagination: str | None = None
    profile: str | None = None
    home_province: str | None = None  # a provincial paper's province: the default place of its reports
    enabled: bool = True
    verified: bool = False
    notes: str = ""
    _article_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.article_url_pattern:
            object.__setattr__(self, "_article_re", re.compile(self.article_url_pattern))

    def is_article_url(self, url: str) -> bool:
        """True when the URL is on this source's domains and its path matches the article pattern (if any)."""
        parts = urlsplit(url)
        if not self.owns_host(parts.hostname or ""):
            return False
        if self._article_re is None:
            return True
        return bool(self._article_re.search(parts.path))

    def owns_host(self, host: str) -> bool:
        """True when the host is one of the allowed domains or a subdomain of one."""
        host = host.lower()
        return any(host == domain or host.endswith("." + domain) for domain in self.allowed_domains)

    def page_url(self, start_url: str, page: int) -> str | None:
        """The URL of listing page `page` (2, 3, ...) of a start page, from the pagination template."""
        if not self.pagination:
            return None
        base, extension = _split_extension(start_url)
        return self.pagination.format(url=start_url.rstrip("/"), base=base, ext=extension, page=page)

    @property
    def seeds(self) -> tuple[str, ...]:
        """Every URL a crawl of this source starts from."""
        return self.sitemaps + self.feeds + self.start_urls


def adhoc_source(url: str) -> Source:
    """A source made on the fly for `ocop crawl --url`: the start URL's site, any article it links to."""
    host = (urlsplit(url).hostname or "").lower()
    domain = host[4:] if host.startswith("www.") else host
    return Source(
        name=host,
        title=host,
        homepage=f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/",
        kind="adhoc",
        allowed_domains=(domain,),
        start_urls=(url,),
    )


def load_registry(path: Path | str | None = None) -> list[Source]:
    """Read a registry file (the bundled one by default); RegistryError with one line if it is bad."""
    path = Path(path) if path is not None else BUNDLED_REGISTRY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"sources file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RegistryError(f"cannot read sources file {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{path}: not valid TOML: {error}") from None
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: no [[source]] entries")
    sources: list[Source] = []
    seen_names: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        label = f"{path}: source #{position}"
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            label += f" ({entry['name']})"
        source = _source_from_entry(entry, label)
        if source.name in seen_names:
            raise RegistryError(f"{label}: duplicate name {source.name!r}")
        seen_names.add(source.name)
        sources.append(source)
    return sources


def select_sources(sources: list[Source], names: list[str] | None) -> list[Source]:
    """The named sources (in the order given), or every enabled one; RegistryError on an unknown name."""
    if not names:
        return [source for source in sources if source.enabled]
    by_name = {source.name: source for source in sources}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise RegistryError(f"unknown source {unknown[0]!r} (known: {', '.join(sorted(by_name))})")
    return [by_name[name] for name in dict.fromkeys(names)]


def choose_sources(registry_file: Path | str | None, names: list[str], urls: list[str]) -> list[Source]:
    """The sources of one crawl: the named ones (or every enabled one), or, with start URLs, the named ones plus
    one source per start URL's site (the registry's entry for that site when it has one, read with its rules)."""
    registry = load_registry(registry_file)
    if not urls:
        return select_sources(registry, names)
    chosen = select_sources(registry, names) if names else []
    adhoc: dict[str, Source] = {}
    for url in urls:
        host = (urlsplit(url).hostname or "").lower()
        base = next((source for source in registry if source.owns_host(host)), None) or adhoc_source(url)
        previous = adhoc.get(base.name)
        start_urls = (previous.start_urls if previous else ()) + (url,)
        adhoc[base.name] = replace(base, start_urls=start_urls, feeds=(), sitemaps=())
    named = {source.name for source in chosen}
    return chosen + [source for name, source in adhoc.items() if name not in named]


_STRING_FIELDS = ("name", "title", "homepage", "kind")
_OPTIONAL_STRING_FIELDS = ("article_url_pattern", "pagination", "profile", "home_province", "notes")
_URL_LIST_FIELDS = ("start_urls", "feeds", "sitemaps")
_BOOL_FIELDS = ("enabled", "verified")
_KNOWN_FIELDS = set(_STRING_FIELDS + _OPTIONAL_STRING_FIELDS + _URL_LIST_FIELDS + _BOOL_FIELDS) | {"allowed_domains"}
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def _source_from_entry(entry: object, label: str) -> Source:
    if not isinstance(entry, dict):
        raise RegistryError(f"{label}: an entry must be a table")
    unknown = sorted(set(entry) - _KNOWN_FIELDS)
    if unknown:
        raise RegistryError(f"{label}: unknown field {unknown[0]!r}")
    values: dict = {}
    for key in _STRING_FIELDS:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RegistryError(f"{label}: field {key!r} is required and must be a non-empty string")
        values[key] = value.strip()
    for key in _OPTIONAL_STRING_FIELDS:
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise RegistryError(f"{label}: field {key!r} must be a string")
        values[key] = value or (None if key != "notes" else "")
    for key in _BOOL_FIELDS:
        value = entry.get(key, key == "enabled")
        if not isinstance(value, bool):
            raise RegistryError(f"{label}: field {key!r} must be true or false")
        values[key] = value
    domains = entry.get("allowed_domains")
    if not isinstance(domains, list) or not domains or not all(isinstance(d, str) and d for d in domains):
        raise RegistryError(f"{label}: field 'allowed_domains' must be a non-empty list of host names")
    values["allowed_domains"] = tuple(domain.lower() for domain in domains)
    for key in _URL_LIST_FIELDS:
        urls = entry.get(key, [])
        if not isinstance(urls, list) or not all(isinstance(url, str) for url in urls):
            raise RegistryError(f"{label}: field {key!r} must be a list of URLs")
        for url in urls:
            _check_url(url, key, label)
        values[key] = tuple(urls)
    _check_url(values["homepage"], "homepage", label)
    if not _NAME_RE.match(values["name"]):
        raise RegistryError(f"{label}: name must be lower-case letters, digits, '-', '_' or '.'")
    if values["kind"] not in SOURCE_KINDS:
        raise RegistryError(f"{label}: kind must be one of {', '.join(SOURCE_KINDS)}")
    if not (values["start_urls"] or values["feeds"] or values["sitemaps"]):
        raise RegistryError(f"{label}: needs at least one of start_urls, feeds, sitemaps")
    if values["article_url_pattern"]:
        try:
            re.compile(values["article_url_pattern"])
        except re.error as error:
            raise RegistryError(f"{label}: article_url_pattern is not a valid regex: {error}") from None
    if values["pagination"] and PAGE_PLACEHOLDER not in values["pagination"]:
        raise RegistryError(f"{label}: pagination must contain {PAGE_PLACEHOLDER}")
    source = Source(**values)
    for key in _URL_LIST_FIELDS:
        for url in values[key]:
            if not source.owns_host(urlsplit(url).hostname or ""):
                raise RegistryError(f"{label}: {key} URL {url} is outside allowed_domains")
    return source


def _check_url(url: str, key: str, label: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"{label}: {key} has a value that is not an http(s) URL: {url!r}")


def _split_extension(url: str) -> tuple[str, str]:
    """'https://x.vn/a/b.htm' -> ('https://x.vn/a/b', '.htm'); a URL without an extension keeps it whole."""
    trimmed = url.rstrip("/")
    match = re.search(r"(\.[A-Za-z0-9]{2,5})$", urlsplit(trimmed).path)
    if match:
        return trimmed[: -len(match.group(1))], match.group(1)
    return trimmed, ""
