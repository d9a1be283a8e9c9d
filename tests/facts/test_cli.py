"""`ocop extract facts` and `ocop eval facts`: JSON lines in and out, the scorer's report, the pinned gate."""

import json

from ocop.cli import main

ROWS = [
    {"id": "a", "text": "Tỉnh Vĩnh Long có 180 sản phẩm OCOP.", "title": "OCOP Vĩnh Long"},
    {"id": "b", "text": "Trong đó, có 20 sản phẩm 4 sao.", "title": "OCOP Vĩnh Long", "context": "Tỉnh Vĩnh Long có 180 sản phẩm OCOP."},
    {"id": "c", "text": "Trời mưa to.", "published_at": "2024-03-01T08:00:00+07:00"},
]


def write_lines(path, rows):
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")
    return path


def test_extract_facts_reads_and_writes_json_lines(tmp_path, capsys):
    assert main(["extract", "facts", "--input", str(write_lines(tmp_path / "in.jsonl", ROWS))]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in out] == ["a", "b", "c"]
    assert [(f["count"], f["stars"], f["province"]) for f in out[1]["facts"]] == [(20, 4, "Vĩnh Long")]
    assert out[2]["facts"] == []
    assert set(out[0]["facts"][0]) >= {"kind", "count", "stars", "status", "scope", "qualifier", "province",
                                        "nationwide", "district", "year", "product", "amount_vnd", "span"}


def test_extract_facts_reads_stdin(monkeypatch, capsys):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(ROWS[0], ensure_ascii=False) + "\n"))
    assert main(["extract", "facts"]) == 0
    assert json.loads(capsys.readouterr().out)["facts"][0]["count"] == 180


def test_bad_json_line_is_bad_input_with_its_line_number(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n{not json\n", encoding="utf-8")
    assert main(["extract", "facts", "--input", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_input_file_is_bad_input(tmp_path, capsys):
    assert main(["extract", "facts", "--input", str(tmp_path / "absent.jsonl")]) == 2


def gold_rows():
    return [
        {**ROWS[0], "facts": [{"kind": "product_count", "count": 180, "stars": None, "status": "achieved",
                               "scope": "total", "qualifier": None, "province": "Vĩnh Long", "nationwide": False,
                               "district": None, "year": None, "product": None, "amount_vnd": None}]},
        {**ROWS[1], "facts": [{"kind": "product_count", "count": 20, "stars": 5, "status": "achieved",
                               "scope": "total", "qualifier": None, "province": "Vĩnh Long", "nationwide": False,
                               "district": None, "year": None, "product": None, "amount_vnd": None}]},
    ]


def test_eval_facts_prints_figures_and_lists(tmp_path, capsys):
    gold = write_lines(tmp_path / "gold.jsonl", gold_rows())
    assert main(["eval", "facts", "--gold", str(gold), "--show", "misses,false", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = json.loads(lines[0])
    assert (figures["gold"], figures["predicted"], figures["matched"], figures["precision"]) == (2, 2, 1, 0.5)
    assert any("misses (1)" in line for line in lines) and any("stars=5" in line for line in lines)
    assert any("false facts (1)" in line for line in lines)


def test_eval_facts_fails_below_the_pinned_figures(tmp_path, capsys):
    gold = write_lines(tmp_path / "gold.jsonl", gold_rows())
    pinned = tmp_path / "pinned.json"
    pinned.write_text(json.dumps({"figures": {"precision": 0.9}}), encoding="utf-8")
    assert main(["eval", "facts", "--gold", str(gold), "--pinned", str(pinned)]) == 1
    assert "precision 0.5000 < pinned 0.9000" in capsys.readouterr().err
    pinned.write_text(json.dumps({"figures": {"precision": 0.5}}), encoding="utf-8")
    assert main(["eval", "facts", "--gold", str(gold), "--pinned", str(pinned)]) == 0


def test_eval_facts_rejects_unknown_lists(tmp_path):
    gold = write_lines(tmp_path / "gold.jsonl", gold_rows())
    assert main(["eval", "facts", "--gold", str(gold), "--show", "everything"]) == 2


def test_a_line_may_give_the_papers_home_province(tmp_path, capsys):
    rows = [{"id": "h", "text": "Toàn tỉnh có 75 sản phẩm OCOP.", "home_province": "Hà Tĩnh"},
            {"id": "bad", "text": "Toàn tỉnh có 75 sản phẩm OCOP.", "home_province": 42}]
    assert main(["extract", "facts", "--input", str(write_lines(tmp_path / "in.jsonl", rows[:1]))]) == 0
    assert json.loads(capsys.readouterr().out)["facts"][0]["province"] == "Hà Tĩnh"
    assert main(["extract", "facts", "--input", str(write_lines(tmp_path / "bad.jsonl", rows))]) == 2
    assert "line 2: home_province" in capsys.readouterr().err
