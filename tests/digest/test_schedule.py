"""The schedule: its TOML config, the crontab lines it prints, and the scheduler really running a job."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from ocop.cli import main
from ocop.schedule import apscheduler_weekdays, build_scheduler, load_schedule, ocop_command

REPO = Path(__file__).resolve().parents[2]
CONFIG = """
timezone = "Asia/Ho_Chi_Minh"

[[job]]
name = "crawl"
cron = "0 */6 * * *"
args = ["crawl"]

[[job]]
name = "digest"
cron = "0 7 * * 1"
args = ["digest", "--format", "html", "--out", "data/digests/ocop-{week}.html"]
"""


def write(tmp_path, text, name="schedule.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_print_cron(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["schedule", "--print-cron", "--config", str(write(tmp_path, CONFIG))]) == 0
    lines = capsys.readouterr().out.splitlines()
    ocop = " ".join(ocop_command())
    assert lines[1:] == [
        "CRON_TZ=Asia/Ho_Chi_Minh",
        f"0 */6 * * * cd {tmp_path} && flock -n {tmp_path}/.ocop-schedule-crawl.lock {ocop} crawl",
        f"0 7 * * 1 cd {tmp_path} && flock -n {tmp_path}/.ocop-schedule-digest.lock {ocop} digest --format html "
        "--out 'data/digests/ocop-{week}.html'",
    ]
    assert lines[0].startswith("# ocop schedule from ")


def test_the_bundled_schedule_crawls_every_six_hours_and_digests_on_monday_morning(capsys):
    assert main(["schedule", "--print-cron"]) == 0
    out = capsys.readouterr().out
    assert "CRON_TZ=Asia/Ho_Chi_Minh" in out
    assert any(line.startswith("0 */6 * * * ") and line.endswith(" crawl") for line in out.splitlines())
    assert any(line.startswith("0 7 * * 1 ") and " digest " in line for line in out.splitlines())


@pytest.mark.parametrize("field, names", [
    ("1", "mon"), ("0", "sun"), ("7", "sun"), ("1-5", "mon,tue,wed,thu,fri"), ("5-7", "sun,fri,sat"),
    ("*/2", "sun,tue,thu,sat"), ("mon,wed", "mon,wed"), ("sat-sun", None), ("*", "*"),
])
def test_crontab_weekdays_become_apscheduler_names(field, names):
    if names is None:
        with pytest.raises(ValueError):
            apscheduler_weekdays(field)
    else:
        assert apscheduler_weekdays(field) == names


def test_monday_means_monday_for_the_scheduler(tmp_path):
    schedule = load_schedule(write(tmp_path, CONFIG))
    digest = next(job for job in schedule.jobs if job.name == "digest")
    saturday = datetime(2026, 11, 28, 12, tzinfo=schedule.timezone)
    assert digest.trigger(schedule.timezone).get_next_fire_time(None, saturday) == datetime(
        2026, 11, 30, 7, tzinfo=schedule.timezone)


def test_jobs_never_overlap_themselves(tmp_path):
    scheduler = build_scheduler(load_schedule(write(tmp_path, CONFIG)))
    jobs = scheduler.get_jobs()
    assert [job.id for job in jobs] == ["crawl", "digest"]
    assert all(job.max_instances == 1 and job.coalesce for job in jobs)


@pytest.mark.parametrize("text, words", [
    ("timezone = \n", "not valid TOML"),
    ("timezone = 'Asia/Nowhere'\n[[job]]\nname='a'\ncron='* * * * *'\nargs=['crawl']\n", "unknown timezone"),
    ("timezone = 'UTC'\n", "no [[job]]"),
    ("[[job]]\nname='a'\ncron='0 7 * *'\nargs=['crawl']\n", "5 fields"),
    ("[[job]]\nname='a'\ncron='61 7 * * *'\nargs=['crawl']\n", "bad cron"),
    ("[[job]]\nname='a'\ncron='0 7 * * 9'\nargs=['crawl']\n", "bad cron"),
    ("[[job]]\nname='a'\ncron='0 7 * * *'\nargs='crawl'\n", "args must be"),
    ("[[job]]\nname='a'\ncron='0 7 * * *'\nargs=['crawl']\nevery='day'\n", "unknown setting"),
    ("[[job]]\nname='a'\ncron='0 7 * * *'\nargs=['crawl']\n[[job]]\nname='a'\ncron='0 8 * * *'\nargs=['crawl']\n",
     "used twice"),
])
def test_bad_config_is_bad_input(tmp_path, capsys, text, words):
    assert main(["schedule", "--print-cron", "--config", str(write(tmp_path, text))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


def test_missing_config_is_bad_input(tmp_path, capsys):
    assert main(["schedule", "--config", str(tmp_path / "none.toml")]) == 2
    assert "cannot read schedule" in capsys.readouterr().err


def test_crontab_cannot_run_every_second(tmp_path, capsys):
    config = write(tmp_path, "[[job]]\nname='ping'\ncron='* * * * *'\nsecond='*'\nargs=['--help']\n")
    assert main(["schedule", "--print-cron", "--config", str(config)]) == 2
    assert "crontab cannot express" in capsys.readouterr().err


SCHEDULER_RUN_LIMIT = 30  # seconds: the job is due every second, so it runs within the first few


def test_the_scheduler_runs_an_ocop_job_in_a_subprocess(tmp_path):
    config = write(tmp_path, "[[job]]\nname='ping'\ncron='* * * * *'\nsecond='*'\nargs=['--help']\n")
    out_path, err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out_path.open("w") as out, err_path.open("w") as err:
        process = subprocess.Popen([sys.executable, "-m", "ocop", "schedule", "--config", str(config)], cwd=tmp_path,
                                   stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONPATH": str(REPO)})
        try:
            deadline = time.monotonic() + SCHEDULER_RUN_LIMIT
            while time.monotonic() < deadline and process.poll() is None:
                if err_path.read_text().count("job ping finished: exit 0") >= 2:
                    break
                time.sleep(0.2)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=SCHEDULER_RUN_LIMIT)
    log = err_path.read_text()
    assert process.returncode == 0, log
    assert "job ping started: ocop --help" in log
    assert log.count("job ping finished: exit 0") >= 2
    assert "Usage: ocop" in out_path.read_text()  # the job's own output


def test_percent_signs_are_escaped_for_crontab(tmp_path, capsys):
    config = write(tmp_path, "[[job]]\nname='crawl'\ncron='0 1 * * *'\n"
                             "args=['crawl', '--db', 'postgresql://ocop:p%40ss@127.0.0.1/ocop']\n")
    assert main(["schedule", "--print-cron", "--config", str(config)]) == 0
    line = capsys.readouterr().out.splitlines()[-1]
    assert line.endswith(r"crawl --db postgresql://ocop:p\%40ss@127.0.0.1/ocop")
