"""ISO weeks of the digest: parsing `YYYY-Www`, the last complete week, and a week's bounds in Vietnam's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ocop.errors import BadInput

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK_PATTERN = re.compile(r"(?P<year>\d{4})-W(?P<week>\d{2})")
DAYS_IN_WEEK = 7


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO 8601 week (Monday to Sunday)."""

    year: int
    week: int

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return date.fromisocalendar(self.year, self.week, DAYS_IN_WEEK)

    @property
    def start(self) -> datetime:
        """Monday 00:00 in Asia/Ho_Chi_Minh (inclusive)."""
        return datetime.combine(self.monday, time.min, tzinfo=VIETNAM)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 in Asia/Ho_Chi_Minh (exclusive)."""
        return self.start + timedelta(days=DAYS_IN_WEEK)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)


def parse_week(text: str) -> IsoWeek:
    """`2026-W05` -> IsoWeek(2026, 5); anything else, or a week the year does not have, is BadInput."""
    match = WEEK_PATTERN.fullmatch(text.strip())
    if match is None:
        raise BadInput(f"malformed --week {text!r}: expected YYYY-Www, e.g. 2026-W05")
    year, week = int(match["year"]), int(match["week"])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise BadInput(f"--week {text!r}: {year} has no ISO week {week}") from None
    return IsoWeek(year, week)


def last_complete_week(now: datetime | None = None) -> IsoWeek:
    """The last Monday-to-Sunday week that has ended, by the calendar of Asia/Ho_Chi_Minh."""
    today = (now or datetime.now(VIETNAM)).astimezone(VIETNAM).date()
    return IsoWeek.containing(today - timedelta(days=DAYS_IN_WEEK))
