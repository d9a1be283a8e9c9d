"""The weekly digest and the schedule."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ocop.cli import app, DbOption
from ocop.commands import open_archive
from ocop.digest.model import DigestFormat, Language
from ocop.errors import BadInput, WorkFailed

WEEK_PLACEHOLDER = "{week}"


@app.command("digest")
def digest(
    week: Annotated[Optional[str], typer.Option(
        "--week", metavar="YYYY-Www",
        help="ISO week, e.g. 2026-W05. Default: the last complete week (Monday to Sunday, Asia/Ho_Chi_Minh).")] = None,
    digest_format: Annotated[DigestFormat, typer.Option(
        "--format", help="md, html (one self-contained page) or json (the shape is in docs/digest.md).")] = DigestFormat.md,
    out: Annotated[Optional[str], typer.Option(
        "--out", metavar="FILE", help="Write the digest to this file ({week} becomes the ISO week) instead of stdout.")] = None,
    language: Annotated[Language, typer.Option(
        "--lang", help="Language of the words and number formats: vi or en.")] = Language.vi,
    email: Annotated[Optional[list[str]], typer.Option(
        "--email", metavar="TO",
        help="Mail the digest to this address (repeatable) through the SMTP server of OCOP_SMTP_URL; "
             "then stdout stays quiet.")] = None,
    db: DbOption = None,
) -> None:
    """The weekly digest of OCOP facts: new certifications per province, totals, targets, budgets, every number cited."""
    from ocop.digest.gather import gather
    from ocop.digest.mail import mail_digest, settings_from_environment
    from ocop.digest.render import render
    from ocop.digest.week import last_complete_week, parse_week
    from storage import BadFilter

    chosen_week = parse_week(week) if week is not None else last_complete_week()
    smtp = settings_from_environment() if email else None
    archive = open_archive(db)
    try:
        week_digest = gather(archive, chosen_week)
    except BadFilter as error:
        raise WorkFailed(f"cannot read the archive: {error}") from None
    finally:
        archive.close()
    text = render(week_digest, digest_format, language)

    if out is not None:
        path = Path(out.replace(WEEK_PLACEHOLDER, str(chosen_week)))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise BadInput(f"cannot write {path}: {error.strerror}") from None
        logging.getLogger(__name__).info("digest %s written to %s", chosen_week, path)
    elif not email:
        sys.stdout.write(text)
    if email:
        mail_digest(week_digest, text, digest_format, language, email, smtp)


@app.command("schedule")
def schedule(
    print_cron: Annotated[bool, typer.Option("--print-cron", help="Print the schedule as crontab lines and exit.")] = False,
    config: Annotated[Optional[Path], typer.Option(
        "--config", metavar="FILE", envvar="OCOP_SCHEDULE", show_envvar=True,
        help="Schedule file (TOML). Default: the bundled ocop/schedule.toml.")] = None,
) -> None:
    """Run the configured schedule of crawls and digests in the foreground, or print it as crontab lines."""
    from ocop.schedule import crontab_lines, load_schedule, run_schedule

    configured = load_schedule(config)
    if print_cron:
        sys.stdout.write("\n".join(crontab_lines(configured)) + "\n")
        return
    logging.getLogger("ocop.schedule").setLevel(logging.INFO)  # APScheduler's own warnings (a skipped run) show too
    run_schedule(configured)
