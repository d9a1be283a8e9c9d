"""Is an article about OCOP? A score over the signals of rules/relevance.toml in its title, lead and body."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.text import fold, fold_page

RULES_FILE = Path(__file__).parent / "rules" / "relevance.toml"


@dataclass(frozen=True)
class Signal:
    name: str
    pattern: re.Pattern
    weight: float


@dataclass(frozen=True)
class RelevanceRules:
    signals: tuple[Signal, ...]
    threshold: float
    title_weight: float
    lead_weight: float
    body_weight: float
    max_body_hits: int


@lru_cache(maxsize=1)
def relevance_rules() -> RelevanceRules:
    """The rules file, read and compiled once."""
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    places = data["place_weights"]
    return RelevanceRules(
        signals=tuple(
            Signal(entry["name"], re.compile(entry["pattern"]), float(entry["weight"])) for entry in data["signals"]
        ),
        threshold=float(data["threshold"]),
        title_weight=float(places["title"]),
        lead_weight=float(places["lead"]),
        body_weight=float(places["body"]),
        max_body_hits=int(data["max_body_hits"]),
    )


def relevance_score(title: str | None, lead: str | None, text: str | None) -> float:
    """The weighted count of OCOP signals: title and lead hits weigh more, body hits are capped."""
    rules = relevance_rules()
    folded_title, folded_lead, folded_body = (fold(part or "") for part in (title, lead, text))
    if folded_lead and folded_body.startswith(folded_lead):
        folded_body = folded_body[len(folded_lead):]  # the body repeats the lead first: count it once
    score = 0.0
    for signal in rules.signals:
        if signal.pattern.search(folded_title):
            score += signal.weight * rules.title_weight
        if signal.pattern.search(folded_lead):
            score += signal.weight * rules.lead_weight
        body_hits = 0
        for _ in signal.pattern.finditer(folded_body):
            body_hits += 1
            if body_hits == rules.max_body_hits:
                break
        score += signal.weight * rules.body_weight * body_hits
    return score


def is_about_ocop(title: str | None, lead: str | None, text: str | None) -> bool:
    """True when the article's title, lead and body carry enough OCOP signals to reach the threshold."""
    return relevance_score(title, lead, text) >= relevance_rules().threshold


def may_be_about_ocop(page_text: str | None) -> bool:
    """False only when no signal occurs anywhere in the page: a cheap test before extracting an article."""
    folded = fold_page(page_text or "")
    return any(signal.pattern.search(folded) for signal in relevance_rules().signals)
