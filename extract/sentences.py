"""Splitting an article's text into sentences, aware of Vietnamese abbreviations ("TP.", "ThS.") and numbers."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

RULES_FILE = Path(__file__).parent / "rules" / "facts_sentences.toml"
_ABBREVIATIONS = frozenset(tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))["abbreviations"])

# A candidate end: closing punctuation, any closing quotes or brackets, then a space. (The first mark is
# written apart from the repeat: a pattern that opens with a plain class of characters lets the regex engine
# skip to them, one that opens with a repeat is tried at every position.)
_CANDIDATE_END_RE = re.compile(r"[.!?…][.!?…]*[\"”’»)\]]*(?=\s)")
_OPENERS = "\"“‘«([-–—"
_WORD_BEFORE_RE = re.compile(r"[\"“‘«(\[]*([^\s\"“‘«(\[]*)$")
# The word before a dot is read from this far back: longer than any abbreviation, so that a long word
# cut at the window's start cannot pass for one.
_WORD_REACH = 2 * max(len(abbreviation) for abbreviation in _ABBREVIATIONS) + 2


def _starts_sentence(text: str, position: int) -> bool:
    """Does a new sentence start at `position` (after spaces and opening quotes)?"""
    length = len(text)
    while position < length and (text[position].isspace() or text[position] in _OPENERS):
        position += 1
    return position < length and (text[position].isupper() or text[position].isdigit())


def _is_abbreviation(line: str, dot_at: int) -> bool:
    word = _WORD_BEFORE_RE.search(line, max(0, dot_at - _WORD_REACH), dot_at).group(1)
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _split_line(line: str) -> list[str]:
    sentences = []
    begin = 0
    for match in _CANDIDATE_END_RE.finditer(line):
        if not _starts_sentence(line, match.end()):
            continue
        if line[match.start()] == "." and match.group().rstrip("\"”’»)]") == "." \
                and _is_abbreviation(line, match.start()):
            continue
        sentence = line[begin:match.end()].strip()
        if sentence:
            sentences.append(sentence)
        begin = match.end()
    rest = line[begin:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def split_sentences(text: str | None) -> list[str]:
    """The sentences of a text, in order; every line break ends a sentence."""
    if not text:
        return []
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(_split_line(line))
    return sentences
