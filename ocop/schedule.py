"""The schedule of crawls and digests: read from TOML, run in the foreground with APScheduler, or printed as crontab lines."""

from __future__ import annotations

import logging
import os
import shlex
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from ocop.errors import BadInput

log = logging.getLogger(__name__)

BUNDLED_CONFIG = "schedule.toml"
CRON_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
# A run that was due while the machine slept still starts if it is at most this late (coalesced into one run).
MISFIRE_GRACE_SECONDS = 3600
JOB_KEYS = {"name", "cron", "second", "args"}
TOP_KEYS = {"timezone", "job"}
# crontab counts weekdays from Sunday (0 and 7), APScheduler 3 from Monday: numbers are translated to names.
CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
SUNDAY_AS_SEVEN = 7
CRON_PERCENT = "\\%"  # crontab turns a bare % of a command into a newline


@dataclass(frozen=True)
class ScheduledJob:
    """One `ocop` command and when it runs."""

    name: str
    cron: str
    args: tuple[str, ...]
    second: str | None = None

    def trigger(self, timezone: ZoneInfo) -> CronTrigger:
        minute, hour, day, month, weekday = self.cron.split()
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=apscheduler_weekdays(weekday), second=self.second or "0", timezone=timezone)


@dataclass(frozen=True)
class Schedule:
    """The configured jobs and the time zone their times are in."""

    timezone: ZoneInfo
    jobs: tuple[ScheduledJob, ...]
    path: str


def _weekday_number(token: str) -> int:
    token = token.lower()
    if token[:3] in CRON_WEEKDAYS and not token.isdigit():
        return CRON_WEEKDAYS.index(token[:3])
    number = int(token)
    if not 0 <= number <= SUNDAY_AS_SEVEN:
        raise ValueError(f"day of week {token!r} is not 0-7")
    return number % SUNDAY_AS_SEVEN


def apscheduler_weekdays(field: str) -> str:
    """A crontab day-of-week field ("1-5", "0,6", "*/2", "mon") as the weekday names APScheduler reads the same way."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for item in field.split(","):
        span, _, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, len(CRON_WEEKDAYS) - 1
        elif "-" in span:
            start, end = span.split("-", 1)
            first, last = _weekday_number(start), _weekday_number(end)
            if end.strip() == str(SUNDAY_AS_SEVEN):
                last = SUNDAY_AS_SEVEN
        else:
            first = last = _weekday_number(span)
        if step < 1 or first > last:
            raise ValueError(f"day of week {item!r} is not a range crontab accepts")
        days.update(day % SUNDAY_AS_SEVEN for day in range(first, last + 1, step))
    return ",".join(CRON_WEEKDAYS[day] for day in sorted(days))


def load_schedule(path: str | Path | None = None) -> Schedule:
    """Read and check a schedule file (the bundled one when path is None); every mistake is one BadInput line."""
    if path is None:
        resource = files("ocop").joinpath(BUNDLED_CONFIG)
        text, where = resource.read_text(encoding="utf-8"), str(resource)
    else:
        try:
            text, where = Path(path).read_text(encoding="utf-8"), str(path)
        except OSError as error:
            raise BadInput(f"cannot read schedule {path}: {error.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"{where}: not valid TOML: {error}") from None
    if unknown := set(data) - TOP_KEYS:
        raise BadInput(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    try:
        timezone = ZoneInfo(str(data.get("timezone", "Asia/Ho_Chi_Minh")))
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"{where}: unknown timezone {data.get('timezone')!r}") from None
    entries = data.get("job", [])
    if not isinstance(entries, list) or not entries:
        raise BadInput(f"{where}: no [[job]] entries")
    jobs = tuple(_job(entry, where, timezone) for entry in entries)
    names = [job.name for job in jobs]
    if duplicates := {name for name in names if names.count(name) > 1}:
        raise BadInput(f"{where}: job name(s) used twice: {', '.join(sorted(duplicates))}")
    return Schedule(timezone=timezone, jobs=jobs, path=where)


def _job(entry: object, where: str, timezone: ZoneInfo) -> ScheduledJob:
    if not isinstance(entry, dict):
        raise BadInput(f"{where}: each [[job]] must be a table")
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise BadInput(f"{where}: a job has no name")
    if unknown := set(entry) - JOB_KEYS:
        raise BadInput(f"{where}: job {name!r}: unknown setting(s) {', '.join(sorted(unknown))}")
    args = entry.get("args")
    if not isinstance(args, list) or not args or not all(isinstance(arg, str) for arg in args):
        raise BadInput(f"{where}: job {name!r}: args must be a non-empty list of strings (the ocop arguments)")
    cron, second = entry.get("cron"), entry.get("second")
    if not isinstance(cron, str) or len(cron.split()) != len(CRON_FIELDS):
        raise BadInput(f"{where}: job {name!r}: cron must be 5 fields (minute hour day month weekday), got {cron!r}")
    job = ScheduledJob(name=name, cron=" ".join(cron.split()), args=tuple(args),
                       second=None if second is None else str(second))
    try:
        job.trigger(timezone)
    except ValueError as error:
        raise BadInput(f"{where}: job {name!r}: bad cron {cron!r}: {error}") from None
    return job


def ocop_command() -> list[str]:
    """How to run this very `ocop`: the console script beside this Python when there is one, else `python -m ocop`."""
    script = Path(sys.executable).with_name("ocop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ocop"]


def crontab_lines(schedule: Schedule, workdir: str | Path | None = None) -> list[str]:
    """Equivalent crontab lines: CRON_TZ, then one line per job, guarded by flock so that a job never overlaps itself."""
    workdir = Path(workdir or os.getcwd()).resolve()
    lines = [f"# ocop schedule from {schedule.path}", f"CRON_TZ={schedule.timezone.key}"]
    for job in schedule.jobs:
        if job.second is not None:
            raise BadInput(f"job {job.name!r} sets seconds ({job.second!r}), which crontab cannot express")
        lock = workdir / f".ocop-schedule-{job.name}.lock"
        command = f"cd {shlex.quote(str(workdir))} && {shlex.join(['flock', '-n', str(lock), *ocop_command(), *job.args])}"
        lines.append(f"{job.cron} {command.replace('%', CRON_PERCENT)}")
    return lines


def run_job(job: ScheduledJob) -> int:
    """Run one job's `ocop` command in a subprocess and log how it ended."""
    command = [sys.executable, "-m", "ocop", *job.args]
    log.info("job %s started: ocop %s", job.name, shlex.join(job.args))
    started = time.monotonic()
    returncode = subprocess.run(command, check=False).returncode
    level = logging.INFO if returncode == 0 else logging.WARNING
    log.log(level, "job %s finished: exit %d after %.1f s", job.name, returncode, time.monotonic() - started)
    return returncode


def build_scheduler(schedule: Schedule) -> BlockingScheduler:
    """A scheduler holding every job: one instance at a time, missed runs coalesced into one."""
    scheduler = BlockingScheduler(timezone=schedule.timezone)
    for job in schedule.jobs:
        scheduler.add_job(run_job, trigger=job.trigger(schedule.timezone), args=[job], id=job.name, name=job.name,
                          max_instances=1, coalesce=True, misfire_grace_time=MISFIRE_GRACE_SECONDS)
    return scheduler


def run_schedule(schedule: Schedule) -> None:
    """Run the schedule in the foreground until interrupted (Ctrl-C or SIGTERM); a job never overlaps itself."""
    scheduler = build_scheduler(schedule)

    def stop(signum: int, _frame: object) -> None:
        log.info("schedule stopping (%s)", signal.Signals(signum).name)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("schedule %s: %d job(s) in %s", schedule.path, len(schedule.jobs), schedule.timezone.key)
    now = datetime.now(schedule.timezone)
    for job in schedule.jobs:
        log.info("job %s (%s) first runs at %s", job.name, job.cron,
                 job.trigger(schedule.timezone).get_next_fire_time(None, now).isoformat(timespec="seconds"))
    scheduler.start()
