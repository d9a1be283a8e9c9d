"""The `ocop` command line: the root Typer app, its command groups, and the one place that turns errors into exit codes."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Optional

import typer

from ocop.errors import BadInput, WorkFailed

app = typer.Typer(
    name="ocop",
    help="OCOP news monitor: crawl Vietnamese news, extract OCOP facts, query the archive, write the digest.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
extract_app = typer.Typer(help="Extract articles, links and facts from saved pages (no network, no archive).", no_args_is_help=True)
eval_app = typer.Typer(help="Score the extractors against gold files.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the archive's schema.", no_args_is_help=True)
sources_app = typer.Typer(help="The source registry: list it, check it.", no_args_is_help=True)
app.add_typer(extract_app, name="extract")
app.add_typer(eval_app, name="eval")
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")

DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        envvar="OCOP_DATABASE_URL",
        help="Archive URL (any SQLAlchemy URL). Default: sqlite file ./data/ocop.sqlite3.",
        show_envvar=True,
    ),
]

LOG_FILE_ENV = "OCOP_LOG_FILE"
DEFAULT_LOG_FILE = Path("data") / "ocop.log"


def _report_bug(error: BaseException) -> None:
    """A bug gets its traceback in the log file, and one line on the user's screen."""
    log_path = Path(os.environ.get(LOG_FILE_ENV, DEFAULT_LOG_FILE))
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as log:
            traceback.print_exception(error, file=log)
        where = f" (traceback in {log_path})"
    except OSError:
        where = ""
    print(f"ocop: internal error: {type(error).__name__}: {error}{where}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: run a command and map every outcome to 0, 1 or 2."""
    logging.basicConfig(level=os.environ.get("OCOP_LOG_LEVEL", "WARNING"), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    _register_commands()
    try:
        exit_code = app(args=argv, prog_name="ocop", standalone_mode=False)  # Typer maps Ctrl-C in a command to 130
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        print("ocop: interrupted", file=sys.stderr)
        return 130
    except typer.TyperException as error:  # usage errors: unknown command, bad option value
        print(f"ocop: {error.format_message()}", file=sys.stderr)
        return error.exit_code
    except (BadInput, WorkFailed) as error:
        print(f"ocop: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("ocop: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the one place a bug is turned into a log entry and exit 1
        _report_bug(error)
        return 1
    return exit_code if isinstance(exit_code, int) else 0


def _register_commands() -> None:
    """Import the command modules; each adds its commands to the apps above."""
    from ocop.commands import (  # noqa: F401
        archive_cmds, article_cmds, crawl_cmds, demo_cmds, digest_cmds, facts_cmds,
    )


def run() -> None:
    sys.exit(main())
