"""newslab: collect news articles, group them into stories, summarize them, and score
multi-source summaries against their sources.

Every public function is importable from the top level (``import newslab as nl``);
submodules are loaded on first use so ``import newslab`` stays fast.

Examples
--------
>>> import newslab as nl
>>> nl.make_id("https://news.example/a?utm_source=x") == nl.make_id("https://news.example/a")
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    # corpus
    "REQUIRED_COLUMNS": "corpus",
    "CorpusValidationError": "corpus",
    "canonical_url": "corpus",
    "make_id": "corpus",
    "empty_corpus": "corpus",
    "to_corpus": "corpus",
    "validate_corpus": "corpus",
    "read_corpus": "corpus",
    "write_corpus": "corpus",
    "corpus_summary": "corpus",
    # text
    "split_sentences": "text",
    "tokenize": "text",
    "url_words": "text",
    "is_preamble": "text",
    "find_numbers": "text",
    "find_dates": "text",
    "find_durations": "text",
    # collect
    "extract": "extraction",
    "bare_extraction": "extraction",
    "extract_many": "extraction",
    "Article": "extraction",
    "ExtractOptions": "extraction",
    "ExtractionError": "extraction",
    "NotAnArticleError": "extraction",
    "detect_language": "language",
    "collect": "collection",
    "collect_detailed": "collection",
    "collect_archive": "collection",
    "CollectOptions": "collection",
    "CollectResult": "collection",
    "Archive": "archive",
    "read_warc": "archive",
    "FetchOptions": "fetch",
    "Fetcher": "fetch",
    "FetchError": "fetch",
    "flag_near_duplicates": "dedup",
    # sample corpus
    "serve_sample": "sample",
    "load_gold": "sample",
    "gold_labels": "sample",
    "load_summaries": "sample",
    "sample_pages": "sample",
    # stories
    "cluster_stories": "stories",
    "story_table": "stories",
    "tune_threshold": "stories",
    "StoryClusterer": "stories",
    "load_word_vectors": "embeddings",
    "WordVectors": "embeddings",
    "load_sentence_embedder": "embeddings",
    "SentenceEmbedder": "embeddings",
    "CachedEmbedder": "embeddings",
    "evaluate_clustering": "evaluation",
    # benchmark data
    "BenchmarkDataMissing": "paths",
    "load_news_aggregator": "datasets",
    "load_extraction_benchmark": "datasets",
    "load_summaries_benchmark": "datasets",
    "extraction_scores": "datasets",
    "extraction_page_scores": "datasets",
    "aggregate_extraction_scores": "datasets",
    "sources_table": "datasets",
    "scoring_inputs": "datasets",
    "insight_judgements": "datasets",
    "published_figures": "datasets",
    # summaries and scores
    "summarize": "summaries",
    "summarize_detailed": "summaries",
    "SummarizeOptions": "summaries",
    "score_summary": "scores",
    "score_many": "scores",
    "ScoreResult": "scores",
    "ScoreOptions": "scores",
    "StoryScorer": "scores",
    "FINDING_COLUMNS": "findings",
    "FINDING_KINDS": "findings",
    "findings_frame": "findings",
    "insight_coverage": "facts",
    "FactOptions": "facts",
    "align_summary": "align",
    "SourceIndex": "align",
    "AlignOptions": "align",
    "form_metrics": "form",
    "rouge": "form",
    "check_consistency": "consistency",
    "check_source_dates": "consistency",
    "ConsistencyOptions": "consistency",
    "perturb": "perturbation",
    "find_names": "perturbation",
    "PERTURBATION_KINDS": "perturbation",
    "REPORTED_AS": "perturbation",
    "correlate": "metaeval",
    # coverage and figures
    "coverage": "attention",
    "plot_coverage": "plots",
    "plot_story_timeline": "plots",
    "plot_outlet_story_matrix": "plots",
    "plot_summary_support": "plots",
    "plot_story_reach": "plots",
    # paths
    "benchmark_dir": "paths",
    "sample_dir": "paths",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newslab' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"newslab.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
