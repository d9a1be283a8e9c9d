"""The gazetteer: Vietnam's province-level units before and after 1 July 2025, their merger, spellings, districts and communes.

Unit data comes from two maintained packages: vietnamadminunits (the 63 pre-2025 units with their
districts and communes, the 2025 communes, and its 2025 converter, which says which old units make up
each new one) and vietnam-provinces (the 34 units from 1 July 2025). `extract/rules/places.toml` adds what they lack:
aliases and abbreviations, prefixes, and phrases that contain a province's name without denoting it.
Old and new units are joined by name, never by code (a new unit reuses the code of the old unit that
hosts its capital, not always its namesake's).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from vietnam_provinces import Province as NewUnitRecord

from extract.text import fold, fold_keep_offsets, normalize

RULES_PATH = Path(__file__).parent / "rules" / "places.toml"
_RULES = tomllib.loads(RULES_PATH.read_text(encoding="utf-8"))

OLD_ERA = "old"
NEW_ERA = "new"

# What may stand between the syllables of a name: spaces, hyphens, dashes, dots, or nothing ("Daklak").
_SEPARATOR_CHARS = r"\s.\-\u2010-\u2015"
_SEPARATOR = rf"[{_SEPARATOR_CHARS}]*"
_SEPARATOR_RUN = re.compile(rf"[{_SEPARATOR_CHARS}]+")
# Between a prefix and the name: a dot ("TP.Cần Thơ", "H. Cầu Kè") or at least one space.
_AFTER_PREFIX = r"(?:\s*\.\s*|\s+)"
# Punctuation a name may come wrapped in: "(Cần Thơ)", "“Huế”", "Sóc Trăng:".
_SURROUNDING_PUNCTUATION = " \t\n.,;:!?()[]{}\"'“”‘’«»–—-"
_WORD_BEFORE = re.compile(r"(\w+)\s*$")
# What separates the names of a list ("các huyện Châu Thành, Chợ Gạo và Gò Công Tây").
_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|và|hoặc)\s*")
# A name written without a prefix must have at least this many syllables to count as a district:
# one-syllable names ("Vinh", the numbered "Quận 1") are too often ordinary words or numbers.
_MIN_SYLLABLES_WITHOUT_PREFIX = 2


@dataclass(frozen=True)
class Province:
    """A province-level unit: canonical name without prefix, GSO code of its era, and the 2025 unit it is part of."""

    name: str
    code: str
    era: str
    current: str


@dataclass(frozen=True)
class District:
    """A pre-2025 district-level unit (huyện, quận, thị xã, thành phố thuộc tỉnh) and its province."""

    name: str
    kind: str
    province: Province


@dataclass(frozen=True)
class PlaceMention:
    """A province named in a sentence: [start, end) offsets of the name (without its prefix)."""

    province: Province
    start: int
    end: int


@dataclass(frozen=True)
class DistrictMention:
    """A district (or, from find_communes, a commune) named in a sentence: its name without prefix,
    [start, end) of the name as written, the prefix as written if any; `province` is None when the name
    fits units of several provinces, which are then the `candidates`."""

    name: str
    province: Province | None
    candidates: tuple[Province, ...]
    start: int
    end: int
    prefix: str | None


# ---------------------------------------------------------------------------------------------------
# Spellings


def spelling_key(text: str) -> str:
    """A name as compared with diacritics: normalized, lower case, without separators."""
    return _SEPARATOR_RUN.sub("", normalize(text).lower())


def _written_key(written: str) -> str:
    """`spelling_key` of text already normalized (a slice of a normalized sentence): cheap."""
    return _SEPARATOR_RUN.sub("", written.lower())


def _exactly_spelled(spellings: list, written: str) -> list:
    """The units among (unit, spelling key) pairs whose spelling is the one written, diacritics included
    (normalized first if need be: a sentence that skipped `normalize` may write "Hoà" for "Hòa")."""
    cheap = _written_key(written)
    exact = [unit for unit, spelling in spellings if spelling == cheap]
    if exact:
        return exact
    full = spelling_key(written)
    return [unit for unit, spelling in spellings if spelling == full] if full != cheap else []


def folded_key(text: str) -> str:
    """A name as compared without diacritics: `spelling_key` folded ("Bà Rịa - Vũng Tàu" -> "bariavungtau")."""
    return fold(spelling_key(text))


def _syllables(text: str) -> list[str]:
    return [part for part in _SEPARATOR_RUN.split(fold(normalize(text).lower())) if part]


def _strip_prefix(text: str, prefixes: list[str]) -> str:
    lowered = text.lower()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if lowered.startswith(prefix) and len(text) > len(prefix):
            rest = text[len(prefix):]
            if rest[0] in " .":
                return rest.lstrip(" .")
    return text


# ---------------------------------------------------------------------------------------------------
# Unit data from the packages

# vietnamadminunits' data files are read in place: importing the package itself loads its address
# parsers and geopy (half a second), none of which the gazetteer needs.
_ADMIN_UNITS_DATA = Path(importlib.util.find_spec("vietnamadminunits").submodule_search_locations[0]) / "data"


def query_admin_units(sql: str) -> list[dict]:
    """Rows of vietnamadminunits' unit table: `admin_units_legacy` (63 units) or `admin_units` (34)."""
    connection = sqlite3.connect(f"file:{_ADMIN_UNITS_DATA / 'dataset.db'}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql)]
    finally:
        connection.close()


def _load_units() -> tuple[tuple[Province, ...], tuple[Province, ...]]:
    old_rows = query_admin_units(
        "SELECT DISTINCT provinceShort, provinceCode, provinceKey FROM admin_units_legacy ORDER BY provinceCode"
    )
    new_rows = query_admin_units("SELECT DISTINCT provinceShort, provinceKey FROM admin_units")
    converter = json.loads((_ADMIN_UNITS_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    old_name_by_key = {row["provinceKey"]: normalize(row["provinceShort"]) for row in old_rows}
    converter_new_name_by_key = {row["provinceKey"]: normalize(row["provinceShort"]) for row in new_rows}
    current_by_old_name = {
        old_name_by_key[old_key]: converter_new_name_by_key[new_key]
        for new_key, old_keys in converter["DICT_PROVINCE"].items()
        for old_key in old_keys
    }

    new_units = []
    for record in NewUnitRecord.iter_all():
        name = normalize(_strip_prefix(normalize(record.name), _RULES["province_prefixes"]))
        new_units.append(Province(name=name, code=f"{int(record.code):02d}", era=NEW_ERA, current=name))
    new_name_by_fold = {folded_key(unit.name): unit.name for unit in new_units}

    old_units = tuple(
        Province(
            name=old_name_by_key[row["provinceKey"]],
            code=row["provinceCode"],
            era=OLD_ERA,
            # The two packages spell a few names differently; they are joined on the folded name.
            current=new_name_by_fold[folded_key(current_by_old_name[old_name_by_key[row["provinceKey"]]])],
        )
        for row in old_rows
    )
    return old_units, tuple(sorted(new_units, key=lambda unit: unit.code))


def _load_districts(old_by_name: dict[str, Province]) -> tuple[District, ...]:
    """The package's districts (as of its data, shortly before 2025), then the former ones of places.toml."""
    rows = query_admin_units(
        "SELECT DISTINCT provinceShort, district, districtType FROM admin_units_legacy ORDER BY districtCode"
    )
    districts = []
    for row in rows:
        kind = normalize(row["districtType"])
        name = _name_without_kind(normalize(row["district"]), kind)
        districts.append(District(name=name, kind=kind, province=old_by_name[normalize(row["provinceShort"])]))
    for name, (kind, province) in _RULES["former_districts"].items():
        districts.append(District(name=normalize(name), kind=kind, province=old_by_name[normalize(province)]))
    return tuple(districts)


def _name_without_kind(full_name: str, kind: str) -> str:
    """"Huyện Cầu Kè" -> "Cầu Kè"; a numbered unit keeps its kind, a number alone being no name ("Quận 1")."""
    bare = full_name[len(kind):].strip() if full_name.startswith(kind + " ") else full_name
    return full_name if bare.isdigit() else bare


def _bare_name(name: str, kind: str) -> str:
    """The name as written after a prefix: "Quận 1" -> "1", "Cầu Kè" -> "Cầu Kè"."""
    return name[len(kind):].strip() if name.startswith(kind + " ") else name


OLD_PROVINCES, NEW_PROVINCES = _load_units()
_OLD_BY_NAME = {unit.name: unit for unit in OLD_PROVINCES}
_NEW_BY_NAME = {unit.name: unit for unit in NEW_PROVINCES}
DISTRICTS = _load_districts(_OLD_BY_NAME)


# ---------------------------------------------------------------------------------------------------
# Lookup by name


def _province_spellings() -> dict[str, list[str]]:
    """Every known spelling of each province, by canonical name."""
    spellings = {unit.name: [unit.name] for unit in OLD_PROVINCES}
    for name, aliases in _RULES["aliases"].items():
        spellings[normalize(name)].extend(aliases)
    return spellings


_SPELLINGS = _province_spellings()
_NAME_BY_SPELLING = {spelling_key(spelling): name for name, spellings in _SPELLINGS.items() for spelling in spellings}
_NAME_BY_FOLDED = {folded_key(spelling): name for name, spellings in _SPELLINGS.items() for spelling in spellings}
_NOT_PLACES = frozenset(folded_key(phrase) for phrase in _RULES["not_places"])


def resolve_province(text: str, *, era: str = OLD_ERA) -> Province | None:
    """The unit a name denotes, in any spelling, with or without prefix, diacritics optional.

    Every 2025 unit bears the name of a pre-2025 one, so a name alone does not tell the era: the pre-2025
    unit is returned unless `era="new"` asks for the 2025 unit of that name (None if there is none).
    """
    if not isinstance(text, str):
        return None
    text = _strip_prefix(normalize(text).strip(_SURROUNDING_PUNCTUATION), _RULES["province_prefixes"])
    name = _NAME_BY_SPELLING.get(spelling_key(text)) or _NAME_BY_FOLDED.get(folded_key(text))
    if name is None:
        return None
    return (_NEW_BY_NAME if era == NEW_ERA else _OLD_BY_NAME).get(name)


def current_unit(name: str) -> str | None:
    """The canonical name of the 2025 unit an old or new name belongs to: "Sóc Trăng" -> "Cần Thơ"."""
    unit = resolve_province(name)
    return unit.current if unit else None


def matching_names(query: str) -> set[str]:
    """The canonical names a query denotes: the unit, and for a 2025 unit every old unit merged into it."""
    unit = resolve_province(query)
    if unit is None:
        return set()
    if unit.name not in _NEW_BY_NAME:
        return {unit.name}
    return {unit.name} | {old.name for old in OLD_PROVINCES if old.current == unit.name}


# ---------------------------------------------------------------------------------------------------
# Finding names in sentences


def _alternation(token_sequences: list[list[str]]) -> str:
    """One regex for many multi-syllable names, as a character trie: at each point the engine tries a
    few next letters instead of every name (several times faster than a flat alternation); the longest
    name is tried first."""
    trie: dict = {}
    for tokens in token_sequences:
        node = trie
        for char in " ".join(tokens):
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    branches = []
    for char in sorted(char for char in node if char):
        child = node[char]
        head = _SEPARATOR if char == " " else re.escape(char)
        if not any(child):
            branches.append(head)
            continue
        tail = _trie_pattern(child)
        if "" in child:
            branches.append(f"{head}(?:{tail})?")
        else:
            branches.append(f"{head}{tail}" if len([c for c in child if c]) == 1 else f"{head}(?:{tail})")
    return "|".join(branches) if len(branches) > 1 or not branches else branches[0]


def _finder(prefixes: list[str], names: list[str], names_without_prefix: list[str] | None = None) -> re.Pattern[str]:
    """A regex over folded text, on word boundaries: a prefix then one of the names (group "name"), or
    one of the names that may stand without a prefix (group "bare"; by default all of them)."""
    prefix_pattern = _alternation([_syllables(prefix) for prefix in prefixes])
    name_pattern = _alternation([_syllables(name) for name in names])
    bare_pattern = name_pattern if names_without_prefix is None else _alternation(
        [_syllables(name) for name in names_without_prefix]
    )
    return re.compile(
        rf"(?<!\w)(?:(?P<prefix>{prefix_pattern}){_AFTER_PREFIX}(?P<name>{name_pattern})|(?P<bare>{bare_pattern}))(?!\w)"
    )


# The finders are called one after the other on the same sentence: each folds it once for all.
_FOLDED_SENTENCES_KEPT = 64
_folded = lru_cache(maxsize=_FOLDED_SENTENCES_KEPT)(fold_keep_offsets)


def _name_span(match: re.Match[str]) -> tuple[int, int]:
    return match.span("name") if match.group("name") is not None else match.span("bare")


_LOWER_UNIT_PREFIXES = frozenset(spelling_key(prefix) for prefix in _RULES["lower_unit_prefixes"])
_PROVINCE_PREFIXES = frozenset(spelling_key(prefix) for prefix in _RULES["province_prefixes"])
_DISTRICT_KIND_BY_PREFIX = {spelling_key(prefix): kind for prefix, kind in _RULES["district_prefixes"].items()}
_COMMUNE_KIND_BY_PREFIX = {spelling_key(prefix): kind for prefix, kind in _RULES["commune_prefixes"].items()}
_KNOWN_PREFIXES = (
    _LOWER_UNIT_PREFIXES | _PROVINCE_PREFIXES | _DISTRICT_KIND_BY_PREFIX.keys() | _COMMUNE_KIND_BY_PREFIX.keys()
)
_KNOWN_PREFIX_BY_FOLDED = {fold(prefix): prefix for prefix in _KNOWN_PREFIXES}
_PROVINCE_FINDER = _finder(
    _RULES["province_prefixes"] + _RULES["lower_unit_prefixes"],
    [spelling for spellings in _SPELLINGS.values() for spelling in spellings] + _RULES["not_places"],
)
_PERSON_NAME_MARKERS = frozenset(_RULES["person_name_markers"])
_PERSON_TITLES = frozenset(_RULES["person_titles"])
_SURNAMES = frozenset(_RULES["person_surnames"])


def _written_prefix(sentence: str, match: re.Match[str]) -> str | None:
    """The prefix before a name, as its spelling key, if it is spelled as one: with its diacritics, or
    without them only in a sentence that has none ("cơ quan Hà Nội" has no prefix "quận")."""
    if match.group("prefix") is None:
        return None
    key = _written_key(sentence[match.start("prefix"):match.end("prefix")])
    if key in _KNOWN_PREFIXES:
        return key
    return _KNOWN_PREFIX_BY_FOLDED.get(key) if sentence.isascii() else None


def _is_capitalized(written: str) -> bool:
    return all(not part[0].islower() for part in _SEPARATOR_RUN.split(written) if part)


def _spelled_as_known(written: str, known_keys) -> bool:
    """Diacritics either absent ("Can Tho") or as in a known spelling: "Thạnh Hóa" is not "Thanh Hóa"."""
    return written.isascii() or _written_key(written) in known_keys or spelling_key(written) in known_keys


def _word_before(sentence: str, start: int) -> str | None:
    found = _WORD_BEFORE.search(sentence, max(0, start - 24), start)
    return found.group(1) if found else None


def _names_a_person(sentence: str, start: int) -> bool:
    """Is the name at `start` part of a person's name: after a family name ("Trần Thái Bình"), a middle
    name ("Nguyễn Thị Huế") or a form of address ("chị Huế")?"""
    word = _word_before(sentence, start)
    return word is not None and (
        word in _PERSON_NAME_MARKERS or word in _SURNAMES or word.lower() in _PERSON_TITLES
    )


def find_provinces(sentence: str) -> list[PlaceMention]:
    """The province-level units named in a normalized sentence, in order, with the offsets of each name."""
    if not isinstance(sentence, str) or not sentence:
        return []
    mentions = []
    folded = _folded(sentence)
    for match in _PROVINCE_FINDER.finditer(folded):
        start, end = _name_span(match)
        key = _SEPARATOR_RUN.sub("", folded[start:end])
        name = _NAME_BY_FOLDED.get(key)
        if name is None or key in _NOT_PLACES:
            continue
        if _written_prefix(sentence, match) in _LOWER_UNIT_PREFIXES:
            continue
        written = sentence[start:end]
        if not _is_capitalized(written) or not _spelled_as_known(written, _NAME_BY_SPELLING):
            continue
        if _names_a_person(sentence, start):
            continue
        mentions.append(PlaceMention(province=_OLD_BY_NAME[name], start=start, end=end))
    return mentions


# District spellings: folded key -> [(district, spelling key)], so that a match is checked without
# normalizing anything again.
_DISTRICTS_BY_FOLDED: dict[str, list[tuple[District, str]]] = defaultdict(list)
for _district in DISTRICTS:
    _bare = _bare_name(_district.name, _district.kind)
    _DISTRICTS_BY_FOLDED[folded_key(_bare)].append((_district, spelling_key(_bare)))
# Province names and the phrases of `not_places` are alternatives too, so that the longest match wins:
# "Bà Rịa - Vũng Tàu" is the province, not the district Bà Rịa followed by other words.
_DISTRICT_FINDER = _finder(
    list(_RULES["district_prefixes"]),
    [_bare_name(district.name, district.kind) for district in DISTRICTS]
    + [spelling for spellings in _SPELLINGS.values() for spelling in spellings]
    + _RULES["not_places"],
    [name for name in (_bare_name(district.name, district.kind) for district in DISTRICTS)
     if len(_syllables(name)) >= _MIN_SYLLABLES_WITHOUT_PREFIX]
    + [spelling for spellings in _SPELLINGS.values() for spelling in spellings]
    + _RULES["not_places"],
)


def find_districts(sentence: str) -> list[DistrictMention]:
    """The pre-2025 districts named in a normalized sentence, with their province where it is certain.

    A name with a prefix ("huyện Đak Pơ", "quận Ninh Kiều", "TX. Duyên Hải") is a district, and so are
    the capitalised names listed right after it ("các huyện Châu Thành, Chợ Gạo và Gò Công Tây"); a name
    without one counts only when it has two syllables or more, is capitalised, names one district of
    one province, is not a province's name, and is not part of a person's name. A name shared by
    districts of several provinces resolves to the one the sentence also names as a province, else
    gives the candidates and no province.
    """
    if not isinstance(sentence, str) or not sentence:
        return []
    mentions = []
    provinces_named: set[str] | None = None
    listed_kind, listed_end = None, 0
    folded = _folded(sentence)
    for match in _DISTRICT_FINDER.finditer(folded):
        start, end = _name_span(match)
        key = _SEPARATOR_RUN.sub("", folded[start:end])
        spellings = _DISTRICTS_BY_FOLDED.get(key)
        if not spellings:
            continue
        written = sentence[start:end]
        exact = _exactly_spelled(spellings, written)
        prefix = _written_prefix(sentence, match)
        kind = _DISTRICT_KIND_BY_PREFIX.get(prefix) if prefix else None
        written_prefix = sentence[match.start("prefix"):match.end("prefix")] if kind else None
        if kind is None and listed_kind and _continues_a_list(sentence, listed_end, start, written, key):
            kind = listed_kind
        if kind is None and not _counts_without_prefix(sentence, start, written, key, exact):
            continue
        if kind is not None:
            listed_kind, listed_end = kind, end
        candidates = exact or [district for district, _ in spellings]
        candidates = [district for district in candidates if district.kind == kind] or candidates
        if len({district.province.name for district in candidates}) > 1:
            if provinces_named is None:
                provinces_named = {mention.province.name for mention in find_provinces(sentence)}
            candidates = [district for district in candidates if district.province.name in provinces_named] or candidates
        provinces = tuple({district.province.name: district.province for district in candidates}.values())
        names = {district.name for district in candidates}
        mentions.append(
            DistrictMention(
                name=names.pop() if len(names) == 1 else written,
                province=provinces[0] if len(provinces) == 1 else None,
                candidates=provinces,
                start=start,
                end=end,
                prefix=written_prefix,
            )
        )
    return mentions


def _continues_a_list(sentence: str, list_end: int, start: int, written: str, key: str) -> bool:
    """Does this name continue a list of districts (but is no province's name: "huyện Cầu Kè, Trà Vinh")?"""
    return (
        key not in _NAME_BY_FOLDED
        and _is_capitalized(written)
        and _LIST_SEPARATOR.fullmatch(sentence, list_end, start) is not None
    )


def _counts_without_prefix(sentence: str, start: int, written: str, key: str, exact: list[District]) -> bool:
    """Whether a district's name written without a prefix is taken as the district (see find_districts)."""
    if len(_SEPARATOR_RUN.split(written)) < _MIN_SYLLABLES_WITHOUT_PREFIX or not _is_capitalized(written):
        return False
    if key in _NAME_BY_FOLDED or not (exact or written.isascii()):
        return False
    if len({district.province.name for district in exact or [d for d, _ in _DISTRICTS_BY_FOLDED[key]]}) != 1:
        return False
    word = _word_before(sentence, start)
    if word is None:
        return True
    if _names_a_person(sentence, start):
        return False
    return not word[0].isupper() or sentence[:start].strip() == word


# ---------------------------------------------------------------------------------------------------
# Communes, wards and towns, before and after 2025


@dataclass(frozen=True)
class Commune:
    """A commune-level unit (xã, phường, thị trấn; đặc khu from 2025) and its province-level unit:
    the pre-2025 unit for a commune of before 1 July 2025, the 2025 unit for one of after."""

    name: str
    kind: str
    province: Province


# The most syllables a commune's name has after its prefix ("Phước Vĩnh An" has three).
_MAX_COMMUNE_SYLLABLES = 4
_COMMUNE_FINDER = re.compile(
    rf"(?<!\w)(?P<prefix>{_alternation([_syllables(prefix) for prefix in _RULES['commune_prefixes']])}){_AFTER_PREFIX}"
)
_NAME_SYLLABLES = re.compile(rf"[^\W_]+(?:[ \-][^\W_]+){{0,{_MAX_COMMUNE_SYLLABLES - 1}}}")
_SYLLABLE = re.compile(r"[^\W_]+")


@cache
def _communes_by_folded() -> dict[str, list[tuple[Commune, str]]]:
    """Folded name -> [(commune, spelling key)] over both eras; built on first use (13,000 units)."""
    index: dict[str, list[tuple[Commune, str]]] = defaultdict(list)
    eras = (("admin_units_legacy", _OLD_BY_NAME), ("admin_units", _NEW_BY_NAME))
    for table, provinces in eras:
        rows = query_admin_units(f"SELECT DISTINCT provinceShort, ward, wardType FROM {table} WHERE wardType IS NOT NULL")
        for row in rows:
            kind = normalize(row["wardType"])
            name = _name_without_kind(normalize(row["ward"]), kind)
            commune = Commune(name=name, kind=kind, province=provinces[_province_name_of(row["provinceShort"])])
            bare = _bare_name(name, kind)
            index[folded_key(bare)].append((commune, spelling_key(bare)))
    return dict(index)


def load_communes() -> None:
    """Build the commune index now rather than for the first sentence that names a commune (a long-running
    extraction process does this at its start)."""
    _communes_by_folded()


def _province_name_of(package_name: str) -> str:
    return _NAME_BY_FOLDED[folded_key(package_name)]


def find_communes(sentence: str) -> list[DistrictMention]:
    """Communes, wards and towns named with their prefix ("xã Đồng Lương", "phường Hải Lĩnh") in a
    normalized sentence, pre-2025 and 2025 units alike, with their province where it is certain.

    The name is the longest run of capitalised syllables after the prefix that names a unit; names
    listed after it count too ("các xã Tân Phú, Tân Hòa và Phú Lộc"), a province's name ending the list.
    A name shared by units of several provinces resolves to the one the sentence names as a province (or
    whose 2025 unit it names), else gives the candidates and no province.
    """
    if not isinstance(sentence, str) or not sentence:
        return []
    mentions: list[DistrictMention] = []
    folded = _folded(sentence)
    for match in _COMMUNE_FINDER.finditer(folded):
        if _written_prefix(sentence, match) not in _COMMUNE_KIND_BY_PREFIX:
            continue
        prefix = sentence[match.start("prefix"):match.end("prefix")]
        found = _longest_commune(sentence, folded, match.end())
        while found is not None:
            start, end, candidates = found
            mentions.append(_commune_mention(sentence, start, end, candidates, prefix))
            separator = _LIST_SEPARATOR.match(sentence, end)
            found = _longest_commune(sentence, folded, separator.end(), listed=True) if separator else None
            prefix = None
    return mentions


def _commune_mention(sentence: str, start: int, end: int, candidates: list[Commune], prefix: str | None) -> DistrictMention:
    provinces = _provinces_of(candidates)
    if len(provinces) > 1:
        named = _provinces_and_current_units_named(sentence)
        provinces = [unit for unit in provinces if unit.name in named] or provinces
    names = {commune.name for commune in candidates}
    return DistrictMention(
        name=names.pop() if len(names) == 1 else sentence[start:end],
        province=provinces[0] if len(provinces) == 1 else None,
        candidates=tuple(provinces),
        start=start,
        end=end,
        prefix=prefix,
    )


def _longest_commune(sentence: str, folded: str, offset: int, *, listed: bool = False) -> tuple[int, int, list[Commune]] | None:
    """The longest run of capitalised syllables from `offset` that names a commune (in a list after
    the first name, one that is no province's name)."""
    run = _NAME_SYLLABLES.match(folded, offset)
    if run is None:
        return None
    syllables = list(_SYLLABLE.finditer(folded, offset, run.end()))
    capitalised = 0
    for syllable in syllables:
        if sentence[syllable.start()].islower():
            break
        capitalised += 1
    index = _communes_by_folded()
    for count in range(capitalised, 0, -1):
        end = syllables[count - 1].end()
        key = _SEPARATOR_RUN.sub("", folded[offset:end])
        if listed and key in _NAME_BY_FOLDED:
            return None
        spellings = index.get(key)
        if spellings:
            exact = _exactly_spelled(spellings, sentence[offset:end])
            return offset, end, exact or [commune for commune, _ in spellings]
    return None


def _provinces_of(communes: list[Commune]) -> list[Province]:
    """The candidates' provinces, one per place: a 2025 unit that one of the pre-2025 candidates became
    part of is that same place seen after the merger ("thị trấn Cầu Kè": Trà Vinh, now Vĩnh Long)."""
    old = {commune.province.name: commune.province for commune in communes if commune.province.era == OLD_ERA}
    became = {unit.current for unit in old.values()}
    new = {
        commune.province.name: commune.province
        for commune in communes
        if commune.province.era == NEW_ERA and commune.province.name not in became | old.keys()
    }
    return list(old.values()) + list(new.values())


def _provinces_and_current_units_named(sentence: str) -> set[str]:
    named = find_provinces(sentence)
    return {mention.province.name for mention in named} | {mention.province.current for mention in named}
