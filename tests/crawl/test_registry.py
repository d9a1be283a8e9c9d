"""The source registry: the bundled file is valid and complete, a bad file gets one clear line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.registry import RegistryError, adhoc_source, choose_sources, load_registry, select_sources
from ocop.cli import main


GOOD_ENTRY = """
[[source]]
name = "mau"
title = "Báo mẫu"
homepage = "https://mau.example.vn/"
kind = "provincial"
allowed_domains = ["mau.example.vn"]
start_urls = ["https://mau.example.vn/ocop.htm"]
article_url_pattern = '-\\d+\\.htm$'
pagination = "{base}/trang-{page}{ext}"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_registry_has_the_outlets_that_report_on_ocop():
    sources = load_registry()
    names = {source.name for source in sources}
    assert len(sources) >= 15
    assert {"langngheviet", "baochinhphu", "nhandan", "vietnamplus", "nongnghiepmoitruong", "congthuong", "danviet",
            "vnexpress", "tuoitre", "thanhnien", "dantri", "laodong", "vov"} <= names
    assert {source.kind for source in sources} == {"national", "trade", "provincial"}
    for source in sources:
        assert not source.verified, f"{source.name} cannot have been verified from here"
        assert source.notes, f"{source.name} must say what is guessed"
        assert source.start_urls and source.article_url_pattern


def test_article_patterns_match_real_article_urls_and_not_sections():
    by_name = {source.name: source for source in load_registry()}
    # URL shapes of real articles of these outlets (2025-2026).
    assert by_name["vnexpress"].is_article_url("https://vnexpress.net/bien-dong-toan-cau-phu-bong-trien-vong-xuat-khau-5047055.html")
    assert by_name["dantri"].is_article_url("https://dantri.com.vn/kinh-doanh/1-trieu-usd-mua-duoc-bao-nhieu-vang-20260305092932706.htm")
    assert by_name["baochinhphu"].is_article_url("https://baochinhphu.vn/chinh-sach-moi-co-hieu-luc-tu-thang-3-2026-102260228093004191.htm")
    assert by_name["tuoitre"].is_article_url("https://tuoitre.vn/chien-su-day-gia-hoa-nhap-khau-dip-8-3-tang-manh-20260307075519174.htm")
    assert not by_name["dantri"].is_article_url("https://dantri.com.vn/kinh-doanh/trang-2.htm")
    assert not by_name["vnexpress"].is_article_url("https://vnexpress.net/kinh-doanh-p2")
    assert not by_name["vnexpress"].is_article_url("https://evil.example/x-5047055.html")


def test_pagination_template_builds_listing_pages(tmp_path):
    (source,) = load_registry(write(tmp_path, GOOD_ENTRY))
    assert source.page_url("https://mau.example.vn/ocop.htm", 2) == "https://mau.example.vn/ocop/trang-2.htm"
    assert source.is_article_url("https://mau.example.vn/san-pham-ocop-123.htm")
    assert source.owns_host("sub.mau.example.vn") and not source.owns_host("xmau.example.vn")


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace('kind = "provincial"', 'kind = "regional"'), "kind must be one of"),
    (lambda t: t.replace("title = ", "titel = "), "unknown field 'titel'"),
    (lambda t: t.replace("'-\\d+\\.htm$'", "'-(\\d+\\.htm$'"), "not a valid regex"),
    (lambda t: t.replace("https://mau.example.vn/ocop.htm", "https://khac.example.vn/ocop.htm"), "outside allowed_domains"),
    (lambda t: t.replace('"{base}/trang-{page}{ext}"', '"{base}/trang"'), "must contain {page}"),
    (lambda t: t + t, "duplicate name 'mau'"),
    (lambda t: t.replace('start_urls = ["https://mau.example.vn/ocop.htm"]', ""), "needs at least one of"),
    (lambda t: t.replace("[[source]]", "[[source]\n"), "not valid TOML"),
])
def test_a_bad_file_names_the_entry_and_the_problem(tmp_path, change, message):
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, change(GOOD_ENTRY)))
    text = str(caught.value)
    assert message in text and "\n" not in text
    assert str(tmp_path) in text


def test_select_and_choose_sources(tmp_path):
    path = write(tmp_path, GOOD_ENTRY)
    sources = load_registry(path)
    with pytest.raises(RegistryError, match="unknown source 'khac'"):
        select_sources(sources, ["khac"])
    # a --url on a known site is read with that source's rules, a --url elsewhere gets an ad-hoc source
    chosen = choose_sources(path, [], ["https://mau.example.vn/tag/ocop.htm", "http://127.0.0.1:8080/ocop/"])
    assert [s.name for s in chosen] == ["mau", "127.0.0.1"]
    assert chosen[0].start_urls == ("https://mau.example.vn/tag/ocop.htm",) and chosen[0].article_url_pattern
    assert chosen[1] == adhoc_source("http://127.0.0.1:8080/ocop/") and chosen[1].kind == "adhoc"


def run_ocop(capsys, *arguments: str) -> tuple[int, str, str]:
    """`ocop ARGS` in this process (the checks below end before any crawl starts)."""
    capsys.readouterr()
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_lists_the_registry_and_rejects_bad_input(tmp_path, capsys):
    code, out, err = run_ocop(capsys, "sources", "list", "--format", "csv")
    assert code == 0, err
    assert "langngheviet,trade,True,False" in out
    for arguments, expected in [
        (["sources", "list", "--sources-file", str(tmp_path / "missing.toml")], "sources file not found"),
        (["crawl", "--sources-file", str(tmp_path / "missing.toml")], "sources file not found"),
        (["crawl", "--source", "khong-co"], "unknown source 'khong-co'"),
        (["crawl", "--since", "2025-13-01"], "--since: not a date"),
        (["crawl", "--url", "ftp://127.0.0.1/x"], "not an http(s) URL"),
        (["crawl", "--seed"], "go with --distributed"),
    ]:
        code, _, err = run_ocop(capsys, *arguments)
        assert code == 2, (arguments, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], (arguments, err)


def test_a_url_whose_host_cannot_be_reached_is_bad_input(capsys):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run_ocop(capsys, "crawl", "--url", f"http://127.0.0.1:{port}/ocop/")
    assert code == 2
    assert re.fullmatch(r"ocop: --url: cannot reach 127\.0\.0\.1:\d+ \(.+\)\n", err)
