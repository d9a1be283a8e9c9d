"""Vietnamese text normalisation (`normalize`) and accent folding for matching (`fold`, `fold_keep_offsets`)."""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from pathlib import Path

RULES_PATH = Path(__file__).parent / "rules" / "text.toml"
_RULES = tomllib.loads(RULES_PATH.read_text(encoding="utf-8"))

# The five Vietnamese tone marks as Unicode combining characters: grave, acute, hook above, tilde, dot below.
TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")

# Latin letters a folded string may carry: Basic Latin, Latin-1, Latin Extended-A/B, Latin Extended Additional
# (all precomposed Vietnamese letters live in these blocks).
_LATIN_BLOCKS = ((0x41, 0x5A), (0xC0, 0x24F), (0x1E00, 0x1EFF))
_COMBINING_MARKS = (0x300, 0x36F)


# Characters a reader never sees (zero-width space and joiners, word joiner, BOM, soft hyphen), for str.translate.
INVISIBLE_CHARACTERS: dict[int, None] = dict.fromkeys(map(ord, _RULES["invisible"]))
# The same characters as one regex class: dropping them with it is far faster than str.translate with a dict.
_INVISIBLE = re.compile("[" + "".join(re.escape(char) for char in _RULES["invisible"]) + "]")


def _spacing_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(char): " " for char in _RULES["spaces"]}
    table.update({ord(char): "\n" for char in _RULES["line_breaks"]})
    table.update(INVISIBLE_CHARACTERS)
    table.update({ord(source): target for source, target in _RULES["look_alikes"].items()})
    return table


def _tone_placement() -> tuple[re.Pattern[str], dict[str, str]]:
    """Old-style open rhymes ("oà", "uý") and their new-style spelling ("òa", "úy"), in every letter case."""
    rules = _RULES["tone_placement"]
    old_to_new: dict[str, str] = {}
    for rhyme in rules["open_rhymes"]:
        first, second = rhyme
        for mark in TONE_MARKS:
            old = first + unicodedata.normalize("NFC", second + mark)
            new = unicodedata.normalize("NFC", first + mark) + second
            for case_old, case_new in _letter_cases(old, new):
                old_to_new[case_old] = case_new
    # One character class per first letter ("o" + any toned "a"/"e"): the regex engine then skips
    # quickly to the few places where a rhyme can start.
    seconds_by_first: dict[str, set[str]] = {}
    for old in old_to_new:
        seconds_by_first.setdefault(old[0], set()).add(old[1])
    not_after = "".join(re.escape(letter) for letter in rules["not_after"])
    alternatives = "|".join(
        f"{re.escape(first)}(?<![{not_after}].)[{''.join(sorted(seconds))}]" for first, seconds in seconds_by_first.items()
    )
    pattern = re.compile(rf"(?:{alternatives})(?!\w)")
    return pattern, old_to_new


def _letter_cases(old: str, new: str) -> list[tuple[str, str]]:
    """The four upper/lower combinations of a two-letter rhyme, applied alike to both spellings."""
    firsts = ((old[0], new[0]), (old[0].upper(), new[0].upper()))
    seconds = ((old[1], new[1]), (old[1].upper(), new[1].upper()))
    return [(old_first + old_second, new_first + new_second)
            for old_first, new_first in firsts for old_second, new_second in seconds]


def _fold_table(drop_combining_marks: bool) -> list[str | None]:
    """One character in, one character out: Latin letters lower-cased and stripped of their marks.

    A list indexed by code point (up to the last Latin block) translates faster than a dict; characters
    beyond it are left as they are.
    """
    table: list[str | None] = [chr(code) for code in range(_LATIN_BLOCKS[-1][1] + 1)]
    for low, high in _LATIN_BLOCKS:
        for code in range(low, high + 1):
            base = unicodedata.normalize("NFD", chr(code))[0].lower()
            if len(base) == 1:
                table[code] = base
    for letter in "đĐ" + "".join(_RULES["look_alikes"]):
        table[ord(letter)] = "d"
    if drop_combining_marks:
        low, high = _COMBINING_MARKS
        table[low:high + 1] = [None] * (high - low + 1)
    return table


_SPACING = _spacing_table()
_TONE_PATTERN, _OLD_TO_NEW_TONE = _tone_placement()
_FOLD = _fold_table(drop_combining_marks=True)
_FOLD_SAME_LENGTH = _fold_table(drop_combining_marks=False)
# Characters the spacing table changes, found first so that most text skips the translation.
_ODD_SPACE = re.compile("[" + "".join(re.escape(chr(code)) for code in _SPACING) + "]")
# Whitespace left once odd spaces are plain ones (ASCII only), apart from the line break; runs of it
# that are not already one plain space: two or more, or a lone tab, CR, etc.
_HORIZONTAL_SPACE = r"[ \t\r\f\v\x1c-\x1f]"
_HORIZONTAL_SPACE_RUN = re.compile(rf"{_HORIZONTAL_SPACE}{{2,}}|[\t\r\f\v\x1c-\x1f]")
_LINE_BREAK_RUN = re.compile(rf"{_HORIZONTAL_SPACE}*\n\s*")


def normalize(text: str) -> str:
    """Unicode NFC, HTML entities read, odd spaces made plain, runs of spaces collapsed, one tone placement.

    Line breaks survive (a run of blank lines becomes one "\\n") so that paragraphs stay apart.
    """
    if not isinstance(text, str):
        return ""
    text = html.unescape(text)
    if _ODD_SPACE.search(text):
        text = text.translate(_SPACING)
    text = unicodedata.normalize("NFC", text)
    text = _TONE_PATTERN.sub(lambda match: _OLD_TO_NEW_TONE[match.group()], text)
    if "\n" in text:
        text = _LINE_BREAK_RUN.sub("\n", text)
    text = _HORIZONTAL_SPACE_RUN.sub(" ", text)
    return text.strip()


def drop_invisible(text: str) -> str:
    """The text without the characters a reader never sees (zero-width space, soft hyphen, ...)."""
    return _INVISIBLE.sub("", text)


def fold(text: str) -> str:
    """Lower case without diacritics, "đ" as "d": fold("Cần Thơ") == "can tho".

    For text in NFC (anything `normalize` returned) the result has the same length as the input.
    """
    return text.translate(_FOLD)


def fold_page(text: str) -> str:
    """`fold` for a whole HTML page, faster: the pieces between tags that are plain ASCII (most of the markup
    and scripts) are only lower-cased, which is all that folding does to ASCII."""
    return ">".join(piece.lower() if piece.isascii() else fold(piece) for piece in text.split(">"))


def fold_keep_offsets(text: str) -> str:
    """`fold` that never changes the length, whatever the input: offset i of the result is offset i of text.

    Stray combining marks (absent from NFC Vietnamese) are kept in place rather than dropped.
    """
    return text.translate(_FOLD_SAME_LENGTH)
