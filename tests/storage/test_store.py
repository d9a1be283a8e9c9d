"""store_page: one row per page, a new version per changed article, facts replaced together, URL states."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from storage.models import Article, ArticleVersion, Fact, RawResponse, UrlState
from storage.prepared import prepare_page
from tests.storage.pages import CAN_THO_FACTS, FETCHED_AT, can_tho, page


def counts(archive) -> dict[str, int]:
    with archive.engine.connect() as connection:
        return {model.__tablename__: connection.execute(select(func.count()).select_from(model)).scalar()
                for model in (RawResponse, UrlState, Article, ArticleVersion, Fact)}


def test_the_same_page_twice_is_one_row_of_each(archive):
    story = can_tho()
    first = archive.store_page(page(story.url), story, relevant=True)
    second = archive.store_page(page(story.url, fetched_at=FETCHED_AT + timedelta(hours=6)), story, relevant=True)
    assert (first.created, first.changed, first.version) == (True, True, 1)
    assert (second.created, second.changed, second.version) == (False, False, 1)
    assert second.article_id == first.article_id
    assert counts(archive) == {"raw_responses": 1, "url_states": 1, "articles": 1, "article_versions": 1, "facts": 2}
    state = archive.page_state(story.url)
    assert state.fetched_at == FETCHED_AT + timedelta(hours=6) and state.status == "archived"


def test_a_changed_article_is_a_new_version_and_its_facts_are_replaced(archive):
    story = can_tho()
    archive.store_page(page(story.url, "<html>v1</html>"), story, relevant=True)
    corrected_sentence = "Đến nay, thành phố Cần Thơ có 95 sản phẩm đạt chuẩn OCOP."
    corrected_fact = replace(CAN_THO_FACTS[0], sentence=corrected_sentence, count=95, span=(29, 31))
    corrected = replace(story, text=corrected_sentence, facts=(corrected_fact,))
    outcome = archive.store_page(page(story.url, "<html>v2</html>", fetched_at=FETCHED_AT + timedelta(days=1)),
                                 corrected, relevant=True)
    assert (outcome.created, outcome.changed, outcome.version) == (False, True, 2)
    assert counts(archive) == {"raw_responses": 2, "url_states": 1, "articles": 1, "article_versions": 2, "facts": 1}
    [only] = archive.facts()
    assert only["count"] == 95 and only["sentence"] == corrected_sentence
    with archive.engine.connect() as connection:
        texts = connection.execute(select(ArticleVersion.version, ArticleVersion.text)
                                   .order_by(ArticleVersion.version)).all()
    assert [version for version, _ in texts] == [1, 2] and texts[1][1] == corrected_sentence


def test_the_same_content_read_by_a_new_extractor_replaces_the_facts_but_is_no_new_version(archive):
    story = can_tho()
    archive.store_page(page(story.url), story, relevant=True)
    reread = replace(story, facts=CAN_THO_FACTS[:1], extractor_version="test-2/test-2")
    outcome = archive.store_page(page(story.url), reread, relevant=True)
    assert (outcome.changed, outcome.version) == (False, 1)
    rows = archive.facts()
    assert [(row["count"], row["extractor_version"]) for row in rows] == [(92, "test-2/test-2")]


def test_an_irrelevant_page_keeps_its_raw_response_and_state_but_no_article(archive):
    outcome = archive.store_page(page("https://langngheviet.com.vn/lang-nghe-gom-4.html"), None, relevant=False)
    assert outcome.url_status == "irrelevant" and outcome.article_id is None
    assert counts(archive) == {"raw_responses": 1, "url_states": 1, "articles": 0, "article_versions": 0, "facts": 0}


def test_gone_error_and_not_modified_pages(archive):
    story = can_tho()
    archive.store_page(page(story.url, headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Jun 2025 00:00:00 GMT"}),
                       story, relevant=True)
    state = archive.page_state(story.url)
    assert (state.etag, state.last_modified) == ('"v1"', "Sun, 01 Jun 2025 00:00:00 GMT")
    later = FETCHED_AT + timedelta(days=2)
    not_modified = archive.store_page(page(story.url, b"", status=304, fetched_at=later), None, relevant=False)
    assert not_modified.article_id == state.article_id and not_modified.url_status == "archived"
    assert archive.page_state(story.url).fetched_at == later
    assert archive.store_page(page(story.url, "gone", status=404), None).url_status == "gone"
    assert archive.page_state(story.url).article_id == state.article_id  # the article is still archived
    assert archive.store_page(page("https://x.vn/a.html", "oops", status=503), None).url_status == "error"
    assert archive.page_state("https://never.example/") is None
    unasked = archive.store_page(page("https://never.example/", b"", status=304), None)
    assert unasked.url_status == "error" and archive.page_state("https://never.example/").http_status == 304


def test_page_states_answers_for_many_urls_at_once_with_only_those_it_fetched(archive):
    from storage.archive import PAGE_STATE_BATCH

    fetched = [f"https://langngheviet.com.vn/tin-{number}.html" for number in range(PAGE_STATE_BATCH + 3)]
    archive.store_pages([prepare_page(page(url, status=404 if number % 2 else 200))
                         for number, url in enumerate(fetched)])
    asked = [*fetched, "https://never.example/", fetched[0]]  # more than one query's worth, a stranger, a repeat
    states = archive.page_states(asked)
    assert sorted(states) == sorted(fetched)
    assert {url: state.status for url, state in states.items()} == {
        url: "gone" if number % 2 else "irrelevant" for number, url in enumerate(fetched)}
    assert states[fetched[1]] == archive.page_state(fetched[1])
    assert archive.page_states([]) == {}


def test_runs_record_sources_options_and_stats(archive):
    run_id = archive.begin_run(sources=["langngheviet", {"name": "baocantho", "title": "Báo Cần Thơ"}],
                               options={"since": FETCHED_AT.date(), "max_pages": 10})
    story = can_tho()
    archive.store_page(page(story.url, run_id=run_id), story, relevant=True)
    archive.finish_run(run_id, stats={"pages": 1, "articles_new": 1}, status="finished")
    [run] = archive.runs()
    assert run["sources"] == ["langngheviet", "baocantho"]
    assert run["options"] == {"since": "2025-06-02", "max_pages": 10}
    assert run["stats"] == {"pages": 1, "articles_new": 1} and run["status"] == "finished"
    assert run["finished_at"] >= run["started_at"]
    assert archive.page_state(story.url).status == "archived"


def test_facts_keep_every_field_and_the_evidence(archive):
    story = can_tho()
    archive.store_page(page(story.url), story, relevant=True)
    rows = {row["count"]: row for row in archive.facts()}
    for expected in CAN_THO_FACTS:
        row = rows[expected.count]
        stored = {key: row[key] for key in expected.to_json() if key in row}
        assert stored == {key: value for key, value in expected.to_json().items() if key in row}
        assert row["sentence"][row["span"][0]:row["span"][1]] == str(expected.count)
        assert row["url"] == story.canonical_url and row["title"] == story.title
        assert row["extractor_version"] == story.extractor_version and row["source"] == "langngheviet"


def test_a_fact_without_its_current_unit_gets_it_from_the_gazetteer(archive):
    story = can_tho()
    without = tuple(replace(fact, province="Sóc Trăng", province_current=None) for fact in story.facts)
    archive.store_page(page(story.url), replace(story, facts=without), relevant=True)
    assert {row["province_current"] for row in archive.facts()} == {"Cần Thơ"}
    assert len(archive.facts(province="Cần Thơ")) == 2
