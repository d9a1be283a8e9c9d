"""How often decode_page recovers Vietnamese sentences written in TCVN3, VNI and windows-1258, undeclared.

Run: .venv/bin/python bench/legacy_encodings.py [--gold ../shared/data/facts/dev.jsonl]
Each sentence (those whose characters all exist in the legacy encodings) is encoded by inverting the
mapping tables of extract/rules/encodings.toml (the tables themselves are checked by hand-written
fixtures in tests/lang/test_encoding.py), given to decode_page as bare bytes without any declaration,
and compared with the original. TCVN3 has no upper-case letters with tone marks, so its sentences are
compared in lower case. Also printed: how many real pages change under the legacy readings (should be 0).
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from w3lib.encoding import html_to_unicode

from extract.encoding import _TCVN3, _VNI_LETTERS, decode_page
from extract.text import TONE_MARKS

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
WINDOWS_1258_TONES = set(TONE_MARKS)


def to_tcvn3(text: str) -> bytes:
    by_letter = {letter: chr(code) for code, letter in _TCVN3.items()}
    return "".join(by_letter.get(char, char) for char in text.lower()).encode("latin-1")


def to_vni(text: str) -> bytes:
    by_letter: dict[str, str] = {}
    for sequence, letter in _VNI_LETTERS.items():
        # the all-lower or all-upper sequence, not the mixed "Aù" that is only read
        if sequence in (sequence.lower(), sequence.upper()) and letter not in by_letter:
            by_letter[letter] = sequence
    return "".join(by_letter.get(char, char) for char in text).encode("latin-1")


def to_windows_1258(text: str) -> bytes:
    encoded = b""
    for char in text:
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(part for part in parts if part not in WINDOWS_1258_TONES))
            encoded += base.encode("cp1258") + "".join(part for part in parts if part in WINDOWS_1258_TONES).encode("cp1258")
    return encoded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "facts" / "dev.jsonl")
    options = parser.parse_args()
    sentences = [unicodedata.normalize("NFC", json.loads(line)["text"])
                 for line in options.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name, encode, expected in [
        ("TCVN3", to_tcvn3, str.lower),
        ("VNI", to_vni, str),
        ("windows-1258", to_windows_1258, str),
    ]:
        tried = recovered = 0
        for sentence in sentences:
            try:
                body = encode(sentence)
            except UnicodeEncodeError:
                continue  # a character the encoding lacks (curly quotes, dashes)
            tried += 1
            recovered += decode_page(body) == expected(sentence)
        print(f"{name:13s} {recovered}/{tried} sentences recovered")
    pages = [path for folder in ("pages", "article-extraction-benchmark") for path in (SHARED / folder).rglob("*.htm*")]
    changed = sum(1 for path in pages if _legacy_reading_changed(path.read_bytes()))
    print(f"real pages changed by a legacy reading: {changed}/{len(pages)}")


def _legacy_reading_changed(body: bytes) -> bool:
    _, plain = html_to_unicode(None, body)
    return decode_page(body) != unicodedata.normalize("NFC", plain)


if __name__ == "__main__":
    main()
