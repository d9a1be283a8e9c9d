"""OCOP facts read from sentences (facts.md): counts, star levels, status, scope, places, years, with rules as data.

The rules are in `extract/rules/facts*.toml` and `extract/rules/press.toml`; this module reads a sentence
in the order docs/facts.md describes: numbers and their nouns, star phrases, status, scope, then the
place (sentence first, then the article's context) and the year.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
import logging
import re
import tomllib
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from extract.model import Fact
from extract.numbers import (
    MONEY_WORDS, NUMBER_OPENING_WORDS, NUMBER_REACH, ZERO_PHRASES, find_money, find_numbers, number_before, qualifier_before,
)
from extract.places import NEW_ERA, current_unit, find_communes, find_districts, find_provinces, resolve_province
from extract.sentences import split_sentences
from extract.text import fold, fold_keep_offsets

log = logging.getLogger(__name__)
# How much of a sentence a failure report quotes.
LOGGED_SENTENCE_LENGTH = 200

RULES_DIR = Path(__file__).parent / "rules"
RULE_FILES = tuple(sorted(RULES_DIR.glob("facts*.toml"))) + (RULES_DIR / "press.toml",)
# The extractor's own version; the suffix is a digest of the rule files, so a rule change shows.
FACTS_SEMVER = "1.1.0"
FACTS_VERSION = FACTS_SEMVER + "+" + hashlib.sha256(
    b"".join(path.read_bytes() for path in RULE_FILES)
).hexdigest()[:8]

_RULES = tomllib.loads((RULES_DIR / "facts.toml").read_text(encoding="utf-8"))
_PRESS = tomllib.loads((RULES_DIR / "press.toml").read_text(encoding="utf-8"))

# Vietnamese capital letters, for names: a word written with one of these first is part of a name.
_CAPITALS = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_CAPITALS_SET = frozenset(_CAPITALS.replace("A-Z", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
# (The capital is looked for first and the word start checked behind it: a pattern that opens with a class
# of characters lets the regex engine skip to them, one that opens with a look-behind does not.)
_CAPITALISED_WORD_RE = re.compile(rf"[{_CAPITALS}](?<!\w.)\w*")


_REGEX_SYNTAX = re.compile(r"[\\^$.|?*+()\[\]{}]")


def _words(entries) -> str:
    """One alternation of rule entries: the patterns first (longest first), then the plain words and
    phrases as a character trie ("đ(?:ạt(?: chuẩn)?|ánh giá)"), which Python's regex engine scans much
    faster than a flat list; a longer phrase is preferred to its prefix either way.

    The trie's first branches ("đ...", "c...") are branches of this alternation itself, not nested in a
    group of their own: when every branch opens with a plain character, the engine skips straight to the
    positions holding one of those characters instead of trying each branch at every position."""
    entries = list(entries)
    patterns = sorted((entry for entry in entries if _REGEX_SYNTAX.search(entry)), key=len, reverse=True)
    literals = [entry for entry in entries if not _REGEX_SYNTAX.search(entry)]
    branches = [f"(?:{entry})" for entry in patterns]
    if literals:
        root = _trie(literals)
        # an empty entry makes the whole trie optional: it stays one group, the optional one
        branches.extend([_trie_pattern(root)] if "" in root else _trie_branches(root))
    return "|".join(branches)


def _trie(words: list[str]) -> dict:
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return root


def _trie_branches(node: dict) -> list[str]:
    return [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]


def _trie_pattern(node: dict) -> str:
    branches = _trie_branches(node)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


class _WordRegex:
    """A regex that matches whole words only. The check that a match starts a word is made on each match
    rather than by a look-behind tried at every position, which keeps Python's fast first-character scan."""

    def __init__(self, body: str, also_not_after: str = "") -> None:
        self.regex = re.compile(rf"(?:{body})(?!\w)")
        self.pattern = self.regex.pattern
        self.not_after = frozenset(also_not_after + "_")

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        for match in self.regex.finditer(text, pos, len(text) if endpos is None else endpos):
            if self._opens_word(text, match.start()):
                yield match

    def _opens_word(self, text: str, start: int) -> bool:
        return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in self.not_after)

    def findall(self, text: str) -> list[re.Match[str]]:
        """Every whole-word match in the text, as a list (no generator to resume per match: faster; for the
        same reason `_opens_word` is written out in the comprehension rather than called)."""
        not_after = self.not_after
        return [match for match in self.regex.finditer(text)
                if not (start := match.start()) or not (text[start - 1].isalnum() or text[start - 1] in not_after)]

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The first whole-word match (a loop rather than a generator: most searches end at the first match)."""
        for match in self.regex.finditer(text, pos, len(text) if endpos is None else endpos):
            if self._opens_word(text, match.start()):
                return match
        return None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.regex.fullmatch(text)


class _Lexicon(_WordRegex):
    """Several word lists scanned in one pass; `category` tells which list a match came from (the first
    list holding it). One pass over one trie is much faster than a regex with a named group per list."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        super().__init__(_words([entry for entries in lists.values() for entry in entries]))
        self.literal_category: dict[str, str] = {}
        self.pattern_categories: list[tuple[re.Pattern[str], str]] = []
        for name, entries in lists.items():
            for entry in entries:
                if _REGEX_SYNTAX.search(entry):
                    self.pattern_categories.append((re.compile(entry), name))
                else:
                    self.literal_category.setdefault(entry, name)

    def category(self, match: re.Match[str]) -> str | None:
        name = self.literal_category.get(match.group())
        if name is not None:
            return name
        for pattern, name in self.pattern_categories:
            found = pattern.match(match.string, match.start())
            if found is not None and found.end() == match.end():
                return name
        return None


def _whole(entries) -> _WordRegex:
    return _WordRegex(_words(entries))


def _at_end(entries) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_words(entries)})\s*$")


def _at_start(entries) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{_words(entries)})(?!\w)")


_REL = _RULES["relevance"]
OCOP_RE = _whole(_REL["ocop"])
CONTEXT_REACH = int(_REL["context_reach"])
# Readings of the last sentences are kept: the sentence after one of them often details it ("Trong đó, ...")
# or takes its place, and needs that reading again. A few suffice, articles being read in order.
RECENT_READINGS = 16
# Per-article readings (a URL's slug and host, a title's places, a headline) kept for the article's
# other sentences; slug word windows ("san pham", "ha noi") recur across articles and are kept longer.
ARTICLES_KEPT = 4096
# How much wider each try at finding the whole last sentence of the context reads.
CONTEXT_WIDENING = 4
SLUG_WINDOWS_KEPT = 65536
# A unit's current name for each of the 63 + 34 names.
UNITS_KEPT = 128

_NOUNS = _RULES["nouns"]
_PRODUCT_RE = _whole(_NOUNS["product"])

_NOUN_AFTER_RE = re.compile(
    rf"\s+(?:(?P<product>{_words(_NOUNS['product'])})|(?P<subject>{_words(_NOUNS['subject'])}))(?!\w)"
)
_OWNER_GAP_RE = re.compile(rf"(?<!\w)(?:{_words(_NOUNS['owner_joiners'])})\s*$")
_SUBJECT_WORD_RE = re.compile(rf"(?:{_words(_NOUNS['subject_needs_ocop_unless'])})")
_TOTAL_BEFORE_RE = _whole(_NOUNS["total_before"])
# The words a sentence is first scanned for, in one pass: OCOP, product and subject nouns, money, rating
# words. A sentence with no noun and no money has no fact and is left at once.
_SIGNALS = _Lexicon({"ocop": _REL["ocop"], "product": _NOUNS["product"], "subject": _NOUNS["subject"],
                     "money": [re.escape(word) for word in MONEY_WORDS], "rating": _REL["rating"],
                     "zero": list(ZERO_PHRASES), "stars": ["sao"]})
# Without a number (digits or words), a star level or "chưa có sản phẩm", a sentence has no count, rating or
# budget: it is left at once.
_NUMBERED = frozenset({"stars", "zero"})
_DIGIT_RE = re.compile(r"\d")
_NUMBER_WORD_RE = _whole(NUMBER_OPENING_WORDS)

_VETO = _RULES["vetoes"]
_VETO_BEFORE_RE = _WordRegex(_words(_VETO["before"]))
_VETO_AFTER_NOUN_RE = _at_start(_VETO["after_noun"])
_FOLLOW_ON_VETO_RE = _at_start(_VETO["follow_on_after_noun"])
# How far after a count's noun its modifiers are read ("sản phẩm dịch vụ hiện có", "sản phẩm OCOP mới").
AFTER_NOUN_REACH = 40

_STARS = _RULES["stars"]
# One scan finds both kinds of star mention: "4 sao" (its levels in groups 1 and 2; named groups would
# slow the scan) and the national level (no group).
_STAR_ATOM_RE = _WordRegex(rf"{_STARS['level']}|{_words(_STARS['national'])}", also_not_after=".,")
_STAR_JOINER_RE = re.compile(rf"\s*(?:{_words(_STARS['joiners'])})?\s*")
_OPEN_AFTER_RE = _at_start(_STARS["open_after"])
_OPEN_BEFORE_RE = _at_end(_STARS["open_before"])
_UPGRADE_RE = re.compile(rf"\s*(?:{_words(_STARS['upgrade'])})\s*")
# The words that open a level upwards are short: look this far before a star mention for them.
_OPEN_BEFORE_REACH = max(len(entry) for entry in _STARS["open_before"]) + 4
_LIST_GAP_RE = _whole(_STARS["list_gap_words"])
NATIONAL_LEVEL = 5

_STATUS = _RULES["status"]
_TARGET_RE = _whole(_STATUS["target"])
_NOT_TARGET_RE = _whole(_STATUS["not_target"])
_PRESENT_RE = _whole(_STATUS["present"])
_CANDIDATE_WORDS = _STATUS["candidate"] + [f"{request} {verb}" for request in _STATUS["requests"]
                                           for verb in _STATUS["request_verbs"]]
_STATUS_WORD_RE = _Lexicon({"candidate": _CANDIDATE_WORDS, "achieved": _STATUS["achieved"],
                            "weak": _STATUS["weak_candidate"]})
_HOLDING_RE = _whole(_STATUS["achieved_before"])
_WEAK_JOINER_RE = re.compile(rf"\s*(?:{_words(_STATUS['weak_phrase_joiners'])})\s*")


_SCOPE = _RULES["scope"]
_SCOPE_STRONG_RE = _Lexicon({"total": _SCOPE["total"], "new": _SCOPE["new"]})
_NEW_AFTER_NOUN_RE = _at_start(_SCOPE["new_after_noun"])
_TOTAL_AFTER_NOUN_RE = _at_start(_SCOPE["total_after_noun"])
_SCOPE_WEAK_RE = _Lexicon({"total": _SCOPE["weak_total"], "new": _SCOPE["weak_new"]})
_HEADLINE_NEW_RE = _whole(_SCOPE["headline_new"])
# Between two items of one list: commas, "và", "còn", an opening bracket or colon.
_PLAIN_GAP_RE = re.compile(r"[\s,(:–-]*(?:và|còn)?[\s,(]*")
_PARENTHESES_RE = re.compile(r"\([^()]*\)")
# The end of one list item before the next count: a comma or "và", then only spaces.
_LIST_ITEM_END_RE = re.compile(r"(?:,|\svà)\s*$")

_BREAKDOWN = _RULES["breakdown"]
_OPENER_RE = re.compile(rf"^\W*(?:{_words(_BREAKDOWN['openers'])})(?!\w)")
_INNER_BREAKDOWN_RE = _whole(_BREAKDOWN["inner"])
_PART_OF_RE = _whole(_BREAKDOWN["part_of"])

_PLACE = _RULES["place"]
_NATIONWIDE_RE = _whole(_PLACE["nationwide"])
_NOT_NATIONWIDE_RE = _whole(_PLACE["not_nationwide"])
_NATIONAL_ACTOR_RE = _whole(_PLACE["national_actors"])
_LOCAL_ACTOR_RE = _whole(_PLACE["local_actors"])
_COMMUNE_PREFIX_RE = _whole(_PLACE["commune_prefixes"])
# A commune's name after its prefix: up to four syllables, each written with a capital (or a digit).
_COMMUNE_NAME_RE = re.compile(rf"\s+((?:[{_CAPITALS}]\w*)(?:[ -][{_CAPITALS}0-9]\w*){{0,3}})")
_EACH_RE = _whole(_PLACE["each"])
_WIDE_AREA_RE = _whole(_PLACE["wide_area"])
_DATELINE_RE = re.compile(_PLACE["dateline"])
MERGER_EFFECTIVE = _PLACE["merger_effective"]
# A dateline opens the article: its place name is within this many characters of the start.
DATELINE_REACH = 60

_YEAR = _RULES["year"]
# All year patterns in one scan; each has one group, the year, so the one group matched is the year.
_YEAR_RE = _WordRegex("|".join(f"(?:{pattern})" for pattern in _YEAR["patterns"]), also_not_after="/")
_NOT_FACT_YEAR_RE = _whole(_YEAR["not_fact_year"])
_THIS_YEAR_RE = _WordRegex("năm nay")
_FOUR_DIGITS_RE = re.compile(r"\d\d{3}")      # not \d{4}: a pattern opening with a repeat is tried at every position
EARLIEST_YEAR, LATEST_YEAR = int(_YEAR["earliest"]), int(_YEAR["latest"])

_RATING = _RULES["rating"]
_OWNER_RE = _WordRegex(rf"(?:{_words(_RATING['owner_words'])})\s+(?:{_words(_RATING['producers'])})")
_NAME_START_RE = _whole(_RATING["name_starts_after"])
_NOT_NAMES = frozenset(_RATING["not_names"])
_NAME_OPENER_RE = re.compile(rf"(?:^|[,;:]\s*)[\"“‘«]?(?:{_words(_RATING['name_openers'])})\s+")
_NAME_VERB_RE = _whole(_RATING["name_verbs"])
MAX_NAME_WORDS = int(_RATING["max_words"])
_SUBJECT_VERB_RE = _whole(_RATING["subject_verbs"])
_VERB_TO_STARS_RE = re.compile(rf"(?:\s*(?:{_words(_RATING['subject_verb_to_stars'])})(?!\w))*\s*")
_SUBJECT_NAME_END_RE = _whole(_RATING["subject_name_ends"])
_SUBJECT_ADVERBS_RE = re.compile(rf"(?:\s*(?:{_words(_RATING['subject_adverbs'])})(?!\w))*\s*")
_SUBJECT_JOINER_RE = re.compile(rf"\s*(?:{_words(_RATING['subject_name_joiners'])})\s+")
_NOT_SUBJECT_START_RE = re.compile(rf"(?:{_words(_RATING['not_subject_starts'])})(?!\w)")

_BUDGET = _RULES["budget"]
_BUDGET_RE = _whole(_BUDGET["words"])
_NOT_BUDGET_RE = _whole(_BUDGET["not_budget"])
_PER_UNIT_RE = _at_start(_BUDGET["per_unit_after"])
_PER_UNIT_BEFORE_RE = _at_end(_BUDGET["per_unit_before"])
# "mỗi chủ thể được hỗ trợ tối đa" is read this far before an amount.
PER_UNIT_REACH = 60
_PROGRAMME_RE = _whole(_BUDGET["programme_words"])

_PRESS_HOME = {domain.lower(): name for domain, name in _PRESS["home"].items()}
_HOST_LABEL_PREFIXES = tuple(_PRESS["host_rule"]["label_prefixes"])


# ---------------------------------------------------------------------------------------------------
# Reading one sentence


@dataclass
class _Stars:
    start: int
    end: int
    levels: frozenset[int]
    open_ended: bool

    @property
    def level(self) -> int | None:
        """The one level stated, or None for several. Opened upwards ("3 sao trở lên") the phrase spans
        several levels, except at the top level: "5 sao trở lên", "cấp quốc gia trở lên" are 5."""
        if len(self.levels) != 1:
            return None
        (level,) = self.levels
        return level if level == NATIONAL_LEVEL or not self.open_ended else None


@dataclass
class _Count:
    kind: str
    value: int
    start: int
    end: int
    noun_end: int
    noun: str = ""
    qualifier: str | None = None
    zero: bool = False
    stars: int | None = None
    star_phrase: _Stars | None = None
    owner_of: "_Count | None" = None      # a subject count "của 7 chủ thể" belongs to the product count before it
    status: str | None = None
    scope: str | None = None
    province: str | None = None
    nationwide: bool = False
    districts: list[str] = field(default_factory=list)
    year: int | None = None


@dataclass
class _Article:
    """What a sentence's article tells: title, URL, the text before the sentence, the publication date, and
    the home province of the paper that published it (when the caller knows it)."""

    title: str
    url: str
    context: str
    published_at: datetime | None
    home_province: str | None = None

    @property
    def tail(self) -> str:
        return self.context[-CONTEXT_REACH:]

    @property
    def post_merger(self) -> bool:
        """Published after the 2025 merger of provinces took effect: wards and communes are the 2025 units'."""
        return self.published_at is not None and self.published_at.date() >= MERGER_EFFECTIVE

    def is_about_ocop(self) -> bool:
        return bool(OCOP_RE.search(self.title.lower()) or "ocop" in self.url.lower()
                    or OCOP_RE.search(self.context.lower()))

    def recent_signal(self) -> bool:
        tail = self.tail.lower()
        return bool(OCOP_RE.search(tail) or _STAR_ATOM_RE.search(tail))

    def previous_sentence(self) -> tuple[str, "_Article"] | None:
        """The last sentence of the context, and the article as it stood before it."""
        reach = CONTEXT_REACH
        while True:         # split a short tail first; widen it until the last sentence is whole
            sentences = split_sentences(self.context[-reach:])
            if len(sentences) > 1 or reach >= len(self.context):
                break
            reach *= CONTEXT_WIDENING
        if not sentences:
            return None
        last = sentences[-1]
        before = self.context[: self.context.rfind(last)].rstrip()
        return last, _Article(self.title, self.url, before, self.published_at, self.home_province)


class _Text(str):
    """A sentence's match text that keeps the matches of each rule pattern, found once over the whole text,
    with their starts (in order) to find those inside a stretch by bisection."""

    def matches(self, pattern: _WordRegex) -> tuple[list[re.Match[str]], list[int]]:
        found = self.__dict__.get(pattern.pattern)
        if found is None:
            matches = pattern.findall(self)
            found = self.__dict__[pattern.pattern] = (matches, [match.start() for match in matches])
        return found


def _signals(low: str) -> list[tuple[re.Match[str], str | None]]:
    """The signal words of the sentence (`_SIGNALS`) with their categories, read once per sentence."""
    if isinstance(low, _Text):
        found = low.__dict__.get("signals")
        if found is None:
            found = low.__dict__["signals"] = [(match, _SIGNALS.category(match)) for match in low.matches(_SIGNALS)[0]]
        return found
    return [(match, _SIGNALS.category(match)) for match in _SIGNALS.finditer(low)]


def _within(low: str, pattern: _WordRegex, begin: int, end: int) -> list[re.Match[str]]:
    """The matches of a pattern inside [begin, end) of the text."""
    if isinstance(low, _Text):
        matches, starts = low.matches(pattern)
        found = matches[bisect_left(starts, begin):bisect_left(starts, end)]
        if found and found[-1].end() > end:     # matches do not overlap: only the last can run past `end`
            found.pop()
        return found
    return list(pattern.finditer(low, begin, end))


def _match_text(text: str) -> str:
    """The text matched by the rules: lower case, diacritics kept (NFC), at the offsets of `text`.

    A semicolon inside brackets (a list of products) is read as a comma: it does not end a clause.
    The tone placement is not unified (that would be slow): the rules list both spellings of a word with
    an open rhyme ("lũy kế", "luỹ kế").
    """
    if not unicodedata.is_normalized("NFC", text):
        composed = unicodedata.normalize("NFC", text)
        text = composed if len(composed) == len(text) else text
    lowered = text.lower()
    lowered = lowered if len(lowered) == len(text) else fold_keep_offsets(text)
    if ";" in lowered and "(" in lowered:
        lowered = _PARENTHESES_RE.sub(lambda match: match.group().replace(";", ","), lowered)
    return lowered


def _star_phrases(low: str) -> list[_Stars]:
    atoms: list[tuple[int, int, set[int]]] = []
    for match in _within(low, _STAR_ATOM_RE, 0, len(low)):
        if match.group(1) is None:
            atoms.append((match.start(), match.end(), {NATIONAL_LEVEL}))
            continue
        first = int(match.group(1))
        last = int(match.group(2) or first)
        atoms.append((match.start(), match.end(), set(range(min(first, last), max(first, last) + 1))))
    phrases: list[_Stars] = []
    for start, end, levels in atoms:
        if phrases and start >= phrases[-1].end:
            joiner = _STAR_JOINER_RE.fullmatch(low, phrases[-1].end, start)
            if joiner:
                last = phrases[-1]
                phrases[-1] = _Stars(last.start, end, last.levels | levels, last.open_ended)
                continue
        elif phrases and start < phrases[-1].end:
            continue
        phrases.append(_Stars(start, end, frozenset(levels), False))
    for phrase in phrases:
        phrase.open_ended = bool(_OPEN_AFTER_RE.match(low, phrase.end)
                                 or _OPEN_BEFORE_RE.search(low, max(0, phrase.start - _OPEN_BEFORE_REACH), phrase.start))
    upgraded: list[_Stars] = []
    for phrase in phrases:      # "từ 3 sao lên 4 sao": one phrase, at the level reached
        if upgraded and upgraded[-1].open_ended and _UPGRADE_RE.fullmatch(low, upgraded[-1].end, phrase.start):
            upgraded[-1] = _Stars(upgraded[-1].start, phrase.end, phrase.levels, phrase.open_ended)
        else:
            upgraded.append(phrase)
    return upgraded


def _counts(low: str) -> list[_Count]:
    """Numbers followed by a product or subject noun, "chưa có sản phẩm", and "tổng số sản phẩm ... lên N"."""
    counts: list[_Count] = []
    # where the text before a number must not end: after "Mỗi xã", "số", "chủ thể có từ" (spaces aside)
    vetoed_ends: set[int] | None = None     # read when the first count is found
    for noun, category in _signals(low):
        if category == "zero":
            after = _NOUN_AFTER_RE.match(low, noun.end())
            if after:
                kind = "product_count" if after.group("product") else "subject_count"
                counts.append(_Count(kind, 0, noun.start(), noun.end(), after.end(), after.group().strip(), zero=True))
            continue
        if category not in ("product", "subject"):
            continue
        mention = number_before(low, noun.start())
        if mention is None or not isinstance(mention.value, int):
            continue
        if vetoed_ends is None:
            vetoed_ends = {_before_spaces(low, match.end()) for match in _within(low, _VETO_BEFORE_RE, 0, len(low))}
        if _before_spaces(low, mention.start) in vetoed_ends:
            continue
        if _VETO_AFTER_NOUN_RE.match(low, noun.end()):
            continue
        kind = "product_count" if category == "product" else "subject_count"
        counts.append(_Count(kind, mention.value, mention.start, mention.end, noun.end(), noun.group(), mention.qualifier))
    taken = {count.start for count in counts}
    for match in _TOTAL_BEFORE_RE.findall(low):
        offset = len(low) - len(low[match.end():].lstrip())
        window = low[offset:offset + NUMBER_REACH]
        mention = next(iter(find_numbers(window)), None)
        if mention is not None and mention.start > 0 and (qualifier_before(window, mention.start) or ("", -1))[1] != 0:
            mention = None          # the number must open the text after "lên", "là" (its qualifier aside)
        if mention is None or not isinstance(mention.value, int) or mention.start + offset in taken:
            continue
        noun = match.group(1) or ""
        kind = "product_count" if _PRODUCT_RE.fullmatch(noun) else "subject_count"
        counts.append(_Count(kind, mention.value, mention.start + offset, mention.end + offset,
                             mention.phrase_end + offset, noun, mention.qualifier))
    counts.sort(key=lambda count: count.start)
    return counts


def _before_spaces(text: str, position: int) -> int:
    """Where the spaces just before `position` begin."""
    while position and text[position - 1].isspace():
        position -= 1
    return position


def _clause_start(low: str, position: int) -> int:
    return low.rfind(";", 0, position) + 1


def _clause_end(low: str, position: int) -> int:
    end = low.find(";", position)
    return len(low) if end < 0 else end


def _region_before(low: str, counts: list[_Count], index: int) -> int:
    """Where the words of the count at `index` begin: after the count before it, or its clause's start."""
    start = _clause_start(low, counts[index].start)
    if index > 0:
        previous = counts[index - 1]
        start = max(start, previous.star_phrase.end if previous.star_phrase and previous.star_phrase.end
                    <= counts[index].start else previous.noun_end)
    return start


def _forward_end(low: str, counts: list[_Count], index: int) -> int:
    following = counts[index + 1].start if index + 1 < len(counts) else len(low)
    return min(following, _clause_end(low, counts[index].noun_end))


def _assign_owners(low: str, counts: list[_Count]) -> None:
    for previous, count in zip(counts, counts[1:]):
        if count.kind == "subject_count" and previous.kind == "product_count" and previous.owner_of is None:
            gap = low[previous.noun_end:count.start]
            if ";" not in gap and _OWNER_GAP_RE.search(gap):
                count.owner_of = previous


def _assign_stars(sentence: str, low: str, counts: list[_Count], phrases: list[_Stars]) -> None:
    for index, count in enumerate(counts):
        if index + 1 < len(counts) and counts[index + 1].owner_of is count:
            continue                                       # the owners' count finds the stars of both
        lead = count.owner_of or count
        lead_index = counts.index(lead)
        begin, end = lead.noun_end, _forward_end(low, counts, index)
        part = _within(low, _PART_OF_RE, begin, end)
        end = part[0].start() if part else end   # "20 sản phẩm, trong đó có sản phẩm đạt 5 sao"
        phrase = next((phrase for phrase in phrases if lead.end <= phrase.start < end and phrase.end > begin), None)
        clause = _clause_start(low, lead.start)
        first_in_clause = lead_index == 0 or counts[lead_index - 1].start < clause
        if phrase is None and first_in_clause:
            phrase = next((phrase for phrase in reversed(phrases) if clause <= phrase.start and phrase.end <= lead.start),
                          None)
        count.star_phrase = phrase
        count.stars = phrase.level if phrase else None
        if count.owner_of is not None:
            count.owner_of.star_phrase, count.owner_of.stars = phrase, count.stars
    for index in range(len(counts) - 2, -1, -1):           # items of one list share the level stated last
        count, following = counts[index], counts[index + 1]
        if count.star_phrase is None and following.stars is not None and following.kind == count.kind \
                and following.owner_of is None and _is_list_gap(sentence, low, count.noun_end, following.start):
            count.stars = following.stars


def _is_list_gap(sentence: str, low: str, start: int, end: int) -> bool:
    gap = low[start:end]
    for match in _LIST_GAP_RE.findall(gap):
        gap = gap[:match.start()] + " " * (match.end() - match.start()) + gap[match.end():]
    for token in re.finditer(r"[^\s,]+", gap):
        if not sentence[start + token.start()][0] in _CAPITALS_SET or OCOP_RE.fullmatch(token.group()):
            return False        # capitals are the places of the items; "20 sản phẩm OCOP và 1 sản phẩm 5 sao" is none
    return True



def _status_governors(low: str) -> list[re.Match[str]]:
    """The target words of the sentence, outside the phrases where they state no plan ("đạt kế hoạch")."""
    if isinstance(low, _Text) and "governors" in low.__dict__:
        return low.__dict__["governors"]
    if not _within(low, _TARGET_RE, 0, len(low)):
        return []
    excluded = [match.span() for match in _within(low, _NOT_TARGET_RE, 0, len(low))]
    governors = [match for match in _within(low, _TARGET_RE, 0, len(low))
                 if not any(start <= match.start() < end for start, end in excluded)]
    if isinstance(low, _Text):
        low.__dict__["governors"] = governors
    return governors


def _own_status(low: str, counts: list[_Count], index: int, before: list[str]) -> tuple[str | None, bool]:
    """The status a count's own words give: the first status word after it, else the nearest before it
    (`before`: the status words between the count before it, or its clause's start, and the count)."""
    count = counts[index]
    owners = counts[index + 1] if index + 1 < len(counts) and counts[index + 1].owner_of is count else None
    after_end = _forward_end(low, counts, index + 1 if owners else index)
    weak = False
    weak_end = -1
    for match in _within(low, _STATUS_WORD_RE, count.noun_end, after_end):
        category = _STATUS_WORD_RE.category(match)
        if category == "weak" or (weak_end >= 0 and category == "achieved"
                                  and _WEAK_JOINER_RE.fullmatch(low, weak_end, match.start())):
            weak, weak_end = True, match.end()
            continue
        return category, weak
    for category in reversed(before):
        if category == "weak":
            weak = True
        elif category == "candidate":
            return "candidate", weak
        elif category == "achieved" or not weak:
            return "achieved", weak      # "có" does not outweigh "tham gia đánh giá" after the number
    return None, weak


def _words_before(low: str, begin: int, end: int) -> list[str]:
    """The status words in [begin, end), in order: candidate, achieved, weak, or holding ("có", "gồm")."""
    words = [(match.start(), match.end(), _STATUS_WORD_RE.category(match))
             for match in _within(low, _STATUS_WORD_RE, begin, end)]
    words += [(match.start(), match.end(), "holding") for match in _within(low, _HOLDING_RE, begin, end)
              if not any(start < match.end() and match.start() < stop for start, stop, _ in words)]
    return [category for _, _, category in sorted(words)]


def _assign_status(low: str, counts: list[_Count], parent: _Count | None) -> None:
    governors = _status_governors(low)
    for index, count in enumerate(counts):
        if count.owner_of is not None:
            continue
        own_before = _words_before(low, _region_before(low, counts, index), count.start)
        own, weak = _own_status(low, counts, index, own_before)
        governed_before = any(
            governor.end() <= count.start and not _within(low, _PRESENT_RE, governor.end(), count.start)
            for governor in governors
        )
        clause_end = _clause_end(low, count.noun_end)
        governed_after = not own_before and any(
            count.noun_end <= governor.start() < clause_end for governor in governors
        )
        if governed_before or governed_after or (parent is not None and parent.status == "target" and index == 0):
            count.status = "target"
        elif own is not None:
            count.status = own
        elif index > 0 and counts[index - 1].status is not None:
            count.status = counts[index - 1].status if counts[index - 1].owner_of is None \
                else counts[index - 1].owner_of.status
        elif parent is not None and parent.status is not None:
            count.status = parent.status
        else:
            count.status = "candidate" if weak else "achieved"
    for count in counts:
        if count.owner_of is not None:
            count.status = count.owner_of.status


def _strong_scope(low: str, counts: list[_Count], index: int) -> str | None:
    count = counts[index]
    after = low[count.noun_end:count.noun_end + AFTER_NOUN_REACH]
    if _NEW_AFTER_NOUN_RE.match(after):
        return "new"
    if _TOTAL_AFTER_NOUN_RE.match(after):
        return "total"
    found = _within(low, _SCOPE_STRONG_RE, _region_before(low, counts, index) if index else 0, count.start)
    if found:
        return _SCOPE_STRONG_RE.category(found[-1])
    return None


def _is_next_item(low: str, start: int, end: int) -> bool:
    """Does the text between two counts close one item of a list and open the next ("55 sản phẩm tham gia
    đánh giá lại, 3 sản phẩm thi nâng hạng"), saying nothing of scope? Then the second shares the first's."""
    return bool(_LIST_ITEM_END_RE.search(low, start, end)) and not _within(low, _SCOPE_STRONG_RE, start, end) \
        and not _within(low, _SCOPE_WEAK_RE, start, end)


def _assign_scope(low: str, counts: list[_Count], parent: _Count | None, headline_new: bool) -> None:
    opener = bool(_OPENER_RE.match(low))
    for index, count in enumerate(counts):
        if count.owner_of is not None:
            continue
        scope = _strong_scope(low, counts, index)
        if scope is None and index > 0:
            previous = counts[index - 1].owner_of or counts[index - 1]
            start = counts[index - 1].star_phrase.end if counts[index - 1].star_phrase \
                and counts[index - 1].star_phrase.end <= count.start else counts[index - 1].noun_end
            gap = _PARENTHESES_RE.sub("", low[start:count.start])
            if _INNER_BREAKDOWN_RE.search(gap) or _PLAIN_GAP_RE.fullmatch(gap) or _is_next_item(low, start, count.start):
                scope = previous.scope
        if scope is None and index == 0 and opener and parent is not None:
            scope = parent.scope
        if scope is None and headline_new:
            scope = "new"
        if scope is None and count.status != "target":
            if count.zero:
                scope = "total"
            else:
                weak = _within(low, _SCOPE_WEAK_RE, _region_before(low, counts, index) if index else 0, count.start)
                if weak:
                    scope = _SCOPE_WEAK_RE.category(weak[-1])
        count.scope = scope
    for count in counts:
        if count.owner_of is not None:
            count.scope = count.owner_of.scope


def _years(low: str, published_at: datetime | None) -> list[tuple[int, int]]:
    """(position, year) of every year the sentence gives for its facts."""
    found: dict[int, int] = {}
    # Every year pattern writes its year in four digits: a sentence without four digits in a row is not
    # scanned for them (the patterns open with digits or a word, which the regex engine cannot skip to).
    if _FOUR_DIGITS_RE.search(low):
        excluded: list[tuple[int, int]] | None = None
        for match in _YEAR_RE.findall(low):
            if excluded is None:
                excluded = [span.span() for span in _NOT_FACT_YEAR_RE.findall(low)]
            group = match.lastindex
            year = int(match.group(group))
            if EARLIEST_YEAR <= year <= LATEST_YEAR and not any(start <= match.start(group) < end for start, end in excluded):
                found[match.start()] = year
    if published_at is not None:
        for match in _THIS_YEAR_RE.findall(low):
            found.setdefault(match.start(), published_at.year)
    return sorted(found.items())


def _year_for(years: list[tuple[int, int]], position: int) -> int | None:
    before = [year for start, year in years if start < position]
    if before:
        return before[-1]
    after = [year for start, year in years if start >= position]
    return after[0] if after else None


# ---------------------------------------------------------------------------------------------------
# Places


# The places of the last sentences read are kept: a sentence's places are looked up again as the context
# of the sentences after it (the context read holds a few sentences: room for that many per reading).
SENTENCES_IN_CONTEXT = 4


@lru_cache(maxsize=RECENT_READINGS * SENTENCES_IN_CONTEXT)
def _provinces_in(sentence: str) -> tuple:
    return tuple(find_provinces(sentence))


@lru_cache(maxsize=RECENT_READINGS * SENTENCES_IN_CONTEXT)
def _districts_in(sentence: str) -> tuple:
    return tuple(find_districts(sentence))


@dataclass
class _Districts:
    start: int
    end: int
    name: str
    province: str | None


@lru_cache(maxsize=RECENT_READINGS * SENTENCES_IN_CONTEXT)
def _placed_districts(sentence: str, post_merger: bool) -> tuple[_Districts, ...]:
    """The districts the gazetteer finds, with their province; in an article published after the 2025
    merger, a district's area is in the 2025 unit, and a commune or ward named with its prefix ("phường
    Hội An") is one of a 2025 unit (Đà Nẵng)."""
    found = [_Districts(mention.start, mention.end, mention.name, mention.province.name if mention.province else None)
             for mention in _districts_in(sentence)]
    if post_merger:     # the districts were abolished: the area named is in the 2025 unit its province became part of
        found = [_Districts(d.start, d.end, d.name, _current_unit(d.province) or d.province) if d.province else d
                 for d in found]
        for commune in find_communes(sentence):
            unit = _merged_unit(commune)
            if unit is None:
                continue
            found = [district for district in found if not (district.start < commune.end and commune.start < district.end)]
            found.append(_Districts(commune.start, commune.end, commune.name, unit))
    return tuple(sorted(found, key=lambda district: district.start))


def _merged_unit(commune) -> str | None:
    """The 2025 unit a commune named after the merger belongs to: its one 2025 candidate, else the 2025 unit
    of its one province."""
    new = [unit for unit in commune.candidates if unit.era == NEW_ERA]
    if len(new) == 1:
        return new[0].name
    return commune.province.current if commune.province is not None and not new else None


@dataclass
class _Place:
    start: int
    province: str | None
    nationwide: bool = False


def _sentence_places(sentence: str, low: str) -> list[_Place]:
    places = [_Place(mention.start, mention.province.name) for mention in _provinces_in(sentence)]
    nationwide = _NATIONWIDE_RE.findall(low)
    if nationwide:
        excluded = [match.span() for match in _NOT_NATIONWIDE_RE.findall(low)]
        places.extend(_Place(match.start(), None, True) for match in nationwide
                      if not any(start <= match.start() < end for start, end in excluded))
    return sorted(places, key=lambda place: place.start)


def _nearest(places: list, position: int):
    """The last place before `position`, else the first after it; `places` are in the order of their starts,
    so the first one at or after `position` ends the search."""
    nearest = None
    for place in places:
        if place.start >= position:
            return place if nearest is None else nearest
        nearest = place
    return nearest


# Place names in a URL's slug are read from windows of this many words down to one ("ba-ria-vung-tau");
# a one-word name must be this long ("tphcm", "daklak"), shorter words ("an", "hue") being too common.
MAX_NAME_SYLLABLES = 4
MIN_ONE_WORD_NAME = 5


@lru_cache(maxsize=ARTICLES_KEPT)
def _url_places(url: str) -> tuple[str | None, str | None, str | None]:
    """(province, district, press home) a URL tells: from its slug's words, then its host."""
    parts = urlsplit(url)
    slug = unquote(parts.path.rsplit("/", 1)[-1] or parts.path.strip("/").rsplit("/", 1)[-1])
    words = [word for word in re.split(r"[-_.\s]+", slug.lower()) if word.isalpha()]
    province = district = None
    for size in range(MAX_NAME_SYLLABLES, 0, -1):
        for begin in range(len(words) - size + 1):
            if size == 1 and len(words[begin]) < MIN_ONE_WORD_NAME:
                continue
            name, named_district = _slug_window(" ".join(words[begin:begin + size]))
            province = province or name
            district = district or named_district
            if province is not None and district is not None:
                break
        if province is not None and district is not None:
            break
    if province is None and district is not None:
        province = district[1]
    host = parts.netloc.lower().split(":")[0]
    host = host[4:] if host.startswith("www.") else host
    labels = host.split(".")
    home = next((_PRESS_HOME[domain] for domain in (".".join(labels[index:]) for index in range(len(labels)))
                 if domain in _PRESS_HOME), None)
    if home is None:
        home = _host_province(host)
    return province, district[0] if district else None, home


# Slug windows ("san pham", "ocop") recur across articles: their readings are kept.
@lru_cache(maxsize=SLUG_WINDOWS_KEPT)
def _slug_window(words: str) -> tuple[str | None, tuple[str, str] | None]:
    """(province, (district, its province)) that a window of slug words names; a district needs two words."""
    return _province_named(words), _district_named(words.title()) if " " in words else None


@lru_cache(maxsize=SLUG_WINDOWS_KEPT)
def _province_named(words: str) -> str | None:
    unit = resolve_province(words)
    return unit.name if unit else None


@lru_cache(maxsize=SLUG_WINDOWS_KEPT)
def _district_named(words: str) -> tuple[str, str] | None:
    """(district, province) when the whole of `words` names one district of one province."""
    found = [m for m in find_districts(words) if m.province is not None and m.end - m.start == len(words)]
    return (found[0].name, found[0].province.name) if found else None


def _host_province(host: str) -> str | None:
    for label in host.split(".")[:-1]:
        for prefix in _HOST_LABEL_PREFIXES:
            if label.startswith(prefix) and len(label) > len(prefix) + 2:
                name = _province_named(label[len(prefix):])
                if name is not None:
                    return name
    return None


@lru_cache(maxsize=ARTICLES_KEPT)
def _title_places(title: str, post_merger: bool) -> tuple[str | None, str | None]:
    provinces = find_provinces(title)
    districts = [mention for mention in _placed_districts(title, post_merger) if mention.province is not None]
    province = provinces[0].province.name if provinces else (districts[0].province if districts else None)
    return province, districts[0].name if districts else None


def _context_province(article: _Article) -> str | None:
    title_province, _ = _title_places(article.title, article.post_merger) if article.title else (None, None)
    if title_province:
        return title_province
    dateline = _DATELINE_RE.match(article.context[:DATELINE_REACH])
    if dateline:
        unit = resolve_province(dateline.group(1))
        if unit is not None:
            return unit.name
    slug_province, _, home = _url_places(article.url) if article.url else (None, None, None)
    if slug_province:
        return slug_province
    # The nearest earlier sentence first. After the merger, a sentence that names no place of its own speaks
    # of a unit that exists now: an abolished province named earlier ("hợp nhất với Quảng Nam") stands for
    # the 2025 unit it became part of.
    for sentence in reversed(split_sentences(article.tail)):
        mentions = _provinces_in(sentence)
        districts = [mention for mention in _placed_districts(sentence, article.post_merger) if mention.province]
        named = mentions[-1].province.name if mentions else districts[-1].province if districts else None
        if named is not None:
            return _current_unit(named) or named if article.post_merger else named
    return article.home_province or home


def _context_district(article: _Article) -> str | None:
    if article.title:
        district = _title_places(article.title, article.post_merger)[1]
        if district:
            return district
    return _url_places(article.url)[1] if article.url else None


def _may_name_a_district(sentence: str) -> bool:
    """Is there a capitalised word, after the first and outside the provinces named, that could begin a
    district's or commune's name? (Without one the gazetteer's district search is skipped: names are
    written with capitals, and an unprefixed district name has two syllables or more.)"""
    provinces = [(mention.start, mention.end) for mention in _provinces_in(sentence)]
    for word in _CAPITALISED_WORD_RE.finditer(sentence, 1):
        if not word.group().isupper() and not any(start <= word.start() < end for start, end in provinces):
            return True
    return False


def _sentence_districts(sentence: str, low: str, post_merger: bool) -> list[_Districts]:
    if not _may_name_a_district(sentence):
        return []
    found = list(_placed_districts(sentence, post_merger))
    for prefix in _COMMUNE_PREFIX_RE.findall(low):
        match = _COMMUNE_NAME_RE.match(sentence, prefix.end())
        if match and not any(d.start <= match.start(1) < d.end for d in found):
            found.append(_Districts(match.start(1), match.end(1), match.group(1), None))
    return sorted(found, key=lambda district: district.start)


def _assign_places(sentence: str, low: str, counts: list, article: _Article, parent: _Count | None) -> None:
    if not counts:
        return
    places = _sentence_places(sentence, low)
    districts = _sentence_districts(sentence, low, article.post_merger)
    placed_districts = [district for district in districts if district.province]

    def national_only() -> bool:
        return bool(_NATIONAL_ACTOR_RE.search(low)) and not _LOCAL_ACTOR_RE.search(low)

    fallback: tuple[str | None, bool] | None = None
    for index, count in enumerate(counts):
        place = _nearest(places, count.start)
        if place is not None:
            count.province, count.nationwide = place.province, place.nationwide
        else:
            district = _nearest(placed_districts, count.start)
            if district is not None:
                count.province = district.province
            elif parent is not None and _OPENER_RE.match(low):     # "Trong đó, ... được Bộ ... công nhận"
                count.province, count.nationwide = parent.province, parent.nationwide
            elif national_only():
                count.nationwide = True
            else:
                if fallback is None:
                    fallback = (_context_province(article), False)
                count.province = fallback[0]
        if count.nationwide:
            count.province, count.districts = None, []
        else:
            count.districts = _districts_for(low, counts, index, districts, article)


def _districts_for(low: str, counts: list, index: int, districts: list[_Districts], article: _Article) -> list[str]:
    count = counts[index]
    start = counts[index - 1].noun_end if index > 0 and isinstance(counts[index - 1], _Count) else 0
    own = [d for d in districts if start <= d.start < count.start]
    if len(own) > 1 and _EACH_RE.search(low, start, count.start):
        return [d.name for d in own]
    nearest = _nearest(districts, count.start)
    if nearest is not None:
        return [nearest.name]
    if not _within(low, _WIDE_AREA_RE, 0, len(low)):
        district = _context_district(article)
        if district:
            return [district]
    return []


# ---------------------------------------------------------------------------------------------------
# Product ratings and budgets


@dataclass
class _Rating:
    product: str
    start: int
    end: int
    stars: int
    status: str = "achieved"
    province: str | None = None
    nationwide: bool = False
    districts: list[str] = field(default_factory=list)
    year: int | None = None


def _ratings(sentence: str, low: str, counts: list[_Count], phrases: list[_Stars]) -> list[_Rating]:
    ratings: list[_Rating] = []
    if not phrases:
        return ratings
    for owner in _OWNER_RE.findall(low):
        phrase = next((phrase for phrase in phrases if phrase.start > owner.end()
                       and ";" not in low[owner.end():phrase.start]), None)
        if phrase is None or phrase.level is None:
            continue
        if any(owner.end() <= count.start < phrase.start or count.star_phrase is phrase for count in counts):
            continue
        name = _name_before(sentence, low, owner.start())
        if name is not None:
            ratings.append(_Rating(sentence[name[0]:name[1]], name[0], name[1], phrase.level))
    for opener in _NAME_OPENER_RE.finditer(low):
        rating = _named_product(sentence, low, opener.end(), counts, phrases)
        if rating is not None and not any(other.start < rating.end and rating.start < other.end for other in ratings):
            ratings.append(rating)
    for rating in _subject_ratings(sentence, low, counts, phrases):
        if not any(other.start < rating.end and rating.start < other.end for other in ratings):
            ratings.append(rating)
    for count in counts:
        phrase = count.star_phrase
        if phrase is None or count.stars is None:
            continue
        listing = re.match(r"\s*\(([^()]*)\)", sentence[phrase.end:])
        if listing is None or re.search(r"\d", listing.group(1)):
            continue
        offset = phrase.end + listing.start(1)
        separator = ";" if ";" in listing.group(1) else ","
        for item in re.finditer(rf"[^{separator}]+", listing.group(1)):
            text = item.group().strip().rstrip("…").rstrip(".").strip()
            if text and len(text.split()) <= MAX_NAME_WORDS and text.lower() not in _NOT_NAMES:
                begin = offset + item.start() + item.group().index(text)
                ratings.append(_Rating(text, begin, begin + len(text), count.stars))
    return ratings


def _named_product(sentence: str, low: str, start: int, counts: list[_Count], phrases: list[_Stars]) -> _Rating | None:
    """ "Sản phẩm Mật ong bạc hà đạt OCOP 4 sao": the name from `start` to the verb, and the level after it."""
    verb = _NAME_VERB_RE.search(low, start, _clause_end(low, start))
    if verb is None:
        return None
    written = sentence[start:verb.start()]
    name = written.strip().strip("“”\"'").strip()
    if not name or not (name[0] in _CAPITALS_SET or written.lstrip()[:1] in "“\"") or _OWNER_RE.search(low, start, verb.start()):
        return None
    if len(name.split()) > MAX_NAME_WORDS or _NUMBER_TOKEN_RE.search(name) or name.lower() in _NOT_NAMES:
        return None
    phrase = next((phrase for phrase in phrases if phrase.start >= verb.start()
                   and ";" not in low[verb.start():phrase.start]), None)
    if phrase is None or phrase.level is None or any(start <= count.start < phrase.start for count in counts):
        return None
    begin = start + written.index(name)
    return _Rating(name, begin, begin + len(name), phrase.level)


def _subject_ratings(sentence: str, low: str, counts: list[_Count], phrases: list[_Stars]) -> list[_Rating]:
    """Products named as the subject of the clause that rates them: "Bưởi Đoan Hùng đạt 4 sao", "Gạo ST25
    của một hợp tác xã ở huyện Mỹ Xuyên đạt 5 sao", "thanh long Châu Thành và lạp xưởng Cần Đước ... đều đạt
    4 sao" (one rating each)."""
    ratings: list[_Rating] = []
    for phrase in phrases:
        if phrase.level is None:
            continue
        clause = max(low.rfind(",", 0, phrase.start), low.rfind(";", 0, phrase.start), low.rfind(":", 0, phrase.start)) + 1
        if any(clause <= count.start < phrase.start for count in counts):
            continue
        verb = next((verb for verb in reversed(_within(low, _SUBJECT_VERB_RE, clause, phrase.start))
                     if _VERB_TO_STARS_RE.fullmatch(low, verb.end(), phrase.start)), None)
        if verb is None:
            continue
        if clause > 0 and low[clause - 1] == "," and _is_list_of_names(sentence, low, clause, verb.start()):
            clause = _list_start(sentence, low, clause)
        start = len(low) - len(low[clause:].lstrip()) if clause < len(low) else clause
        start += len(low[start:]) - len(low[start:].lstrip(" \"“‘«"))
        name_end = _SUBJECT_NAME_END_RE.search(low, start, verb.start())
        end = name_end.start() if name_end else verb.start()
        if name_end is None and not _SUBJECT_ADVERBS_RE.fullmatch(low, _adverbs_start(low, start, end), end):
            continue
        end = _adverbs_start(low, start, end) if name_end is None else end
        for begin, stop in _name_items(low, start, end):
            name = sentence[begin:stop].strip().strip("”\"'»’").strip()
            if _is_product_name(name, low, begin):
                ratings.append(_Rating(name, begin, begin + len(name), phrase.level))
    return ratings


def _adverbs_start(low: str, start: int, end: int) -> int:
    """Where the adverbs before a verb ("cũng vừa được ...") begin, looking back from `end`."""
    position = end
    while True:
        before = low[start:position].rstrip()
        word_start = max(before.rfind(" ") + 1, 0) + start
        if word_start >= len(before) + start or not _SUBJECT_ADVERBS_RE.fullmatch(low, word_start, end):
            return position
        position = word_start


def _name_items(low: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of a subject listing several products ("A và B", "A, B và C")."""
    items, begin = [], start
    for joiner in _SUBJECT_JOINER_RE.finditer(low, start, end):
        items.append((begin, joiner.start()))
        begin = joiner.end()
    items.append((begin, end))
    return [(b, e) for b, e in items if e > b]


def _is_list_of_names(sentence: str, low: str, clause: int, verb: int) -> bool:
    """Does the clause continue a list of names begun before its comma ("A, B và C đều đạt 4 sao")?"""
    return bool(_SUBJECT_JOINER_RE.search(low, clause, verb))


def _list_start(sentence: str, low: str, clause: int) -> int:
    """The start of a list of names ending at `clause`: back over the items that look like names."""
    while clause > 0 and low[clause - 1] == ",":
        previous = max(low.rfind(mark, 0, clause - 1) for mark in ",;:") + 1
        item = sentence[previous:clause - 1].strip()
        if not item or not _is_product_name(item, low, previous + sentence[previous:clause - 1].index(item)):
            break
        clause = previous
    return clause


def _is_product_name(name: str, low: str, start: int) -> bool:
    """A product's name: capitalised somewhere, short, with no number of its own, not a place, producer or
    pronoun."""
    if not name or len(name.split()) > MAX_NAME_WORDS or _NUMBER_TOKEN_RE.search(name):
        return False
    if name.lower() in _NOT_NAMES or _NOT_SUBJECT_START_RE.match(low, start) or _OPENER_RE.match(name.lower()):
        return False
    return any(char in _CAPITALS_SET for char in name)


# A product's name may hold digits inside a word ("Gạo ST25"), not a number of its own ("12 sản phẩm").
_NUMBER_TOKEN_RE = re.compile(r"(?<![\w.,])\d")


def _name_before(sentence: str, low: str, end: int) -> tuple[int, int] | None:
    """The product name ending at `end` (before "của Công ty ..."): back to a clause mark or name opener."""
    depth, start = 0, 0
    for position in range(end - 1, -1, -1):
        char = sentence[position]
        if char in ")]”\"" and char != "\"":
            depth += 1
        elif char in "([“" and depth:
            depth -= 1
        elif depth == 0 and char in ",;:(":
            start = position + 1
            break
    openers = list(_NAME_START_RE.finditer(low, start, end))
    if openers:
        start = openers[-1].end()
    text = sentence[start:end]
    stripped = text.strip().strip("“”\"'").strip()
    if not stripped:
        return None
    begin = start + text.index(stripped)
    if stripped.lower() in _NOT_NAMES or len(stripped.split()) > MAX_NAME_WORDS or _NUMBER_TOKEN_RE.search(stripped):
        return None
    return begin, begin + len(stripped)


def _budgets(low: str, signals: set[str]) -> list[_Count]:
    if "money" not in signals or not _BUDGET_RE.search(low) or _NOT_BUDGET_RE.search(low):
        return []
    return [
        _Count("budget", money.amount_vnd, money.start, money.end, money.phrase_end, qualifier=money.qualifier)
        for money in find_money(low) if not _PER_UNIT_RE.match(low, money.phrase_end)
        and not _PER_UNIT_BEFORE_RE.search(low, max(0, money.start - PER_UNIT_REACH), money.start)
    ]


# ---------------------------------------------------------------------------------------------------
# The public functions


# A sentence that details the one before is read with that one's reading, which may itself detail the one
# before it: a chain of "Trong đó" sentences is followed this many steps back, no further.
MAX_PARENT_DEPTH = 3
_PARENT_DEPTH: ContextVar[int] = ContextVar("facts_parent_depth", default=0)


@lru_cache(maxsize=RECENT_READINGS)
def _analysed(sentence: str, title: str, url: str, context: str, published_at: datetime | None,
              home_province: str | None = None):
    return _analyse(sentence, _Article(title, url, context, published_at, home_province))


def _analyse(sentence: str, article: _Article) -> tuple[list[_Count], list[_Rating], list[_Count]]:
    low = _Text(_match_text(sentence))
    signals = {category for _, category in _signals(low)}
    if not signals & {"product", "subject", "money", "stars"} or not (
            signals & _NUMBERED or _DIGIT_RE.search(low) or _NUMBER_WORD_RE.search(low)):
        return [], [], []
    ocop_here = "ocop" in signals
    phrases = _star_phrases(low)
    follow_on = not ocop_here and article.is_about_ocop() and (
        bool(phrases) or "rating" in signals or bool(_SUBJECT_WORD_RE.search(low)) or article.recent_signal())
    if not (ocop_here or follow_on):
        return [], [], []
    counts = _counts(low)
    if not ocop_here and not phrases:
        counts = [count for count in counts if not _FOLLOW_ON_VETO_RE.match(low, count.noun_end)]
    _assign_owners(low, counts)
    counts = [
        count for count in counts
        if count.kind == "product_count" or ocop_here or phrases or count.owner_of is not None
        or _SUBJECT_WORD_RE.fullmatch(count.noun)
    ]
    _assign_owners(low, counts)
    _assign_stars(sentence, low, counts, phrases)
    counts = [count for count in counts if not count.zero or count.stars is not None]
    parent = None
    if _OPENER_RE.match(low) and _PARENT_DEPTH.get() < MAX_PARENT_DEPTH:
        previous = article.previous_sentence()
        if previous is not None:
            sentence_before, article_before = previous
            depth = _PARENT_DEPTH.set(_PARENT_DEPTH.get() + 1)
            try:
                parent_counts = _analysed(sentence_before, article_before.title, article_before.url,
                                          article_before.context, article_before.published_at,
                                          article_before.home_province)[0]
            finally:
                _PARENT_DEPTH.reset(depth)
            parent = parent_counts[0] if parent_counts else None
    headline_new = _headline_tells_new(article.title, article.url)
    _assign_status(low, counts, parent)
    _assign_scope(low, counts, parent, headline_new)
    ratings = _ratings(sentence, low, counts, phrases)
    budgets = _budgets(low, signals) if ocop_here or _PROGRAMME_RE.search(low) else []
    if budgets:
        _assign_status(low, budgets, None)
    everything = counts + ratings + budgets
    years = _years(low, article.published_at) if everything else []
    _assign_places(sentence, low, everything, article, parent)
    governors = _status_governors(low)
    for item in everything:
        item.year = _year_for(years, item.start)
    for rating in ratings:
        if any(governor.end() <= rating.start for governor in governors):
            rating.status = "target"
        else:
            categories = (_STATUS_WORD_RE.category(match) for match in _within(low, _STATUS_WORD_RE, rating.end, len(low)))
            first = next((category for category in categories if category != "weak"), None)
            rating.status = "candidate" if first == "candidate" else "achieved"
    return counts, ratings, budgets


@lru_cache(maxsize=ARTICLES_KEPT)
def _headline_tells_new(title: str, url: str) -> bool:
    """Does the headline or the URL's slug tell of an addition ("Bến Tre thêm 12 sản phẩm OCOP")?"""
    return bool(_HEADLINE_NEW_RE.search(title.lower() + " " + fold(url.replace("-", " ").replace("/", " "))))


@lru_cache(maxsize=UNITS_KEPT)
def _current_unit(province: str) -> str | None:
    return current_unit(province)


def _fact(sentence: str, kind: str, span: tuple[int, int], item, district: str | None, **fields) -> Fact:
    return Fact(
        kind=kind, sentence=sentence, span=span, status=item.status, province=item.province,
        province_current=_current_unit(item.province) if item.province else None,
        nationwide=item.nationwide, district=district, year=item.year, **fields,
    )


def extract_facts(sentence: str, *, title: str | None = None, url: str | None = None, context: str | None = None,
                  published_at: datetime | None = None, home_province: str | None = None) -> list[Fact]:
    """The OCOP facts of one sentence; title, URL and the article's text before it give its context, and
    `home_province` (a provincial paper's province) the place when nothing nearer names one."""
    if not isinstance(sentence, str) or not sentence.strip():
        return []
    article = _Article(title if isinstance(title, str) else "", url if isinstance(url, str) else "",
                       context if isinstance(context, str) else "",
                       published_at if isinstance(published_at, datetime) else None, _home_name(home_province))
    try:
        counts, ratings, budgets = _analysed(sentence, article.title, article.url, article.context, article.published_at,
                                             article.home_province)
    except Exception:  # noqa: BLE001 - extract/ never raises on a page; a rule bug is logged, not fatal
        log.exception("fact extraction failed on %r", sentence[:LOGGED_SENTENCE_LENGTH])
        return []
    facts: list[Fact] = []
    for count in counts:
        for district in count.districts or [None]:
            facts.append(_fact(sentence, count.kind, (count.start, count.end), count, district, count=count.value,
                               stars=count.stars, scope=count.scope, qualifier=count.qualifier))
    for rating in ratings:
        facts.append(_fact(sentence, "product_rating", (rating.start, rating.end), rating,
                           rating.districts[0] if rating.districts else None, stars=rating.stars, product=rating.product))
    for budget in budgets:
        facts.append(_fact(sentence, "budget", (budget.start, budget.end), budget,
                           budget.districts[0] if budget.districts else None, amount_vnd=budget.value,
                           qualifier=budget.qualifier))
    return facts


def _home_name(home_province) -> str | None:
    """A home province given by the caller, as its canonical name ("Tp. Cần Thơ" -> "Cần Thơ"); None when
    it names no province."""
    if not isinstance(home_province, str) or not home_province.strip():
        return None
    return _province_named(home_province.strip())   # every 2025 unit bears the name of a pre-2025 one


def facts_for_article(*, title: str | None, lead: str | None, text: str | None, url: str | None,
                      published_at: datetime | None, home_province: str | None = None) -> tuple[Fact, ...]:
    """Every fact of an article: its lead and text split into sentences, each read with what came before."""
    lead, text = (lead or "").strip(), (text or "").strip()
    body = text if lead and text.startswith(lead) else "\n".join(part for part in (lead, text) if part)
    facts: list[Fact] = []
    before: list[str] = []
    for sentence in split_sentences(body):
        facts.extend(extract_facts(sentence, title=title, url=url, context=" ".join(before), published_at=published_at,
                                   home_province=home_province))
        before.append(sentence)
    return tuple(facts)
