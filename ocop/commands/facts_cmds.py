"""Commands over sentences: `ocop extract facts` (JSON lines in and out) and `ocop eval facts` (the scorer)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Optional

import typer

from extract.facts import FACTS_VERSION, extract_facts
from extract.scoring import FIGURES, Score, below_pinned
from ocop.cli import eval_app, extract_app
from ocop.commands import open_text, read_pinned
from ocop.errors import BadInput, WorkFailed

SHOWABLE = ("misses", "false", "disagreements")


def _json_lines(stream: IO[str], source: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; a line that is not a JSON object is bad input."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"{source}, line {number}: not valid JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise BadInput(f"{source}, line {number}: expected a JSON object")
        if not isinstance(row.get("text"), str):
            raise BadInput(f"{source}, line {number}: no \"text\" string")
        yield number, row


def _published_at(row: dict, source: str, number: int) -> datetime | None:
    value = row.get("published_at")
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise BadInput(f"{source}, line {number}: published_at is not an ISO 8601 date: {value!r}") from None


def _home_province(row: dict, source: str, number: int) -> str | None:
    value = row.get("home_province")
    if value is not None and not isinstance(value, str):
        raise BadInput(f"{source}, line {number}: home_province is not a string: {value!r}")
    return value or None


def _facts_of(row: dict, source: str, number: int) -> list[dict]:
    facts = extract_facts(row["text"], title=row.get("title"), url=row.get("url"), context=row.get("context"),
                          published_at=_published_at(row, source, number), home_province=_home_province(row, source, number))
    return [fact.to_json() for fact in facts]


@extract_app.command("facts")
def extract_facts_command(
    input_file: Optional[Path] = typer.Option(None, "--input", help="JSON lines file (default: stdin)."),
) -> None:
    """Read OCOP facts from JSON-lines sentences: {"id", "text", "title"?, "url"?, "context"?, "published_at"?, "home_province"?}."""
    stream = open_text(input_file) if input_file else sys.stdin
    source = str(input_file) if input_file else "stdin"
    with stream:
        for number, row in _json_lines(stream, source):
            record = {"id": row.get("id"), "facts": _facts_of(row, source, number)}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _brief(fact: dict) -> str:
    shown = ("kind", "count", "amount_vnd", "product", "stars", "status", "scope", "qualifier", "province",
             "nationwide", "district", "year")
    return " ".join(f"{name}={fact.get(name)}" for name in shown if fact.get(name) not in (None, False))


@eval_app.command("facts")
def eval_facts(
    gold: Path = typer.Option(..., "--gold", help="Gold JSON lines: {id, text, title?, url?, context?, published_at?, home_province?, facts}."),
    show: str = typer.Option("", "--show", help="List some of: misses,false,disagreements (comma-separated)."),
    pinned: Optional[Path] = typer.Option(None, "--pinned", help="JSON of pinned figures: exit 1 if any falls below."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Score the fact extractor against a gold file (matching of facts.md): precision, recall, F1, strict, accuracies."""
    wanted = {part.strip() for part in show.split(",") if part.strip()}
    unknown = wanted - set(SHOWABLE)
    if unknown:
        raise BadInput(f"--show takes {', '.join(SHOWABLE)}; not {', '.join(sorted(unknown))}")
    pinned_figures = read_pinned(pinned) if pinned else None
    score = Score()
    with open_text(gold) as stream:
        for number, row in _json_lines(stream, str(gold)):
            if not isinstance(row.get("facts"), list):
                raise BadInput(f"{gold}, line {number}: no \"facts\" list")
            score.add(str(row.get("id", number)), _facts_of(row, str(gold), number), row["facts"])
    figures = score.figures()
    if as_json:
        print(json.dumps({"facts_version": FACTS_VERSION, "gold": score.gold, "predicted": score.predicted,
                          "matched": score.matched, **{name: round(figures[name], 6) for name in FIGURES}}))
    else:
        print(f"facts {FACTS_VERSION} on {gold}: {score.gold} gold, {score.predicted} predicted, {score.matched} matched")
        for name in FIGURES:
            print(f"{name:<20} {figures[name]:.4f}")
    if "misses" in wanted:
        print(f"\nmisses ({len(score.misses)}):")
        for sentence_id, fact in score.misses:
            print(f"  {sentence_id}: {_brief(fact)}")
    if "false" in wanted:
        print(f"\nfalse facts ({len(score.false)}):")
        for sentence_id, fact in score.false:
            print(f"  {sentence_id}: {_brief(fact)}")
    if "disagreements" in wanted:
        print(f"\ndisagreements on matched facts ({len(score.disagreements)}):")
        for sentence_id, name, predicted, gold_fact in score.disagreements:
            print(f"  {sentence_id}: {name} predicted {predicted.get(name)!r} gold {gold_fact.get(name)!r} ({_brief(gold_fact)})")
    if pinned_figures is not None:
        drops = below_pinned(figures, pinned_figures)
        if drops:
            raise WorkFailed("fact quality below the pinned figures: " + "; ".join(drops))


