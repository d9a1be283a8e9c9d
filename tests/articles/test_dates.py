"""Vietnamese date lines and machine timestamps: numeric lines, period words, offsets, relative dates, orders."""

from datetime import datetime, timedelta, timezone

import pytest

from extract.dates import MONTH_FIRST, parse_date_line, parse_timestamp

VIETNAM = timezone(timedelta(hours=7))
FETCHED = datetime(2025, 10, 27, 12, 0, tzinfo=VIETNAM)


@pytest.mark.parametrize("line, expected", [
    ("Thứ hai, 27/10/2025 - 10:09", datetime(2025, 10, 27, 10, 9)),
    ("12:48 | 26/10/2025", datetime(2025, 10, 26, 12, 48)),
    ("Chủ nhật, 5/10/2025, 07:25 (GMT+7)", datetime(2025, 10, 5, 7, 25)),
    ("07-03-2026 - 00:01 AM", datetime(2026, 3, 7, 0, 1)),
    ("07/03/2026 08:06 GMT+7", datetime(2026, 3, 7, 8, 6)),
    (" - 07/03/2026 08:47", datetime(2026, 3, 7, 8, 47)),
    ("Thứ Hai, 24/12/2012, 03:04 AM (GMT+7)", datetime(2012, 12, 24, 3, 4)),
    ("Cập nhật thứ hai, ngày 24/12/12 11:05 tối", datetime(2012, 12, 24, 23, 5)),
    ("30/11/12 04:00 chiều", datetime(2012, 11, 30, 16, 0)),
    ("15:20 PM 12/3/2012", datetime(2012, 3, 12, 15, 20)),
    ("10h09 ngày 27/10/2025", datetime(2025, 10, 27, 10, 9)),
    ("ngày 5 tháng 10 năm 2025", datetime(2025, 10, 5, 0, 0)),
    ("Cập nhật lúc 08:15, Thứ năm, 20/11/2026", datetime(2026, 11, 20, 8, 15)),
    ("12:30 sáng 1/2/2024", datetime(2024, 2, 1, 0, 30)),
])
def test_numeric_date_lines_are_day_first_in_vietnam_time(line, expected):
    moment = parse_date_line(line, fetched_at=FETCHED)
    assert moment == expected.replace(tzinfo=VIETNAM)
    assert moment.isoformat().endswith("+07:00")


def test_an_explicit_other_offset_is_converted_to_vietnam_time():
    assert parse_date_line("01/03/2026 09:51 GMT+0") == datetime(2026, 3, 1, 16, 51, tzinfo=VIETNAM)


def test_relative_lines_count_back_from_the_fetch_time_never_the_clock():
    assert parse_date_line("3 giờ trước", fetched_at=FETCHED) == datetime(2025, 10, 27, 9, 0, tzinfo=VIETNAM)
    assert parse_date_line("5 phút trước", fetched_at=FETCHED) == datetime(2025, 10, 27, 11, 55, tzinfo=VIETNAM)
    fetched_in_utc = datetime(2025, 10, 27, 5, 0, tzinfo=timezone.utc)  # 12:00 in Vietnam
    assert parse_date_line("3 giờ trước", fetched_at=fetched_in_utc) == datetime(2025, 10, 27, 9, 0, tzinfo=VIETNAM)
    assert parse_date_line("hôm qua", fetched_at=FETCHED).date() == datetime(2025, 10, 26).date()


def test_relative_lines_without_a_fetch_time_give_nothing():
    assert parse_date_line("3 giờ trước") is None


def test_a_month_first_site_is_read_month_first():
    assert parse_date_line("Published on 03-08-2011 01:00 AM", date_order=MONTH_FIRST) == \
        datetime(2011, 3, 8, 1, 0, tzinfo=VIETNAM)


@pytest.mark.parametrize("value, expected", [
    ("2026-03-07T00:01:00", datetime(2026, 3, 7, 0, 1)),                       # no offset: Vietnam time
    ("2026-03-07T08:52:11.000 +07:00", datetime(2026, 3, 7, 8, 52, 11)),      # a space before the offset
    ("2026-03-07 08:07", datetime(2026, 3, 7, 8, 7)),
    ("2026-03-07T01:06:00Z", datetime(2026, 3, 7, 8, 6)),
    ("2026-03-01T09:51:00+07:00", datetime(2026, 3, 1, 9, 51)),
    ("2025-10-20", datetime(2025, 10, 20)),
])
def test_machine_timestamps(value, expected):
    assert parse_timestamp(value) == expected.replace(tzinfo=VIETNAM)


@pytest.mark.parametrize("junk", ["", "   ", "không có ngày", "99/99/2025 10:00", "2026-13-45T00:00:00", None, 42,
                                  "x" * 500])
def test_junk_gives_nothing(junk):
    assert parse_date_line(junk, fetched_at=FETCHED) is None
    assert parse_timestamp(junk) is None
