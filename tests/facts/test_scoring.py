"""The scorer: matching of facts.md, precision/recall/F1, the strict figure, accuracies and the pinned gate."""

from extract.scoring import Score, below_pinned, facts_match, match_sentence, names_match, province_key


def fact(**fields):
    base = {"kind": "product_count", "count": None, "stars": None, "status": "achieved", "scope": None,
            "qualifier": None, "province": None, "nationwide": False, "district": None, "year": None,
            "product": None, "amount_vnd": None}
    base.update(fields)
    return base


def test_counts_match_on_kind_count_and_stars():
    assert facts_match(fact(count=10, stars=4), fact(count=10, stars=4, status="target"))
    assert not facts_match(fact(count=10, stars=4), fact(count=10, stars=3))
    assert not facts_match(fact(count=10), fact(kind="subject_count", count=10))


def test_budgets_match_on_amount_and_ratings_on_name_overlap():
    assert facts_match(fact(kind="budget", amount_vnd=5), fact(kind="budget", amount_vnd=5))
    assert names_match("Trà xanh Tân Cương", "Trà Tân Cương")
    assert not names_match("Trà xanh Tân Cương Thái Nguyên loại một", "Trà")
    assert facts_match(fact(kind="product_rating", product="Nước mắm Cửa Lò", stars=4),
                       fact(kind="product_rating", product="nước mắm Cửa Lò", stars=4))


def test_province_names_compare_without_diacritics_case_or_prefix():
    assert province_key("TP. Cần Thơ") == province_key("can tho") == province_key("Thành phố Cần Thơ")
    assert province_key("Tỉnh Đắk Lắk") == province_key("dak lak")


def test_one_to_one_matching_prefers_agreeing_pairs():
    predicted = [fact(count=12, province="Hà Nội", district="Ba Vì"), fact(count=12, province="Hà Nội", district="Mê Linh")]
    gold = [fact(count=12, province="Hà Nội", district="Mê Linh"), fact(count=12, province="Hà Nội", district="Ba Vì")]
    pairs, misses, false = match_sentence(predicted, gold)
    assert [(p["district"], g["district"]) for p, g in pairs] == [("Mê Linh", "Mê Linh"), ("Ba Vì", "Ba Vì")]
    assert misses == [] and false == []


def test_figures():
    score = Score()
    score.add("a", [fact(count=1, province="Huế"), fact(count=2, status="target")], [fact(count=1, province="Hue"), fact(count=3)])
    score.add("b", [], [fact(count=4)])
    figures = score.figures()
    assert (score.predicted, score.gold, score.matched) == (2, 3, 1)
    assert figures["precision"] == 0.5 and abs(figures["recall"] - 1 / 3) < 1e-9
    assert abs(figures["f1"] - 0.4) < 1e-9
    assert figures["strict_precision"] == 0.5 and figures["province_accuracy"] == 1.0
    assert [sentence for sentence, _ in score.misses] == ["a", "b"] and len(score.false) == 1


def test_strict_needs_status_and_province():
    score = Score()
    score.add("a", [fact(count=1, status="target", province="Huế")], [fact(count=1, province="Huế")])
    figures = score.figures()
    assert figures["f1"] == 1.0 and figures["strict_f1"] == 0.0 and figures["status_accuracy"] == 0.0


def test_empty_score_is_perfect_not_a_division_by_zero():
    assert Score().figures()["precision"] == 1.0


def test_below_pinned():
    assert below_pinned({"precision": 0.9, "recall": 0.95}, {"precision": 0.95, "recall": 0.95}) == [
        "precision 0.9000 < pinned 0.9500"]
    assert below_pinned({"precision": 0.96}, {"precision": 0.95, "not_a_figure": 1.0}) == []
