"""Site profiles are data: every file loads, every selector compiles, versions are chosen by layout and date."""

from datetime import datetime

import pytest

from extract.html import _compiled, split_attribute
from extract.profiles import SELECTOR_FIELDS, all_profiles, generic_rules, profile_for

PROFILES = sorted(all_profiles().values(), key=lambda profile: profile.name)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda profile: profile.name)
def test_every_profile_has_a_body_and_title_per_version_and_valid_selectors(profile):
    assert profile.versions
    for version in profile.versions:
        assert version.body and version.title
        for name in SELECTOR_FIELDS:
            for selector in getattr(version, name):
                css = split_attribute(selector)[0].split("::contains(")[0]
                assert _compiled(css) is not None, f"{profile.name}.{name}: {selector}"


def test_generic_selectors_compile():
    version = generic_rules().version
    for name in SELECTOR_FIELDS:
        for selector in getattr(version, name):
            assert _compiled(split_attribute(selector)[0]) is not None, selector


def test_profiles_are_found_by_domain_subdomain_or_name():
    assert profile_for("https://vnexpress.net/a-4951000.html").name == "vnexpress"
    assert profile_for("http://ione.vnexpress.net/tin-tuc/a.html").name == "vnexpress"
    assert profile_for("https://m.giadinh.net.vn/a-20140320020251890.htm").name == "giadinh"
    assert profile_for("http://127.0.0.1:8123/ocop/a-d1.html", "baonongthon").name == "baonongthon"
    assert profile_for("https://notvnexpress.net/a.html") is None
    assert profile_for("https://vnexpress.net/a.html", "generic") is None


def test_the_layout_in_force_at_the_fetch_time_is_tried_first():
    dantri = all_profiles()["dantri"]
    assert dantri.versions_for(datetime(2012, 12, 1))[0].until is not None
    assert dantri.versions_for(datetime(2026, 3, 7))[0].since.year == 2024

