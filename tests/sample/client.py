"""A small HTTP client for the sample tests that keeps status and headers and never follows redirects."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer: status, headers (names lower-cased) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
TIMEOUT_SECONDS = 10


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Fetched:
    """GET (or HEAD) a URL without following redirects; HTTP errors come back as answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return Fetched(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
