"""Bytes of a web page -> Unicode text, including Vietnamese pages in windows-1258, TCVN3 (ABC) and VNI.

The declared encoding is found as browsers find it (BOM, then the HTTP charset, then <meta charset> or
http-equiv) by w3lib; undeclared pages are detected by charset-normalizer. Then legacy Vietnamese font
encodings, which declare themselves as Latin-1 or not at all, are recognised by what they look like
(mapping tables in `extract/rules/encodings.toml`) and converted.
"""

from __future__ import annotations

import codecs
import functools
import re
import tomllib
import unicodedata
from pathlib import Path

import charset_normalizer
from w3lib.encoding import html_to_unicode

from extract.text import TONE_MARKS

RULES_PATH = Path(__file__).parent / "rules" / "encodings.toml"
_RULES = tomllib.loads(RULES_PATH.read_text(encoding="utf-8"))

DEFAULT_ENCODING = "utf-8"
# The legacy-encoding test looks at the start of the page only: enough words to decide, at a bounded
# cost for very large pages.
LEGACY_SAMPLE_CHARS = 64 * 1024
# A declared encoding that turns more than this share of the characters into U+FFFD is doubted, and
# the page is detected instead.
MAX_REPLACEMENT_SHARE = 0.005
# A legacy reading replaces the page as read when the page has at least this many non-ASCII words
# of two characters or more (a stray "£" or "©" is no word), this share of them read as Vietnamese
# syllables, and the page as read has at most the lower share. European words misread as legacy
# Vietnamese ("für" -> "fỹr", "été" -> "ộtộ") are no syllables, which keeps their share low.
MIN_LEGACY_WORDS = 3
MIN_WORD_CHARACTERS = 2
MIN_VIETNAMESE_SHARE = 0.8
MAX_VIETNAMESE_SHARE_AS_READ = 0.5
# A page is brought to NFC in pieces of at least this many characters, each starting at a "<": a piece that is
# NFC already costs one quick scan, while a page with a few decomposed letters (text pasted from a word
# processor) would be normalised whole for them (6 ms for a large page with two).
NFC_PIECE_CHARS = 16 * 1024
# Judging a word is pure and Vietnamese text repeats its syllables: every page asks about the same few
# thousand words. The cache holds far more than the language has syllables (about 7,000 in use).
SYLLABLE_CACHE_SIZE = 65536

# Encodings (as codecs.lookup names them) that are Unicode already: never second-guessed.
_UTF_CODECS = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

_VIETNAMESE_VOWELS = "aăâeêioôơuưy"


def _vietnamese_letters() -> frozenset[str]:
    """Every letter of the Vietnamese alphabet, with every tone mark, in both cases."""
    letters = set("abcdefghijklmnopqrstuvwxyzđ" + _VIETNAMESE_VOWELS)
    for vowel in _VIETNAMESE_VOWELS:
        letters.update(unicodedata.normalize("NFC", vowel + mark) for mark in TONE_MARKS)
    return frozenset(letters | {letter.upper() for letter in letters})


def _syllable_pattern() -> re.Pattern[str]:
    rules = _RULES["syllable"]

    def alternatives(key: str) -> str:
        return "|".join(sorted(rules[key], key=len, reverse=True))

    return re.compile(
        rf"(?:{alternatives('initials')})?(?:(?:{alternatives('nuclei')})(?:{alternatives('finals')})?|{alternatives('glide_rhymes')})"
    )


def _tcvn3_table() -> dict[int, str]:
    return {int(byte, 16): letter for byte, letter in _RULES["tcvn3"].items()}


def _vni_reader() -> tuple[re.Pattern[str], dict[str, str]]:
    sequences: dict[str, str] = {}
    for sequence, letter in _RULES["vni"].items():
        sequences[sequence] = letter
        sequences[sequence.upper()] = letter.upper()
        sequences[sequence[0].upper() + sequence[1:]] = letter.upper()
    pattern = re.compile("|".join(re.escape(sequence) for sequence in sorted(sequences, key=len, reverse=True)))
    return pattern, sequences


_VIETNAMESE_LETTERS = _vietnamese_letters()
_SYLLABLE = _syllable_pattern()
_TCVN3 = _tcvn3_table()
_VNI_PATTERN, _VNI_LETTERS = _vni_reader()
# A word: letters, and the Latin-1 symbols and U+FFFD that stand for letters in misread legacy text.
_WORD = re.compile(r"(?:[^\W\d_]|[\u00a1-\u00bf\u00d7\u00f7\ufffd])+")
_STRIP_TONES = str.maketrans({mark: None for mark in TONE_MARKS})


def decode_page(body: bytes, content_type: str | None = None) -> str:
    """The page's text in Unicode NFC, whatever its encoding; never raises (undecodable bytes become U+FFFD)."""
    if isinstance(body, str):
        return _read_legacy_vietnamese(_nfc(body), raw=None)
    if not isinstance(body, (bytes, bytearray, memoryview)):
        return ""
    raw = bytes(body)
    if isinstance(content_type, (bytes, bytearray)):  # as Scrapy's headers give it
        content_type = bytes(content_type).decode("latin-1")
    text = _decode(raw, content_type if isinstance(content_type, str) else None)
    return _read_legacy_vietnamese(_nfc(text), raw)


def _nfc(text: str) -> str:
    """unicodedata.normalize("NFC", text), piece by piece. Normalising the pieces apart gives the same text: "<" has
    combining class 0 and ends no composition, so nothing before it combines or reorders with what follows."""
    pieces = []
    start = 0
    while start < len(text):
        end = text.find("<", start + NFC_PIECE_CHARS)
        end = len(text) if end == -1 else end
        pieces.append(unicodedata.normalize("NFC", text[start:end]))
        start = end
    return "".join(pieces)


def _decode(body: bytes, content_type: str | None) -> str:
    """The body decoded as declared (or detected). A body that is valid UTF-8 with non-ASCII bytes is
    read as UTF-8 whatever it declares: text in a single-byte code page is almost never valid UTF-8,
    while UTF-8 pages that declare a legacy charset are common (templates copied from older sites)."""
    encoding, text = html_to_unicode(content_type, body, default_encoding=DEFAULT_ENCODING, auto_detect_fun=_detect)
    if codecs.lookup(encoding).name not in _UTF_CODECS and not body.isascii() and _is_utf8(body):
        return body.decode("utf-8-sig")
    if text and text.count("\ufffd") / len(text) > MAX_REPLACEMENT_SHARE:
        detected = _detect(body)
        if detected and detected != encoding:
            redecoded = body.decode(detected, errors="replace")
            if redecoded.count("\ufffd") < text.count("\ufffd"):
                return redecoded
    return text


def _detect(body: bytes) -> str | None:
    """The encoding of a page that declares none: UTF-8 if the bytes are valid UTF-8, else the guess
    of charset-normalizer (which samples the page itself), else None."""
    if _is_utf8(body):
        return "utf-8"
    best = charset_normalizer.from_bytes(body).best()
    return best.encoding if best is not None else None


def _read_legacy_vietnamese(text: str, raw: bytes | None) -> str:
    """The page re-read as TCVN3, VNI or windows-1258 when that makes it Vietnamese and it was not.

    The legacy readings start from the page's bytes (unless they are valid UTF-8, which no legacy
    Vietnamese page is), and from the decoded text seen as Latin-1 bytes (a UTF-8 page may carry VNI
    text as Latin-1 letters). Each reading is judged on the page's non-ASCII words only.

    With no bytes to re-read there is no reading to prefer, so the page is not judged at all: that is an
    ordinary Unicode page (valid UTF-8, with letters such as "ơ" or "ạ" that no single-byte code page has),
    and judging its words would be the costliest part of decoding it.
    """
    sources = _byte_views(text, raw)
    if not sources:
        return text
    words = non_ascii_words(text[:LEGACY_SAMPLE_CHARS])
    best_share = vietnamese_share(words)
    if len(words) < MIN_LEGACY_WORDS or best_share > MAX_VIETNAMESE_SHARE_AS_READ:
        return text
    best_reading = None
    for source in sources:
        source_words = " ".join(non_ascii_words(source[:LEGACY_SAMPLE_CHARS].decode("latin-1"))).encode("latin-1")
        for reader in (_read_tcvn3, _read_vni, _read_windows_1258):
            reading = non_ascii_words(reader(source_words))
            share = vietnamese_share(reading)
            if len(reading) >= MIN_LEGACY_WORDS and share >= MIN_VIETNAMESE_SHARE and share > best_share:
                best_reading, best_share = (reader, source), share
    if best_reading is None:
        return text
    reader, source = best_reading
    return reader(source)


def _byte_views(text: str, raw: bytes | None) -> list[bytes]:
    views = [raw] if raw and not _is_utf8(raw) else []
    for single_byte_encoding in ("cp1252", "latin-1"):
        try:
            views.append(text.encode(single_byte_encoding))
            break
        except UnicodeEncodeError:
            continue
    return list(dict.fromkeys(views))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def non_ascii_words(text: str) -> list[str]:
    """The words of a text that are not plain ASCII (legacy-encoded words included, as Latin-1).

    No word spans whitespace, so the whitespace-separated pieces that are plain ASCII (most of a page's
    markup and scripts) are dropped whole, cheaply, before the word pattern reads what is left."""
    non_ascii_pieces = " ".join(piece for piece in text.split() if not piece.isascii())
    return [word for word in _WORD.findall(non_ascii_pieces) if len(word) >= MIN_WORD_CHARACTERS and not word.isascii()]


def vietnamese_share(words: list[str]) -> float:
    """The share of the words that are Vietnamese syllables."""
    if not words:
        return 0.0
    return sum(1 for word in words if _is_vietnamese_syllable(word)) / len(words)


@functools.lru_cache(maxsize=SYLLABLE_CACHE_SIZE)
def _is_vietnamese_syllable(word: str) -> bool:
    if not all(letter in _VIETNAMESE_LETTERS for letter in word):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    toneless = decomposed.translate(_STRIP_TONES)
    if len(decomposed) - len(toneless) > 1:
        return False
    return _SYLLABLE.fullmatch(unicodedata.normalize("NFC", toneless)) is not None


def _read_tcvn3(raw: bytes) -> str:
    return raw.decode("latin-1").translate(_TCVN3)


def _read_vni(raw: bytes) -> str:
    return _VNI_PATTERN.sub(lambda match: _VNI_LETTERS[match.group()], raw.decode("latin-1"))


def _read_windows_1258(raw: bytes) -> str:
    return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))


LEGACY_ENCODINGS = ("windows-1258", "tcvn3", "vni")


def encode_legacy(text: str, encoding: str) -> bytes:
    """Vietnamese text as a legacy page stores it: the inverse of the readings above (for test pages and benchmarks).

    windows-1258 keeps letters the code page has and writes the tone mark after the base letter; TCVN3 has
    no upper-case toned letters, so those are written in lower case; VNI writes base letter plus marks.
    Characters outside an encoding raise UnicodeEncodeError, as any codec does.
    """
    if encoding == "windows-1258":
        return "".join(_windows_1258_form(cluster) for cluster in _CLUSTER.findall(unicodedata.normalize("NFD", text))
                       ).encode("cp1258")
    if encoding == "tcvn3":
        return text.translate(_TCVN3_BYTES).encode("latin-1")
    if encoding == "vni":
        return text.translate(_VNI_SEQUENCES).encode("latin-1")
    raise ValueError(f"not a legacy Vietnamese encoding: {encoding!r} (one of {', '.join(LEGACY_ENCODINGS)})")


def _windows_1258_form(cluster: str) -> str:
    """A letter with its marks, precomposed except for the tone mark, which follows as a combining character."""
    tones = "".join(mark for mark in cluster if mark in TONE_MARKS)
    rest = "".join(mark for mark in cluster if mark not in TONE_MARKS)
    composed = unicodedata.normalize("NFC", rest + tones)
    try:
        composed.encode("cp1258")
        return composed
    except UnicodeEncodeError:
        return unicodedata.normalize("NFC", rest) + tones


def _vni_sequences() -> dict[int, str]:
    """For each letter, the all-lower or all-upper VNI sequence (not the mixed "Aù" that is only read)."""
    by_letter: dict[int, str] = {}
    for sequence, letter in _VNI_LETTERS.items():
        if sequence in (sequence.lower(), sequence.upper()):
            by_letter.setdefault(ord(letter), sequence)
    return by_letter


_CLUSTER = re.compile(r".[\u0300-\u036f]*", flags=re.DOTALL)
def _tcvn3_bytes() -> dict[int, str]:
    """Each letter's TCVN3 byte; a toned capital, which TCVN3 lacks, takes its small letter's."""
    by_letter = {ord(letter): chr(code) for code, letter in _TCVN3.items()}
    for code, letter in _TCVN3.items():
        by_letter.setdefault(ord(letter.upper()), chr(code))
    return by_letter


_TCVN3_BYTES = _tcvn3_bytes()
_VNI_SEQUENCES = _vni_sequences()
