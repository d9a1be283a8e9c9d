"""How often decode_page recovers Vietnamese sentences written in TCVN3, VNI and windows-1258, undeclared.

Run: .venv/bin/python bench/legacy_encodings.py [--gold ../shared/data/facts/dev.jsonl]
Each sentence (those whose characters all exist in the legacy encodings) is encoded with
extract.encoding.encode_legacy (checked against hand-written fixtures in tests/lang/test_encoding.py),
given to decode_page as bare bytes without any declaration, and compared with the original. TCVN3 has no
upper-case letters with tone marks, so its sentences are compared in lower case. Also printed: how many real pages change under the legacy readings (should be 0).
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from w3lib.encoding import html_to_unicode

from extract.encoding import decode_page, encode_legacy

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "facts" / "dev.jsonl")
    options = parser.parse_args()
    sentences = [unicodedata.normalize("NFC", json.loads(line)["text"])
                 for line in options.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name, encoding, comparable in [
        ("TCVN3", "tcvn3", str.lower),  # TCVN3 has no toned capitals
        ("VNI", "vni", str),
        ("windows-1258", "windows-1258", str),
    ]:
        tried = recovered = 0
        for sentence in sentences:
            try:
                body = encode_legacy(sentence, encoding)
            except UnicodeEncodeError:
                continue  # a character the encoding lacks (curly quotes, dashes)
            tried += 1
            recovered += comparable(decode_page(body)) == comparable(sentence)
        print(f"{name:13s} {recovered}/{tried} sentences recovered")
    pages = [path for folder in ("pages", "article-extraction-benchmark") for path in (SHARED / folder).rglob("*.htm*")]
    changed = sum(1 for path in pages if _legacy_reading_changed(path.read_bytes()))
    print(f"real pages changed by a legacy reading: {changed}/{len(pages)}")


def _legacy_reading_changed(body: bytes) -> bool:
    _, plain = html_to_unicode(None, body)
    return decode_page(body) != unicodedata.normalize("NFC", plain)


if __name__ == "__main__":
    main()
