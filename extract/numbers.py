"""Vietnamese numbers in running text: digits with dot thousands, number words, ranges, money and qualifiers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

RULES_FILE = Path(__file__).parent / "rules" / "facts_numbers.toml"
_RULES = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))

# How far before a number a qualifier may start ("không ít hơn" is the longest, 12 characters).
QUALIFIER_REACH = 24
# How much text before a noun is read for the number counting it: a qualifier and a range
# ("không ít hơn 10.000 - 12.000 ") fit in it.
NUMBER_REACH = 64
# The longest number written in digits, a range included ("10.000.000 - 12.000.000" is 23 characters).
NUMBER_TAIL = 28


@dataclass(frozen=True)
class NumberMention:
    """A number found in text: its value (the lower bound of a range), where it is, and how it is hedged."""

    value: int | float
    start: int
    end: int
    qualifier: str | None = None
    upper: int | float | None = None
    phrase_end: int = 0          # end of the whole phrase, the range's upper bound included
    in_words: bool = False


@dataclass(frozen=True)
class MoneyMention:
    """An amount of Vietnamese dong: "3,8 tỉ đồng" is 3800000000, at the span of "3,8"."""

    amount_vnd: int
    start: int
    end: int
    phrase_end: int
    qualifier: str | None = None


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_WORDS = _RULES["words"]
_UNITS: dict[str, int] = dict(_WORDS["units"])
_TEN = set(_WORDS["ten"])
_TENS = set(_WORDS["tens"])
_HUNDRED = set(_WORDS["hundred"])
_ZERO_TENS = set(_WORDS["zero_tens"])
_MULTIPLIERS = {word: 1_000 for word in _WORDS["thousand"]}
_MULTIPLIERS.update({word: 1_000_000 for word in _WORDS["million"]})
_MULTIPLIERS.update({word: 1_000_000_000 for word in _WORDS["billion"]})
_ONLY_AFTER_TENS = set(_WORDS["only_after_tens"])
_ALL_NUMBER_WORDS = set(_UNITS) | _TEN | _TENS | _HUNDRED | _ZERO_TENS | set(_MULTIPLIERS)
_OPENING_WORDS = (set(_UNITS) - _ONLY_AFTER_TENS) | _TEN
# The words a number written in words opens with ("hai", "mười"): a text with none of them and no digit
# holds no number.
NUMBER_OPENING_WORDS = tuple(sorted(_OPENING_WORDS))

_DIGITS = r"(?:\d{1,3}(?:\.\d{3})+(?!\d)|\d+)(?:,\d+(?!\d)|\.(?!\d{3}(?!\d))\d+)?"
_DIGITS_RE = re.compile(rf"(?<![\w.,]){_DIGITS}")
_DIGITS_FULL_RE = re.compile(_DIGITS)
_DIGITS_TAIL_RE = re.compile(
    rf"(?<![\w.,])(?P<low>{_DIGITS})(?:\s*(?:{_alternation(_RULES['ranges']['joiners'])})\s*(?P<high>{_DIGITS}))?$"
)
_WORD_RUN_RE = re.compile(
    rf"(?<!\w)(?:{_alternation(_OPENING_WORDS)})(?:\s+(?:{_alternation(_ALL_NUMBER_WORDS)}))*(?!\w)"
)
_NOT_A_NUMBER_AFTER_RE = re.compile(rf"\s+(?:{_alternation(_WORDS['not_a_number_before'])})(?!\w)|\s*\d")

_QUALIFIER_OF: dict[str, str] = {}
for _name in ("over", "under", "about", "none"):
    for _word in _RULES["qualifiers"][_name]:
        _QUALIFIER_OF[_word] = _name
_QUALIFIER_RE = re.compile(rf"(?<!\w)({_alternation(_QUALIFIER_OF)})\s+$")

_RANGE_JOINER_RE = re.compile(rf"\s*(?:{_alternation(_RULES['ranges']['joiners'])})\s*")
_RANGE_DEFAULT_QUALIFIER = _RULES["ranges"]["default_qualifier"]

ZERO_PHRASES = tuple(sorted(_RULES["zero"]["phrases"], key=len, reverse=True))
ZERO_PHRASE_RE = re.compile(rf"(?<!\w)(?:{_alternation(ZERO_PHRASES)})(?!\w)")

_SCALES: dict[str, int] = dict(_RULES["money"]["scales"])
_SCALE_RE = re.compile(rf"\s*({_alternation(_SCALES)})(?!\w)")
# The words that make a number an amount of money (scales and currencies).
MONEY_WORDS = tuple(_SCALES) + tuple(_RULES["money"]["currency"])
_CURRENCY_RE = re.compile(rf"\s*(?:{_alternation(_RULES['money']['currency'])})(?!\w)")


def _lower(text: str) -> str:
    """Lower case that keeps every offset (a few characters change length when lowered: keep those)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def read_digits(token: str) -> int | float | None:
    """'18.243' -> 18243, '3,8' -> 3.8, '02' -> 2, '2.5' -> 2.5; None when it is not a number."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    if _DIGITS_FULL_RE.fullmatch(token) is None:
        return None
    whole, _, fraction = token.partition(",")
    if not fraction and re.fullmatch(r"\d+\.\d+", whole) and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", whole):
        return float(whole)
    whole = whole.replace(".", "")
    if fraction:
        return float(f"{whole}.{fraction}")
    return int(whole)


def read_words(phrase: str) -> int | None:
    """'hai' -> 2, 'mười lăm' -> 15, 'hai mươi mốt' -> 21, 'một trăm linh năm' -> 105; None if not a number."""
    tokens = _lower(phrase).split()
    if not tokens:
        return None
    total = group = 0
    unit: int | None = None
    previous = ""
    for token in tokens:
        if token in _ONLY_AFTER_TENS and previous not in (_TENS | _TEN | _HUNDRED | _ZERO_TENS):
            return None
        if token in _ZERO_TENS:
            if previous not in _HUNDRED:
                return None
        elif token in _UNITS:
            if unit is not None:
                return None
            unit = _UNITS[token]
        elif token in _TEN:
            if unit is not None:
                return None
            group += 10
        elif token in _TENS:
            if unit is None:
                return None
            group += unit * 10
            unit = None
        elif token in _HUNDRED:
            group += (1 if unit is None else unit) * 100
            unit = None
        elif token in _MULTIPLIERS:
            amount = group + (unit or 0)
            if amount == 0:
                return None
            total += amount * _MULTIPLIERS[token]
            group, unit = 0, None
        else:
            return None
        previous = token
    return total + group + (unit or 0)


def read_quantity(text: str) -> int | float | None:
    """Read back any text this module reports as a number: digits, number words or a zero phrase."""
    text = text.strip()
    if ZERO_PHRASE_RE.fullmatch(_lower(text)):
        return 0
    value = read_digits(text)
    return value if value is not None else read_words(text)


def qualifier_before(text: str, start: int) -> tuple[str, int] | None:
    """The qualifier written just before `start` ("hơn", "khoảng", ...) and where it begins, or None."""
    window_start = max(0, start - QUALIFIER_REACH)
    match = _QUALIFIER_RE.search(_lower(text[window_start:start]))
    if match is None or _QUALIFIER_OF[match.group(1)] == "none":
        return None
    return _QUALIFIER_OF[match.group(1)], window_start + match.start(1)


def _raw_numbers(lowered: str) -> list[tuple[int, int, int | float, bool]]:
    found = [(m.start(), m.end(), read_digits(m.group()), False) for m in _DIGITS_RE.finditer(lowered)]
    for match in _WORD_RUN_RE.finditer(lowered):
        if _NOT_A_NUMBER_AFTER_RE.match(lowered, match.end()):
            continue
        value = read_words(match.group())
        if value is not None:
            found.append((match.start(), match.end(), value, True))
    found.sort()
    return found


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in the text, in order; a range ("400 - 500", "từ 800 đến 1.000") is one mention."""
    lowered = _lower(text)
    raw = _raw_numbers(lowered)
    mentions: list[NumberMention] = []
    skip_until = -1
    for index, (start, end, value, in_words) in enumerate(raw):
        if start < skip_until or value is None:
            continue
        upper = None
        phrase_end = end
        joiner = _RANGE_JOINER_RE.match(lowered, end)
        if joiner and index + 1 < len(raw):
            next_start, next_end, next_value, next_in_words = raw[index + 1]
            if next_start == joiner.end() and next_in_words == in_words and next_value is not None \
                    and next_value > value:
                upper, phrase_end, skip_until = next_value, next_end, next_end
        hedge = qualifier_before(lowered, start)
        qualifier = hedge[0] if hedge else (_RANGE_DEFAULT_QUALIFIER if upper is not None else None)
        mentions.append(NumberMention(value, start, end, qualifier, upper, phrase_end, in_words))
    return mentions


def number_before(text: str, position: int) -> NumberMention | None:
    """The number (a range included) written right before `position`, spaces aside: "1.000 " in "1.000 sản phẩm"."""
    last = position
    while last > 0 and text[last - 1].isspace():
        last -= 1
    if last == 0:
        return None
    if not text[last - 1].isdigit():        # most nouns follow no number: leave them before any copying
        word_start = last - 1
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
        if _lower(text[word_start:last]) not in _ALL_NUMBER_WORDS:
            return None
    start = max(0, position - NUMBER_REACH)
    window = _lower(text[start:position])
    end = last - start
    if text[last - 1].isdigit():
        digits = _DIGITS_TAIL_RE.search(window, max(0, end - NUMBER_TAIL), end)
        if digits is None:
            return None
        value = read_digits(digits.group("low"))
        upper = read_digits(digits.group("high")) if digits.group("high") else None
        if upper is not None and (value is None or upper <= value):
            return None
        hedge = qualifier_before(window, digits.start("low"))
        qualifier = hedge[0] if hedge else (_RANGE_DEFAULT_QUALIFIER if upper is not None else None)
        return NumberMention(value, start + digits.start("low"), start + digits.end("low"), qualifier, upper,
                             start + end, False)
    for mention in reversed(find_numbers(window)):
        if mention.phrase_end == end:
            return NumberMention(mention.value, mention.start + start, mention.end + start, mention.qualifier,
                                 mention.upper, mention.phrase_end + start, mention.in_words)
        if mention.phrase_end < end:
            break
    return None


def find_money(text: str) -> list[MoneyMention]:
    """Every amount of dong: a number with a scale word ("3,8 tỉ", "2 tỷ 500 triệu") or a currency word."""
    lowered = _lower(text)
    amounts: list[MoneyMention] = []
    mentions = find_numbers(lowered)
    consumed_until = -1
    for index, mention in enumerate(mentions):
        if mention.start < consumed_until:
            continue
        scale = _SCALE_RE.match(lowered, mention.phrase_end)
        if scale:
            amount = mention.value * _SCALES[scale.group(1)]
            end = scale.end()
            # a second, smaller part: "2 tỷ 500 triệu"
            if index + 1 < len(mentions) and re.fullmatch(r"\s+", lowered[end:mentions[index + 1].start] or "x"):
                following = mentions[index + 1]
                second = _SCALE_RE.match(lowered, following.end)
                if second and _SCALES[second.group(1)] < _SCALES[scale.group(1)]:
                    amount += following.value * _SCALES[second.group(1)]
                    end = second.end()
            currency = _CURRENCY_RE.match(lowered, end)
            if currency:
                end = currency.end()
        else:
            currency = _CURRENCY_RE.match(lowered, mention.phrase_end)
            if not currency:
                continue
            amount, end = mention.value, currency.end()
        consumed_until = end
        amounts.append(MoneyMention(int(round(amount)), mention.start, mention.end, end, mention.qualifier))
    return amounts
