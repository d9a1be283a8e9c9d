"""Vietnamese date lines and machine-readable timestamps -> aware datetimes in Vietnam time (never the clock)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DAY_FIRST = "DMY"
MONTH_FIRST = "MDY"

# A two-digit year ("24/12/12") is read in this century: the archive holds no page older than 2000.
CENTURY = 2000

# The numeric date of a date line: 27/10/2025, 7-3-2026, 24/12/12, 2026/03/07 is handled as ISO below.
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?!\d)")
# "ngày 5 tháng 10 năm 2025" (the written form).
_WORDED_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,|\s)\s*(?:năm\s+)?(\d{4})(?!\d)", re.IGNORECASE)
# A clock time: 10:09, 08:06:30, 10h09 (the Vietnamese way), then an optional period word.
_CLOCK = re.compile(
    r"(?<![\d:])(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?::(\d{2}))?(?![\d:])"
    r"(?:\s*(am|pm|sáng|trưa|chiều|tối|đêm)(?!\w))?",
    re.IGNORECASE,
)
# An explicit offset on a date line: "GMT+7", "(GMT+07:00)", "UTC+7".
_OFFSET = re.compile(r"(?:GMT|UTC)\s*([+\-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
# Machine-readable timestamps: ISO 8601 and its common misspellings ("2026-03-07 08:07",
# "2026-03-07T08:52:11.000 +07:00", "2026-03-07T00:01:00" without an offset).
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T\s]+(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+\-]\d{2}:?\d{2}|[+\-]\d{2})?\s*$",
    re.IGNORECASE,
)
# Words of a relative date line ("3 giờ trước", "hôm qua"): only these go to dateparser with the fetch time.
_RELATIVE_HINT = re.compile(r"trước|hôm qua|hôm nay|vừa xong|ago|yesterday|today", re.IGNORECASE)

# Hours of the day periods: "11:05 tối" is 23:05, "04:00 chiều" is 16:00, "12:30 sáng" is 00:30.
_AFTERNOON_WORDS = {"pm", "chiều", "tối"}
_MORNING_WORDS = {"am", "sáng"}
_NIGHT_WORD = "đêm"
_NOON_WORD = "trưa"
# "11 giờ đêm" is 23:00 but "2 giờ đêm" is 02:00: night hours from this one on are evening hours.
_FIRST_EVENING_NIGHT_HOUR = 6
# "1 giờ trưa" is 13:00, "11 giờ trưa" is 11:00: noon hours below this one are after midday.
_LAST_AFTER_NOON_HOUR = 5

_DATEPARSER_SETTINGS = {
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "PREFER_DATES_FROM": "past",
}


@lru_cache(maxsize=16)
def dateparser_for(date_order: str, relative_base: datetime | None) -> DateDataParser:
    """The one dateparser configuration of the project (vi, Vietnam time), per date order and fetch time."""
    settings = dict(_DATEPARSER_SETTINGS, DATE_ORDER=date_order)
    if relative_base is not None:
        settings["RELATIVE_BASE"] = relative_base
    return DateDataParser(languages=["vi"], settings=settings)


def to_vietnam_time(moment: datetime) -> datetime:
    """An aware moment in Vietnam time; a naive one is taken as Vietnam time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(VIETNAM)


def parse_timestamp(value: object) -> datetime | None:
    """A machine-readable timestamp (JSON-LD, meta, time@datetime); without an offset it is Vietnam time."""
    if not isinstance(value, str):
        return None
    match = _ISO.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    zone = _offset_zone(offset)
    return to_vietnam_time(moment.replace(tzinfo=zone) if zone else moment)


def parse_date_line(text: object, *, fetched_at: datetime | None = None, date_order: str = DAY_FIRST) -> datetime | None:
    """A visible date line ("Thứ hai, 27/10/2025 - 10:09", "3 giờ trước") in Vietnam time, or None.

    Numeric lines are read by fast patterns; relative and worded lines go to dateparser, relative ones only
    when the fetch time is known (they are relative to it, never to the clock)."""
    if not isinstance(text, str) or not text.strip():
        return None
    line = " ".join(text.split())
    if len(line) > 200:  # a date line is short; a paragraph is not a date line
        return None
    found = parse_timestamp(line) or _numeric_date_line(line, date_order)
    if found is not None:
        return found
    if _RELATIVE_HINT.search(line):
        if fetched_at is None:
            return None
        base = to_vietnam_time(fetched_at).replace(tzinfo=None)
        return _with_dateparser(line, date_order, base)
    return _with_dateparser(line, date_order, None)


def _numeric_date_line(line: str, date_order: str) -> datetime | None:
    date_match = _NUMERIC_DATE.search(line) or _WORDED_DATE.search(line)
    if not date_match:
        return None
    first, second, year_text = (int(part) for part in date_match.groups())
    day, month = (second, first) if date_order == MONTH_FIRST and date_match.re is _NUMERIC_DATE else (first, second)
    year = year_text + CENTURY if year_text < 100 else year_text
    rest = line[: date_match.start()] + " " + line[date_match.end():]
    hour = minute = second_of_minute = 0
    clock = _CLOCK.search(rest)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        second_of_minute = int(clock.group(3) or 0)
        hour = _hour_of_day(hour, (clock.group(4) or "").lower())
    try:
        moment = datetime(year, month, day, hour, minute, second_of_minute)
    except ValueError:
        return None
    offset = _OFFSET.search(line)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return to_vietnam_time(moment.replace(tzinfo=timezone(delta if sign == "+" else -delta)))
    return moment.replace(tzinfo=VIETNAM)


def _hour_of_day(hour: int, period: str) -> int:
    if period in _AFTERNOON_WORDS and hour < 12:
        return hour + 12
    if period in _MORNING_WORDS and hour == 12:
        return 0
    if period == _NIGHT_WORD and _FIRST_EVENING_NIGHT_HOUR <= hour < 12:
        return hour + 12
    if period == _NOON_WORD and hour <= _LAST_AFTER_NOON_HOUR:
        return hour + 12
    return hour


def _with_dateparser(line: str, date_order: str, relative_base: datetime | None) -> datetime | None:
    try:
        parsed = dateparser_for(date_order, relative_base).get_date_data(line).date_obj
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd text; a date line is optional
        return None
    return to_vietnam_time(parsed) if parsed is not None else None


def _offset_zone(offset: str | None) -> timezone | None:
    if not offset:
        return None
    if offset.upper() == "Z":
        return timezone.utc
    sign = 1 if offset[0] == "+" else -1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
