"""The weekly digest, the schedule and the offline demo."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ocop.cli import app, DbOption
from ocop.commands import not_built, open_archive
from ocop.digest.render import DigestFormat, Language, render
from ocop.errors import BadInput, WorkFailed

WEEK_PLACEHOLDER = "{week}"


@app.command("digest")
def digest(
    week: Annotated[Optional[str], typer.Option(
        "--week", metavar="YYYY-Www", help="ISO week YYYY-Www (e.g. 2026-W05). Default: the last complete week, Asia/Ho_Chi_Minh.")] = None,
    fmt: Annotated[DigestFormat, typer.Option("--format", help="md, html (one self-contained page) or json.")] = DigestFormat.md,
    out: Annotated[Optional[str], typer.Option(
        "--out", metavar="FILE", help="Write the digest to this file ({week} becomes the ISO week) instead of stdout.")] = None,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the labels and number formats: vi or en.")] = Language.vi,
    email: Annotated[Optional[list[str]], typer.Option(
        "--email", metavar="TO", help="Send the digest to this address (repeatable) through the SMTP server of OCOP_SMTP_URL.")] = None,
    db: DbOption = None,
) -> None:
    """The weekly digest of OCOP facts: new certifications per province, totals, targets, budgets, every number cited."""
    from ocop.digest.gather import gather
    from ocop.digest.week import last_complete_week, parse_week

    chosen_week = parse_week(week) if week is not None else last_complete_week()
    digest_format, language = fmt, lang
    smtp = _smtp_settings() if email else None

    from storage import BadFilter
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
        _email_digest(week_digest, digest_format, language, text, email, smtp)


def _smtp_settings():
    import os

    from ocop.digest.mail import SMTP_URL_ENV, SmtpSettings
    return SmtpSettings.from_url(os.environ.get(SMTP_URL_ENV))


def _email_digest(week_digest, digest_format, language, text: str, recipients: list[str], smtp) -> None:
    """Mail the digest: Markdown as the text part, plus the HTML page as an alternative or the JSON as a file."""
    from ocop.digest.mail import build_message, send
    from ocop.digest.render import Wording

    markdown = text if digest_format is DigestFormat.md else render(week_digest, DigestFormat.md, language)
    message = build_message(
        smtp.sender, recipients, Wording(language.value).text("email_subject", week=str(week_digest.week)), markdown,
        html=text if digest_format is DigestFormat.html else None,
        attachment=(f"ocop-digest-{week_digest.week}.json", text.encode("utf-8"))
        if digest_format is DigestFormat.json else None)
    send(message, smtp)


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


@app.command("demo")
def demo() -> None:
    """Serve the bundled offline sample on loopback, crawl it into the default archive, print the facts per province."""
    not_built("demo")
