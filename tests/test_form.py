"""Form metrics: Grusky fragments, novel n-grams, redundancy, ROUGE."""

import pytest

from newslab.form import (
    SourceTokens,
    form_metrics,
    fragment_metrics,
    fragments,
    novel_ngrams,
    redundancy,
    rouge,
)


def test_fragments_greedy_longest_match():
    src = ["the", "quake", "struck", "japan", "on", "monday", "and", "killed", "many"]
    summ = ["a", "quake", "struck", "japan", "and", "killed", "many"]
    assert fragments(summ, [src]) == [["quake", "struck", "japan"], ["and", "killed", "many"]]


def test_fragments_do_not_cross_documents():
    assert fragments(["a", "b"], [["a"], ["b"]]) == [["a"], ["b"]]


def test_fragment_metrics_extremes():
    src = [["one", "two", "three", "four"]]
    full = fragment_metrics(["one", "two", "three", "four"], src)
    assert full == {"fragment_coverage": 1.0, "fragment_density": 4.0, "compression": 1.0}
    none = fragment_metrics(["x", "y"], src)
    assert none["fragment_coverage"] == 0.0 and none["fragment_density"] == 0.0
    assert none["compression"] == 2.0


def test_novel_ngrams():
    out = novel_ngrams(["a", "b", "c", "z"], SourceTokens(["a b c d"]))
    assert out["novel_1gram"] == pytest.approx(0.25)
    assert out["novel_2gram"] == pytest.approx(1 / 3)
    assert out["novel_3gram"] == pytest.approx(0.5)


def test_redundancy():
    assert redundancy(["Rain fell.", "Markets rose."]) == 0.0
    assert redundancy(["Rain hit Tokyo on Monday.", "Rain hit Tokyo on Monday."]) == 1.0
    assert redundancy(["Only one sentence."]) == 0.0


def test_rouge_matches_rouge_score_with_stemming():
    r = rouge("Missiles struck the cities", "A missile strikes the city")
    assert set(r) >= {"rouge1", "rouge2", "rougeL", "rouge1_p", "rouge1_r"}
    assert r["rouge1"] > 0.5  # stemming: missiles/missile, cities/city


def test_form_metrics_keys_and_reference():
    m = form_metrics("The quake struck Japan. The quake struck Japan.", ["The quake struck Japan."])
    assert m["words"] == 8 and m["sentences"] == 2
    assert m["fragment_coverage"] == 1.0 and m["redundancy"] == 1.0
    assert "rouge1" not in m
    m2 = form_metrics("The quake struck Japan.", ["x"], reference="A quake struck Japan.")
    assert m2["rouge1"] == pytest.approx(0.75)
