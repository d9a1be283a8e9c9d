"""Scoring predicted OCOP facts against gold facts, sentence by sentence, as facts.md defines the matching."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.text import fold, normalize

# Two product names match when at least this share of the longer name's words are shared (facts.md).
PRODUCT_NAME_OVERLAP = 0.5
# Prefixes dropped before province names are compared ("TP. Cần Thơ" is "Cần Thơ").
_PROVINCE_PREFIX_RE = re.compile(r"^(?:tinh|thanh pho|tp)\b\.?\s*")
ACCURACY_FIELDS = ("status", "scope", "province", "year", "qualifier")
FIGURES = ("precision", "recall", "f1", "strict_precision", "strict_recall", "strict_f1") + tuple(
    f"{name}_accuracy" for name in ACCURACY_FIELDS
)


def province_key(name: str | None) -> str:
    """A province name as compared: no diacritics, case, prefix or punctuation."""
    if not name:
        return ""
    folded = fold(normalize(name)).strip()
    return re.sub(r"[^a-z0-9]", "", _PROVINCE_PREFIX_RE.sub("", folded))


def _name_tokens(name: str | None) -> set[str]:
    return set(re.findall(r"\w+", normalize(name or "").lower()))


def names_match(predicted: str | None, gold: str | None) -> bool:
    """Token overlap of two product names, over the longer name, reaches PRODUCT_NAME_OVERLAP."""
    left, right = _name_tokens(predicted), _name_tokens(gold)
    if not left or not right:
        return False
    return len(left & right) / max(len(left), len(right)) >= PRODUCT_NAME_OVERLAP


def facts_match(predicted: dict, gold: dict) -> bool:
    """Same kind, same count (or amount, or product name by overlap), same stars."""
    if predicted.get("kind") != gold.get("kind") or predicted.get("stars") != gold.get("stars"):
        return False
    if gold.get("kind") == "product_rating":
        return names_match(predicted.get("product"), gold.get("product"))
    if gold.get("kind") == "budget":
        return predicted.get("amount_vnd") == gold.get("amount_vnd")
    return predicted.get("count") == gold.get("count")


def field_agrees(name: str, predicted: dict, gold: dict) -> bool:
    if name == "province":
        return province_key(predicted.get("province")) == province_key(gold.get("province")) \
            and bool(predicted.get("nationwide")) == bool(gold.get("nationwide"))
    return predicted.get(name) == gold.get(name)


def _strict(predicted: dict, gold: dict) -> bool:
    return field_agrees("status", predicted, gold) and field_agrees("province", predicted, gold)


def match_sentence(predicted: list[dict], gold: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """One-to-one pairs (predicted, gold), the unmatched gold facts (misses) and predicted ones (false).

    Each gold fact takes the first free prediction that matches it, preferring one that also agrees on
    status and province, then on district, so that duplicates ("12 products" in two districts) pair up.
    """
    free = list(range(len(predicted)))
    pairs, misses = [], []
    for gold_fact in gold:
        candidates = [index for index in free if facts_match(predicted[index], gold_fact)]
        if not candidates:
            misses.append(gold_fact)
            continue
        chosen = min(candidates, key=lambda index: (not _strict(predicted[index], gold_fact),
                                                    predicted[index].get("district") != gold_fact.get("district")))
        free.remove(chosen)
        pairs.append((predicted[chosen], gold_fact))
    return pairs, misses, [predicted[index] for index in free]


@dataclass
class Score:
    """The figures of one evaluation, with the misses and false facts kept for listing."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0
    strict_matched: int = 0
    agreements: dict[str, int] = field(default_factory=lambda: {name: 0 for name in ACCURACY_FIELDS})
    misses: list[tuple[str, dict]] = field(default_factory=list)
    false: list[tuple[str, dict]] = field(default_factory=list)
    disagreements: list[tuple[str, str, dict, dict]] = field(default_factory=list)

    def add(self, sentence_id: str, predicted: list[dict], gold: list[dict]) -> None:
        pairs, misses, false = match_sentence(predicted, gold)
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.matched += len(pairs)
        for predicted_fact, gold_fact in pairs:
            self.strict_matched += _strict(predicted_fact, gold_fact)
            for name in ACCURACY_FIELDS:
                if field_agrees(name, predicted_fact, gold_fact):
                    self.agreements[name] += 1
                else:
                    self.disagreements.append((sentence_id, name, predicted_fact, gold_fact))
        self.misses.extend((sentence_id, fact) for fact in misses)
        self.false.extend((sentence_id, fact) for fact in false)

    def figures(self) -> dict[str, float]:
        def ratio(part: int, whole: int) -> float:
            return part / whole if whole else 1.0

        def harmonic(precision: float, recall: float) -> float:
            return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

        precision, recall = ratio(self.matched, self.predicted), ratio(self.matched, self.gold)
        strict_precision, strict_recall = ratio(self.strict_matched, self.predicted), ratio(self.strict_matched, self.gold)
        figures = {
            "precision": precision, "recall": recall, "f1": harmonic(precision, recall),
            "strict_precision": strict_precision, "strict_recall": strict_recall,
            "strict_f1": harmonic(strict_precision, strict_recall),
        }
        figures.update({f"{name}_accuracy": ratio(self.agreements[name], self.matched) for name in ACCURACY_FIELDS})
        return figures


def below_pinned(figures: dict[str, float], pinned: dict[str, float], tolerance: float = 1e-9) -> list[str]:
    """The figures that fell below their pinned value: "precision 0.9400 < pinned 0.9500"."""
    return [
        f"{name} {figures[name]:.4f} < pinned {value:.4f}"
        for name, value in pinned.items() if name in figures and figures[name] + tolerance < value
    ]
