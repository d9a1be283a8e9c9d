"""The loopback server of the offline sample: every site on its own free port, with validators, a request log, pluggable routes and runtime edits.

In tests::

    with serve_sample() as sites:
        sites.url("baonongthon", "/ocop/")          # "http://127.0.0.1:41234/ocop/"
        sites.route("baonongthon", "/ocop/", fail_then_serve(2))
        sites.requests("baonongthon")               # what was asked, with status and headers

As a process: ``python -m ocop.sample.server [--sources-out FILE]`` prints "name base-url" lines, writes a
source registry for the live ports and serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from ocop.sample.content import SampleArticle, SampleSite, load_sites
from ocop.sample.render import HTML, Resource, render_site
from ocop.sample.sources import render_sources

LOOPBACK = "127.0.0.1"
ANY_FREE_PORT = 0
CACHE_MAX_AGE_SECONDS = 60   # what a news CMS typically tells caches; validators still decide freshness
# Fixed ports for runs that must see the same URLs each time (a second `ocop demo` must find the articles it
# archived before, and an article's URL includes the port). Tests use free ports instead.
STABLE_PORTS = {"baonongthon": 18761, "langnghe": 18762, "tindanang": 18763}
NOT_FOUND_PAGE = "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>".encode("utf-8")
SHUTDOWN_POLL_SECONDS = 0.05  # how often a serving loop checks for stop: short, so tests stop the sample at once


@dataclass(frozen=True)
class SampleRequest:
    """What a route hook sees: the request, how often this path was asked before, and the page normally served there."""

    site: str
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    hit: int
    resource: Resource | None


@dataclass(frozen=True)
class SampleResponse:
    """What a route hook answers. `body` may be an iterable of chunks (sent without Content-Length, then closed);
    `declared_length` announces a Content-Length other than the body's (a truncated response); `delay` waits first."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str = HTML
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    declared_length: int | None = None


RouteHook = Callable[[SampleRequest], "SampleResponse | None"]


@dataclass(frozen=True)
class LoggedRequest:
    """One request a site answered: method, path with query, status, and every request header (names lower-cased)."""

    method: str
    target: str
    status: int
    headers: Mapping[str, str]
    at: datetime

    @property
    def path(self) -> str:
        """The path without its query."""
        return urlsplit(self.target).path


class _SiteState:
    """One running site: its content, rendered resources, routes and request log, guarded by one lock."""

    def __init__(self, site: SampleSite) -> None:
        self.site = site
        self.base = ""
        self.resources: dict[str, Resource] = {}
        self.routes: dict[str, RouteHook] = {}
        self.log: list[LoggedRequest] = []
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        resources = render_site(self.site, self.base)
        with self.lock:
            self.resources = resources

    def lookup(self, path: str, query: str) -> Resource | None:
        with self.lock:
            if query and f"{path}?{query}" in self.resources:
                return self.resources[f"{path}?{query}"]
            return self.resources.get(path)


def _not_modified(request_headers: Mapping[str, str], resource: Resource) -> bool:
    """True when the client's validators show it already holds this version (RFC 9110 §13.2.2 order)."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or resource.etag in tags
    if_modified_since = request_headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        return resource.last_modified.replace(microsecond=0) <= since
    return False


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def _handler_for(state: _SiteState) -> type[BaseHTTPRequestHandler]:
    class SiteHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "OcopSample/1.0"
        # Headers and body go out in two writes; with Nagle's algorithm on, the body of a kept-alive connection
        # waits for the client's delayed ACK (some 40 ms), which made fetching from this server latency-bound.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the request log is the record
            pass

        def _answer(self, send_body: bool) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            response = self._choose(headers)
            with state.lock:  # logged before sending, so a client that has its answer finds it in the log
                state.log.append(LoggedRequest(self.command, self.path, response.status, headers,
                                               datetime.now(timezone.utc)))
            self._send(response, send_body)

        def _choose(self, headers: dict[str, str]) -> SampleResponse:
            parts = urlsplit(self.path)
            resource = state.lookup(parts.path, parts.query)
            with state.lock:
                hook = state.routes.get(parts.path)
                state.hits[parts.path] += 1
                hit = state.hits[parts.path]
            if hook is not None:
                try:
                    response = hook(SampleRequest(state.site.name, self.command, parts.path, parts.query,
                                                  headers, hit, resource))
                except Exception:  # noqa: BLE001 - a broken hook shows as a 500 with its traceback, not a hang-up
                    return SampleResponse(500, traceback.format_exc().encode("utf-8"), "text/plain; charset=utf-8")
                if response is not None:
                    return response
            if resource is None:
                return SampleResponse(404, NOT_FOUND_PAGE)
            validators = {"ETag": resource.etag, "Last-Modified": _http_date(resource.last_modified)}
            if _not_modified(headers, resource):
                return SampleResponse(304, b"", headers=validators)
            return SampleResponse(200, resource.body, resource.content_type,
                                  {**validators, "Cache-Control": f"max-age={CACHE_MAX_AGE_SECONDS}"})

        def _send(self, response: SampleResponse, send_body: bool) -> None:
            if response.delay:
                time.sleep(response.delay)
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.status == HTTPStatus.NOT_MODIFIED:  # no body, so neither Content-Type nor Content-Length
                self.end_headers()
                return
            self.send_header("Content-Type", response.content_type)
            if isinstance(response.body, bytes):
                length = len(response.body) if response.declared_length is None else response.declared_length
                self.send_header("Content-Length", str(length))
                if length != len(response.body):
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if send_body:
                    self.wfile.write(response.body)
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                if send_body:
                    for chunk in response.body:
                        self.wfile.write(chunk)

    return SiteHandler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up early (a crawler's timeout, a test's truncated read) is not an error here."""


class SampleSites:
    """The running sample: one loopback server per site, addressed by site name."""

    def __init__(self, sites: Iterable[SampleSite] | None = None, ports: Mapping[str, int] | None = None) -> None:
        self._states = {site.name: _SiteState(site) for site in (sites or load_sites())}
        self._ports = dict(ports or {})
        self._servers: list[tuple[_QuietServer, threading.Thread]] = []

    def start(self) -> SampleSites:
        """Bind every site to its loopback port (a free one unless `ports` names one) and serve it from its own thread."""
        for state in self._states.values():
            port = self._ports.get(state.site.name, ANY_FREE_PORT)
            try:
                server = _QuietServer((LOOPBACK, port), _handler_for(state))
            except OSError as error:
                self.stop()
                raise OSError(f"cannot serve sample site {state.site.name} on {LOOPBACK}:{port}: {error.strerror}") from error
            state.base = f"http://{LOOPBACK}:{server.server_address[1]}"
            state.rebuild()
            thread = threading.Thread(target=server.serve_forever, args=(SHUTDOWN_POLL_SECONDS,),
                                      name=f"sample-{state.site.name}", daemon=True)
            thread.start()
            self._servers.append((server, thread))
        return self

    def stop(self) -> None:
        """Stop serving and free the ports."""
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join()
        self._servers.clear()

    def __enter__(self) -> SampleSites:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def names(self) -> tuple[str, ...]:
        """The site names."""
        return tuple(self._states)

    @property
    def bases(self) -> dict[str, str]:
        """Each site's base URL, without the trailing slash."""
        return {name: state.base for name, state in self._states.items()}

    def site(self, name: str) -> SampleSite:
        """A site's current content (after runtime edits)."""
        return self._state(name).site

    def url(self, name: str, path: str = "/") -> str:
        """The absolute URL of `path` on a site."""
        return self._state(name).base + path

    def article_url(self, name: str, article_id: int) -> str:
        """The absolute URL of one article of a site."""
        site = self.site(name)
        return self.url(name, site.article_path(_find(site, article_id)))

    def resources(self, name: str) -> dict[str, Resource]:
        """What a site serves right now, keyed by path (with query where the layout uses one)."""
        state = self._state(name)
        with state.lock:
            return dict(state.resources)

    def requests(self, name: str) -> list[LoggedRequest]:
        """The requests a site answered, oldest first."""
        state = self._state(name)
        with state.lock:
            return list(state.log)

    def clear_requests(self, name: str | None = None) -> None:
        """Forget the request log (and hit counts) of one site, or of all."""
        for state in [self._state(name)] if name else self._states.values():
            with state.lock:
                state.log.clear()
                state.hits.clear()

    def route(self, name: str, path: str, hook: RouteHook) -> None:
        """Let `hook` answer requests for `path` on a site; when it returns None the normal page is served."""
        state = self._state(name)
        with state.lock:
            state.routes[path] = hook

    def unroute(self, name: str, path: str) -> None:
        """Remove a route hook."""
        state = self._state(name)
        with state.lock:
            state.routes.pop(path, None)

    def put_article(self, name: str, article: SampleArticle) -> str:
        """Add an article to a site (or replace the one with its id); listings, feed and sitemaps follow. Returns its URL."""
        state = self._state(name)
        others = tuple(a for a in state.site.articles if a.id != article.id)
        state.site = dataclasses.replace(state.site, articles=(*others, article))
        state.rebuild()
        return self.url(name, state.site.article_path(article))

    def update_article(self, name: str, article_id: int, **changes) -> str:
        """Change fields of an article (modified defaults to now); returns its URL."""
        article = _find(self.site(name), article_id)
        changes.setdefault("modified", datetime.now(timezone.utc).astimezone())
        return self.put_article(name, dataclasses.replace(article, **changes))

    def sources_toml(self) -> str:
        """The sample's source registry for the live ports."""
        return render_sources(self.bases)

    def write_sources(self, path: Path) -> None:
        """Write the source registry for the live ports to `path`."""
        Path(path).write_text(self.sources_toml(), encoding="utf-8")

    def _state(self, name: str) -> _SiteState:
        try:
            return self._states[name]
        except KeyError:
            raise KeyError(f"no sample site {name!r}; there are {sorted(self._states)}") from None


def _find(site: SampleSite, article_id: int) -> SampleArticle:
    for article in site.articles:
        if article.id == article_id:
            return article
    raise KeyError(f"site {site.name} has no article {article_id}")


@contextmanager
def serve_sample(sites: Iterable[SampleSite] | None = None,
                 ports: Mapping[str, int] | None = None) -> Iterator[SampleSites]:
    """Serve the sample (or the given sites) on loopback for the duration of a with-block; `ports` fixes a site's
    port (STABLE_PORTS keeps URLs the same across runs), the others get free ones."""
    with SampleSites(sites, ports) as running:
        yield running


def main(argv: list[str] | None = None) -> int:
    """Serve the sample until SIGINT or SIGTERM, after printing each site's base URL."""
    parser = argparse.ArgumentParser(prog="python -m ocop.sample.server", description=main.__doc__)
    parser.add_argument("--sources-out", type=Path, help="write a source registry for the live ports to this file")
    parser.add_argument("--stable-ports", action="store_true",
                        help=f"serve on the fixed ports {sorted(STABLE_PORTS.values())} instead of free ones")
    options = parser.parse_args(argv)
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    sites = SampleSites(ports=STABLE_PORTS if options.stable_ports else None)
    try:
        sites.start()
    except OSError as error:
        print(f"ocop.sample.server: {error}", file=sys.stderr)
        return 2
    try:
        if options.sources_out:
            sites.write_sources(options.sources_out)
        for name, base in sites.bases.items():
            print(name, base + "/", flush=True)
        stop.wait()
    finally:
        sites.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
