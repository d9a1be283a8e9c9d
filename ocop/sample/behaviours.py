"""Ready-made route hooks for the sample server: failures, redirects, slowness, truncation and legacy encodings."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator

from extract.encoding import encode_legacy
from ocop.sample.render import HTML
from ocop.sample.server import RouteHook, SampleRequest, SampleResponse


def fail_then_serve(failures: int, status: int = 500, retry_after_seconds: int | None = None) -> RouteHook:
    """Answer `status` to the first `failures` requests of the path (with Retry-After if given), then serve the page."""
    headers = {} if retry_after_seconds is None else {"Retry-After": str(retry_after_seconds)}

    def hook(request: SampleRequest) -> SampleResponse | None:
        if request.hit <= failures:
            return SampleResponse(status, f"<html><body>Lỗi {status}</body></html>".encode("utf-8"), headers=headers)
        return None
    return hook


def gzip_encoded() -> RouteHook:
    """Serve the page compressed with Content-Encoding: gzip, as most news sites do."""
    def hook(request: SampleRequest) -> SampleResponse | None:
        if request.resource is None:
            return None
        return SampleResponse(200, gzip.compress(request.resource.body), request.resource.content_type,
                              {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return hook


def redirect_to(location: str, status: int = 301) -> RouteHook:
    """Redirect every request of the path to `location` (a path or an absolute URL); chain hooks for a redirect chain."""
    def hook(request: SampleRequest) -> SampleResponse:
        return SampleResponse(status, b"", headers={"Location": location})
    return hook


def slow(seconds: float) -> RouteHook:
    """Serve the page as usual after waiting `seconds`."""
    def hook(request: SampleRequest) -> SampleResponse | None:
        if request.resource is None:
            return None
        return SampleResponse(200, request.resource.body, request.resource.content_type, delay=seconds)
    return hook


def truncated(fraction: float = 0.5) -> RouteHook:
    """Announce the page's full Content-Length but send only the first `fraction` of it, then close."""
    def hook(request: SampleRequest) -> SampleResponse | None:
        if request.resource is None:
            return None
        body = request.resource.body
        return SampleResponse(200, body[:int(len(body) * fraction)], request.resource.content_type,
                              declared_length=len(body))
    return hook


def huge(megabytes: int, chunk_kilobytes: int = 64) -> RouteHook:
    """Stream an HTML page of about `megabytes` MB (without Content-Length), to test size limits."""
    filler = ("<p>" + "Sản phẩm OCOP " * 40 + "</p>\n").encode("utf-8")
    chunk = filler * max(1, chunk_kilobytes * 1024 // len(filler))

    def chunks() -> Iterator[bytes]:
        yield b"<html><body>"
        for _ in range(megabytes * 1024 * 1024 // len(chunk) + 1):
            yield chunk
        yield b"</body></html>"

    def hook(request: SampleRequest) -> SampleResponse:
        return SampleResponse(200, chunks(), HTML)
    return hook


WINDOWS_1258 = ("cp1258", "windows-1258")


def reencoded(encoding: str, declare_in_header: bool = True) -> RouteHook:
    """Serve the page's text in another encoding ("cp1258", "utf-16", ...), declared in Content-Type or left to the page."""
    def hook(request: SampleRequest) -> SampleResponse | None:
        if request.resource is None:
            return None
        text = re.sub(r'charset=("?)utf-8', rf"charset=\g<1>{encoding}", request.resource.body.decode("utf-8"),
                      flags=re.IGNORECASE)
        body = encode_legacy(text, "windows-1258") if encoding.lower() in WINDOWS_1258 else text.encode(encoding)
        content_type = f"text/html; charset={encoding}" if declare_in_header else "text/html"
        return SampleResponse(200, body, content_type)
    return hook
