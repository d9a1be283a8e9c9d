"""Write the expected outputs of the article fixtures: `.venv/bin/python -m tests.articles.regen` (review the diff)."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from pathlib import Path

from extract.article import extract_article
from extract.links import extract_links

HERE = Path(__file__).parent
PAGES = HERE / "pages"
EXPECTED = HERE / "expected"
# Fields that change with rules elsewhere (the facts helper's rules, every version bump): tested separately.
UNPINNED_FIELDS = ("facts", "extractor_version")


def fixtures() -> list[dict]:
    """The manifest's pages, in order."""
    return tomllib.loads((PAGES / "manifest.toml").read_text(encoding="utf-8"))["page"]


def read_fixture(fixture: dict) -> dict:
    """What the extractors make of one fixture page, as the expected JSON holds it."""
    page = (PAGES / fixture["file"]).read_bytes()
    if fixture["kind"] == "listing":
        return extract_links(page, fixture["url"]).to_json()
    article = extract_article(page, fixture["url"], fetched_at=datetime.fromisoformat(fixture["fetched_at"]))
    return {name: value for name, value in article.to_json().items() if name not in UNPINNED_FIELDS}


def expected_path(fixture: dict) -> Path:
    return EXPECTED / (Path(fixture["file"]).stem + ".json")


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for fixture in fixtures():
        text = json.dumps(read_fixture(fixture), ensure_ascii=False, indent=1) + "\n"
        expected_path(fixture).write_text(text, encoding="utf-8")
        print(f"wrote {expected_path(fixture).relative_to(HERE)}")


if __name__ == "__main__":
    main()
