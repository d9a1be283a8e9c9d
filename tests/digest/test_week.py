"""ISO week parsing, the default week and a week's bounds in Vietnam's time zone."""

from datetime import date, datetime, timezone

import pytest

from ocop.cli import main
from ocop.digest.week import VIETNAM, IsoWeek, last_complete_week, parse_week
from ocop.errors import BadInput


@pytest.mark.parametrize("text, monday, sunday", [
    ("2026-W01", date(2025, 12, 29), date(2026, 1, 4)),    # week 1 starts in the previous year
    ("2026-W47", date(2026, 11, 16), date(2026, 11, 22)),
    ("2026-W53", date(2026, 12, 28), date(2027, 1, 3)),    # 2026 has 53 ISO weeks
    ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
])
def test_parse_week(text, monday, sunday):
    week = parse_week(text)
    assert (week.monday, week.sunday, str(week)) == (monday, sunday, text)


@pytest.mark.parametrize("text", ["2025-W53", "2026-W60", "2026-W00", "26w3", "2026-W5", "2026W05", "2026-05", ""])
def test_malformed_or_missing_week_is_bad_input(text):
    with pytest.raises(BadInput):
        parse_week(text)


@pytest.mark.parametrize("text", ["2026-W60", "26w3", "2025-W53"])
def test_cli_rejects_a_bad_week_in_one_line(text, capsys, tmp_path):
    assert main(["digest", "--week", text, "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and text in err
    assert not (tmp_path / "a.sqlite3").exists()  # refused before the archive is opened


def test_week_bounds_are_vietnamese_midnights():
    week = parse_week("2026-W47")
    assert week.start == datetime(2026, 11, 16, tzinfo=VIETNAM)
    assert week.end == datetime(2026, 11, 23, tzinfo=VIETNAM)
    assert week.start.astimezone(timezone.utc) == datetime(2026, 11, 15, 17, tzinfo=timezone.utc)


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 11, 23, 0, 30, tzinfo=VIETNAM), "2026-W47"),   # Monday just after midnight: last week is done
    (datetime(2026, 11, 22, 23, 30, tzinfo=VIETNAM), "2026-W46"),  # Sunday night: this week is not complete yet
    (datetime(2026, 11, 22, 17, 30, tzinfo=timezone.utc), "2026-W47"),  # already Monday 00:30 in Vietnam
    (datetime(2027, 1, 5, 12, tzinfo=VIETNAM), "2026-W53"),         # across the year boundary
])
def test_last_complete_week(now, expected):
    assert str(last_complete_week(now)) == expected


def test_weeks_order_and_contain_their_days():
    assert IsoWeek.containing(date(2027, 1, 3)) == IsoWeek(2026, 53) < IsoWeek(2027, 1)
