"""Score a summary against its sources: support per sentence, findings, and named metrics.

:func:`score_summary` aligns every summary sentence with the story's source sentences
(:mod:`newslab.align`), runs the fact checks (:mod:`newslab.facts`: numbers, quotes,
attribution, invented names and flipped negations, merged events, consensus facts), the date and time checks of
:func:`newslab.consistency.check_consistency` when that module is available, and the form
metrics (:mod:`newslab.form`). :func:`score_many` does the same for a table of summaries,
building each story's source index once.

Metrics (``ScoreResult.metrics``)
---------------------------------
faithfulness
    Whether the summary is free of unsupported content, 0..1 (``ScoreOptions.aggregation``,
    default ``"softmin"``): ``faithfulness_softmin`` below. ``aggregation="mean"`` gives
    ``faithfulness_mean`` instead (the former definition).
faithfulness_softmin
    A soft minimum of the sentences' adjusted support, so that one unsupported sentence
    lowers the whole summary (a summary is faithful only if no part of it is unsupported):
    the weighted power mean ``(sum_i w_i a_i**p / sum_i w_i) ** (1/p)`` with ``p = -2``
    (``ScoreOptions.softmin_power``), ``a_i`` the sentence's support after its findings'
    penalties (floored at 0.01), ``w_i`` its number of content words, over the sentences
    that are claims (a bare framing line, "Here is the latest on X.", and lines of fewer
    than 3 content words are left out; a framing line that goes on after a colon counts),
    times the summary-level finding costs below.
    Unlike a plain minimum it still drops when an error lands on a sentence that is not
    the weakest. Chosen on a label-free development task (``benchmarks/faithfulness_dev.py``:
    synthetic faithful and corrupted summaries of DiverSumm's sources, pooled ROC-AUC 0.975
    against 0.965 for the mean; ``p = -4`` and the plain minimum rank better there but tie
    too often when a corruption hits a sentence other than the weakest).
faithfulness_mean
    Share of supported content, 0..1: the mean of the sentences' support scores
    (:mod:`newslab.align`), weighted by their number of content words, where a sentence
    with a finding of kind number, quote, attribution, date, time_inconsistency,
    stale_reference, merged_event or unsupported_claim has its support multiplied by 0.5
    (high severity) or 0.75 (medium) per finding; the summary-level mean is then multiplied,
    per such finding, by ``1 - finding_costs[severity] * share`` (cost 0.2 high, 0.1
    medium; ``share`` = its sentence's share of the content words, an average sentence's for
    a finding tied to none), so that a problem found on a sentence whose support is already
    0 still lowers the score. Sentence-level lexical alignment
    instead of whole-document scoring follows SummaC (Laban et al. 2022); the
    perturbations it must resist follow FactCC (Kryscinski et al. 2020).
support
    The same mean before the findings' penalties (alignment only).
supported_share, partial_share, unsupported_share
    Share of content words in sentences labelled supported / partial / unsupported.
numbers, numbers_supported, quotes, quotes_supported
    Number of quantities (resp. quotations) in the summary, and the share with no
    ``number`` (resp. ``quote``/``attribution``) finding; NaN when there are none.
source_coverage, sources_used, sources_unused, outlets_used, outlet_entropy, outlet_entropy_bits
    Source use (:func:`newslab.facts.source_use`).
coverage, consensus_facts
    Share of the consensus facts (stated by >= 2 outlets) the summary states, and their
    number (:func:`newslab.facts.consensus_facts`).
fragment_coverage, fragment_density, compression, novel_1gram..novel_3gram, redundancy, words, sentences
    Form (:mod:`newslab.form`; Grusky et al. 2018).
rouge1, rouge2, rougeL (and ``_p``/``_r``)
    Against ``reference=`` when given (Lin 2004; rouge-score, stemming on).
insight_coverage
    With ``insights=``: mean coverage of the reference insights, 1 / 0.5 / 0 for
    full / partial / none (:func:`newslab.facts.insight_coverage`; the measure of
    Laban et al. 2024, "Summary of a Haystack").

Examples
--------
>>> import pandas as pd
>>> story = pd.DataFrame({"url": ["https://a.example/1", "https://b.example/2"],
...     "outlet": ["A", "B"], "title": ["Strikes", "Barrage"], "published": ["2023-12-29"] * 2,
...     "text": ["Russia fired 122 missiles at Ukraine on Friday, killing 12 people.",
...              "Ukraine said 122 missiles and 36 drones were launched."]})
>>> good = score_summary("Russia fired 122 missiles at Ukraine, killing 12 people.", story)
>>> bad = score_summary("Russia fired 150 missiles at Ukraine, killing 12 people.", story)
>>> good.metrics["faithfulness"] > bad.metrics["faithfulness"]
True
>>> bad.findings.query("kind == 'number'").span.tolist()
['150 missiles']
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from newslab.align import AlignOptions, SourceIndex, content_tokens, numbers_in, segment
from newslab.facts import (
    FactOptions,
    _records,
    as_utc,
    check_consensus,
    check_entities_negation,
    check_merged_events,
    check_numbers,
    check_quotes,
    insight_coverage,
    source_use,
)
from newslab.findings import FINDING_COLUMNS, FINDING_KINDS, concat_findings, findings_frame
from newslab.form import SourceTokens, form_metrics
from newslab.text import TIME_UNITS, is_preamble

__all__ = [
    "ScoreOptions",
    "ScoreResult",
    "StoryScorer",
    "score_summary",
    "score_many",
    "FINDING_COLUMNS",
    "FINDING_KINDS",
    "SENTENCE_COLUMNS",
]

SENTENCE_COLUMNS: list[str] = [
    "sentence",
    "text",
    "start",
    "end",
    "label",
    "score",
    "adjusted_score",
    "evidence",
    "outlet",
    "url",
    "source_text",
    "published",
    "cosine",
    "content_coverage",
    "bigram_coverage",
    "numbers_matched",
    "names_matched",
    "findings",
]

_PENALISED = frozenset(
    {"number", "quote", "attribution", "date", "time_inconsistency", "stale_reference"}
    | {"merged_event", "unsupported_claim"}
)


@dataclass(frozen=True)
class ScoreOptions:
    """Settings of the scorer.

    Attributes
    ----------
    align : AlignOptions
        Alignment settings (evidence count, label thresholds, weights).
    facts : FactOptions
        Fact-check settings (quote matching, consensus, merged events).
    penalties : mapping
        Factor applied to a sentence's support per finding of each severity.
    finding_costs : mapping
        Per severity: each finding of a penalised kind multiplies the summary-level
        ``faithfulness`` by ``1 - cost * (its sentence's share of the content words)``
        (on top of ``penalties``).
    aggregation : {"softmin", "mean"}
        What ``faithfulness`` reports: ``faithfulness_softmin`` (a soft minimum over the
        sentences: one unsupported sentence makes the summary unfaithful) or
        ``faithfulness_mean`` (the share of supported content). Both are always in
        ``metrics``.
    softmin_power : float
        Exponent ``p < 0`` of the power mean of ``faithfulness_softmin`` (towards -inf it
        tends to the weakest sentence's support; -1 is the harmonic mean).
    support_floor : float
        Sentence support is floored at this in ``faithfulness_softmin`` (a power mean with
        ``p < 0`` needs positive values).
    consistency : bool
        Run :func:`newslab.consistency.check_consistency` (dates and time) when available.
    check_language : bool
        Refuse summaries and sources that are not in English.

    Raises
    ------
    ValueError
        An unknown ``aggregation``, ``softmin_power >= 0`` or ``support_floor`` outside (0, 1].
    """

    align: AlignOptions = field(default_factory=AlignOptions)
    facts: FactOptions = field(default_factory=FactOptions)
    penalties: Mapping[str, float] = field(
        default_factory=lambda: {"high": 0.5, "medium": 0.75, "low": 1.0}
    )
    finding_costs: Mapping[str, float] = field(
        default_factory=lambda: {"high": 0.2, "medium": 0.1, "low": 0.0}
    )
    aggregation: str = "softmin"
    softmin_power: float = -2.0
    support_floor: float = 0.01
    consistency: bool = True
    check_language: bool = True

    def __post_init__(self) -> None:
        if self.aggregation not in ("softmin", "mean"):
            raise ValueError(f"aggregation must be 'softmin' or 'mean', not {self.aggregation!r}")
        if not self.softmin_power < 0:
            raise ValueError(f"softmin_power must be negative, not {self.softmin_power!r}")
        if not 0 < self.support_floor <= 1:
            raise ValueError(f"support_floor must be in (0, 1], not {self.support_floor!r}")


@dataclass
class ScoreResult:
    """What :func:`score_summary` returns.

    Attributes
    ----------
    summary : str
    metrics : dict
        Named scores (see the module docstring).
    sentences : DataFrame
        One row per summary sentence (:data:`SENTENCE_COLUMNS`).
    findings : DataFrame
        One row per problem (:data:`FINDING_COLUMNS`).
    sources : DataFrame
        One row per source article: ``doc``, ``outlet``, ``url``, ``sentences``
        (summary sentences it best supports).
    consensus : DataFrame
        Consensus facts and whether the summary states them (``covered``).
    insights : DataFrame or None
        With ``insights=``: per reference insight, its coverage
        (:func:`newslab.facts.insight_coverage`).
    """

    summary: str
    metrics: dict[str, Any]
    sentences: pd.DataFrame
    findings: pd.DataFrame
    sources: pd.DataFrame
    consensus: pd.DataFrame
    insights: pd.DataFrame | None = None

    def __repr__(self) -> str:
        kinds = self.findings.kind.value_counts().to_dict()
        return (
            f"ScoreResult(faithfulness={self.metrics['faithfulness']:.3f}, "
            f"sentences={len(self.sentences)}, findings={kinds})"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view (metrics, sentences with evidence, findings)."""

        def clean(v: Any) -> Any:
            if isinstance(v, float) and math.isnan(v):
                return None
            if isinstance(v, (np.floating, np.integer)):
                return clean(v.item())
            if isinstance(v, pd.Timestamp):
                return v.isoformat()
            if v is pd.NaT:
                return None
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            return v

        sents = self.sentences.drop(columns=["findings"]).to_dict("records")
        return clean(
            {
                "summary": self.summary,
                "metrics": self.metrics,
                "sentences": sents,
                "findings": self.findings.to_dict("records"),
            }
        )

    def to_html(self) -> str:
        """A self-contained HTML report: sentences coloured by support, notes with evidence.

        All text from the summary and the sources is HTML-escaped.

        Examples
        --------
        >>> import pandas as pd
        >>> r = score_summary("<script>alert(1)</script> Rain fell.",
        ...                   pd.DataFrame({"text": ["Rain fell on Monday."]}))
        >>> "<script>" in r.to_html(), "&lt;script&gt;" in r.to_html()
        (False, True)
        """
        return _render_html(self)


# ----------------------------------------------------------------- scoring


def _check_language(text: str, what: str) -> None:
    from newslab.language import detect_language

    if len(text) < 40:
        return
    lang = detect_language(text[:600])
    if lang is not None and lang != "en":
        raise ValueError(
            f"{what} looks like language {lang!r}; the scorer handles English text only "
            "(pass options=ScoreOptions(check_language=False) to score anyway)"
        )


def _consistency_module():
    try:
        from newslab import consistency
    except ImportError:  # the date checks are optional
        return None
    return consistency


def _consistency(text: str, published: Any, sources: Any) -> pd.DataFrame | None:
    module = _consistency_module()
    if module is None:
        return None
    return module.check_consistency(text, published=published, sources=sources)


class StoryScorer:
    """Scores summaries of one story; holds the story's source features for reuse.

    Parameters
    ----------
    story_df : DataFrame
        Corpus rows of the story (``text`` required; ``url``, ``outlet``, ``title``,
        ``published``, ``story`` used when present).
    options : ScoreOptions, optional

    Raises
    ------
    ValueError
        Empty sources, sources with no text, or (with ``check_language``) non-English sources.
    """

    def __init__(self, story_df: pd.DataFrame, options: ScoreOptions | None = None):
        self.options = options or ScoreOptions()
        if not isinstance(story_df, pd.DataFrame):
            raise TypeError(f"story_df must be a DataFrame, not {type(story_df).__name__}")
        if len(story_df) == 0:
            raise ValueError("story_df is empty: a summary needs at least one source article")
        if "text" not in story_df.columns:
            raise ValueError(f"story_df needs a 'text' column; it has {list(story_df.columns)}")
        self.story_df = story_df
        self.index = SourceIndex(story_df, self.options.align)
        if self.options.check_language:
            if "language" in story_df.columns and story_df.language.notna().any():
                langs = set(story_df.language.dropna().astype(str).str[:2].str.lower())
                if "en" not in langs:
                    raise ValueError(
                        f"the sources are in {sorted(langs)}; the scorer handles English only"
                    )
            else:
                _check_language(" ".join(self.index.sentences.text.head(30)), "the sources")
        texts = [
            " ".join(x for x in (t, b) if isinstance(x, str))
            for t, b in zip(self.index.docs.title, self.index.docs.text, strict=True)
        ]
        self.tokens = SourceTokens(texts)
        # the date checks may offer a per-story preparation (split, dated sentences) to reuse
        module = _consistency_module() if self.options.consistency else None
        prepare = getattr(module, "prepare_sources", None)
        self.consistency_sources = prepare(story_df) if prepare is not None else story_df

    def score(
        self,
        summary_text: str,
        published: Any = None,
        reference: str | None = None,
        insights: Sequence[str] | None = None,
    ) -> ScoreResult:
        """Score one summary of this story (see :func:`score_summary`)."""
        opts = self.options
        if not isinstance(summary_text, str):
            raise TypeError(f"summary must be a string, not {type(summary_text).__name__}")
        if not summary_text.strip():
            raise ValueError("the summary is empty")
        spans = segment(summary_text)
        if not spans:
            raise ValueError("the summary has no sentences (no words found)")
        as_utc(published)  # a clear error for a date that cannot be read
        if opts.check_language:
            _check_language(summary_text, "the summary")
        aligned = self.index.align(spans)
        rows: list[dict[str, Any]] = []
        rows += check_numbers(spans, self.index, opts.facts)
        quote_rows, quote_counts = check_quotes(spans, self.index, opts.facts)
        rows += quote_rows
        rows += check_entities_negation(
            spans, aligned, self.index, opts.align.partial, overstatement=opts.facts.overstatement
        )
        rows += check_merged_events(
            aligned,
            self.index,
            published=published,
            partial=opts.align.partial,
            options=opts.facts,
        )
        for r in _records(aligned):
            if r.label == "unsupported" and _is_claim(r.text):
                ev = r.evidence[0] if r.evidence else None
                rows.append(
                    {
                        "kind": "unsupported_claim",
                        "span": r.text,
                        "start": r.start,
                        "end": r.end,
                        "evidence": (
                            f"support {r.score:.2f}; closest source sentence: “{ev['text']}” "
                            f"({ev['outlet']})"
                            if ev
                            else "no source sentence shares its content"
                        ),
                        "severity": "medium",
                        "sentence": r.sentence,
                    }
                )
        consensus_rows, coverage, facts = check_consensus(summary_text, self.index, opts.facts)
        rows += consensus_rows
        frames = [findings_frame(rows)]
        if opts.consistency:
            cons = _consistency(summary_text, published, self.consistency_sources)
            if cons is not None and len(cons):
                cons = cons[FINDING_COLUMNS].copy()
                cons["sentence"] = [
                    _sentence_at(spans, s, k)
                    for s, k in zip(cons.start, cons.sentence, strict=True)
                ]
                frames.append(cons)
        findings = concat_findings(frames)
        findings = findings.sort_values(["sentence", "start"], kind="stable").reset_index(drop=True)

        # sentence table, with support lowered by the findings on each sentence
        weights = np.array([max(1, len(content_tokens(t))) for t in aligned.text], dtype=float)
        adjusted = aligned.score.to_numpy(dtype=float).copy()
        per_sentence: list[list[dict[str, Any]]] = [[] for _ in range(len(aligned))]
        total = weights.sum()
        for f in _records(findings):
            inside = 0 <= f.sentence < len(aligned)
            if inside:
                per_sentence[f.sentence].append(
                    {"kind": f.kind, "span": f.span, "evidence": f.evidence, "severity": f.severity}
                )
            if f.kind in _PENALISED and inside:
                adjusted[f.sentence] *= opts.penalties.get(f.severity, 1.0)
        scale = _finding_scale(findings, weights, opts.finding_costs)
        sentences = aligned.copy()
        sentences["adjusted_score"] = adjusted
        sentences["findings"] = per_sentence
        sentences = sentences[SENTENCE_COLUMNS]

        labels = aligned.label.to_numpy()
        n_numbers = sum(
            1
            for _, _, s in spans
            for m in numbers_in(s)
            # durations are the date checks' business, not the number check's
            if not (m.unit and m.unit.lower() in TIME_UNITS)
        )
        kinds = findings.kind.value_counts()
        use = source_use(aligned, self.index, opts.align.partial)
        mean = float(np.clip((weights * adjusted).sum() / total * scale, 0.0, 1.0))
        claims = np.array([_is_claim(t) for t in aligned.text], dtype=bool)
        if not claims.any():
            claims[:] = True
        softmin = float(
            np.clip(
                _power_mean(
                    np.clip(adjusted[claims], opts.support_floor, 1.0),
                    weights[claims],
                    opts.softmin_power,
                )
                * scale,
                0.0,
                1.0,
            )
        )
        metrics: dict[str, Any] = {
            "faithfulness": softmin if opts.aggregation == "softmin" else mean,
            "faithfulness_softmin": softmin,
            "faithfulness_mean": mean,
            "support": float((weights * aligned.score.to_numpy()).sum() / total),
            "supported_share": float(weights[labels == "supported"].sum() / total),
            "partial_share": float(weights[labels == "partial"].sum() / total),
            "unsupported_share": float(weights[labels == "unsupported"].sum() / total),
            "numbers": n_numbers,
            "numbers_supported": (
                1 - min(n_numbers, int(kinds.get("number", 0))) / n_numbers
                if n_numbers
                else float("nan")
            ),
            "quotes": quote_counts["quotes"],
            "quotes_supported": (
                1
                - min(
                    quote_counts["quotes"],
                    int(kinds.get("quote", 0)) + int(kinds.get("attribution", 0)),
                )
                / quote_counts["quotes"]
                if quote_counts["quotes"]
                else float("nan")
            ),
            "source_coverage": use["source_coverage"],
            "sources_used": use["sources_used"],
            "sources_unused": use["sources_unused"],
            "outlets_used": use["outlets_used"],
            "outlet_entropy": use["outlet_entropy"],
            "outlet_entropy_bits": use["outlet_entropy_bits"],
            "coverage": coverage,
            "consensus_facts": len(facts),
        }
        metrics.update(
            form_metrics(
                summary_text, self.tokens, reference=reference, sentences=[s for _, _, s in spans]
            )
        )
        table = None
        if insights is not None:
            table = insight_coverage(summary_text, list(insights), sources=self.index)
            metrics["insight_coverage"] = float(table.value.mean()) if len(table) else np.nan
        return ScoreResult(
            summary=summary_text,
            metrics=metrics,
            sentences=sentences,
            findings=findings,
            sources=use["sources"],
            consensus=facts,
            insights=table,
        )


def _power_mean(values: np.ndarray, weights: np.ndarray, p: float) -> float:
    """Weighted power mean of positive values (``p < 0``: a soft minimum; 0: geometric)."""
    if p == 0:
        return float(np.exp((weights * np.log(values)).sum() / weights.sum()))
    return float(((weights * values**p).sum() / weights.sum()) ** (1.0 / p))


def _finding_scale(
    findings: pd.DataFrame, weights: np.ndarray, costs: Mapping[str, float]
) -> float:
    """Summary-level factor of the penalised findings: per finding, ``1 - cost * share``
    (``share``: its sentence's share of the content words, an average sentence's if none)."""
    scale = 1.0
    for kind, severity, sentence in zip(
        findings.kind, findings.severity, findings.sentence, strict=True
    ):
        if kind in _PENALISED:
            inside = 0 <= sentence < len(weights)
            share = (weights[sentence] if inside else weights.mean()) / weights.sum()
            scale *= 1.0 - costs.get(severity, 0.0) * share
    return scale


def _is_claim(text: str) -> bool:
    """Whether a sentence states something: not a bare framing line, nor too short.

    A framing line that goes on after a colon ("Here is what we know: two blasts hit ...")
    states what follows the colon, so it counts.
    """
    if is_preamble(text):
        text = text.split(":", 1)[1] if ":" in text else ""
    return len(content_tokens(text)) >= 3


def _sentence_at(spans: list[tuple[int, int, str]], start: int, fallback: int) -> int:
    if start is None or start < 0:
        return int(fallback)
    for i, (s, e, _) in enumerate(spans):
        if s <= start < e:
            return i
    return int(fallback)


def score_summary(
    summary_text: str,
    story_df: pd.DataFrame,
    published: Any = None,
    *,
    reference: str | None = None,
    insights: Sequence[str] | None = None,
    options: ScoreOptions | None = None,
) -> ScoreResult:
    """Score a summary against the articles of its story.

    Parameters
    ----------
    summary_text : str
        The summary (prose or bullet lines).
    story_df : DataFrame
        Corpus rows of the story: ``text`` required; ``url``, ``outlet``, ``title``,
        ``published`` and ``story`` used when present. Rows of several stories are allowed:
        sentences supported by another story than the rest become ``merged_event``.
    published : date-like, optional
        The summary's dateline (resolves "yesterday", "on Saturday"...; evidence published
        after it is flagged).
    reference : str, optional
        A reference summary, for ROUGE.
    insights : list of str, optional
        Reference insights (key facts): adds ``insight_coverage`` (mean of 1 / 0.5 / 0 for
        full / partial / no coverage; :func:`newslab.facts.insight_coverage`) and
        ``result.insights``.
    options : ScoreOptions, optional

    Returns
    -------
    ScoreResult
        ``metrics``, ``sentences``, ``findings``, ``sources``, ``consensus``, ``to_html()``.

    Raises
    ------
    ValueError
        Empty summary, a summary with no sentences, empty sources, non-English text.
    """
    return StoryScorer(story_df, options).score(summary_text, published, reference, insights)


def _score_block(
    block: tuple[pd.DataFrame, Mapping[Any, pd.DataFrame], ScoreOptions | None, str],
    tick: Any = None,
) -> list[dict]:
    """Score a block of summaries against their stories (one task of :func:`score_many`)."""
    summaries_df, groups, options, errors = block
    scorers: dict[Any, StoryScorer | Exception] = {}
    rows = []
    has_pub = "published" in summaries_df.columns
    has_ref = "reference" in summaries_df.columns
    has_ins = "insights" in summaries_df.columns
    for rec in summaries_df.itertuples(index=False):
        row: dict[str, Any] = {"id": rec.id, "story": rec.story, "error": None}
        try:
            if rec.story not in scorers:
                if rec.story not in groups:
                    scorers[rec.story] = ValueError(f"story {rec.story!r} is not in corpus_df")
                else:
                    try:
                        scorers[rec.story] = StoryScorer(groups[rec.story], options)
                    except (ValueError, TypeError) as exc:
                        scorers[rec.story] = ValueError(f"story {rec.story!r}: {exc}")
            scorer = scorers[rec.story]
            if isinstance(scorer, Exception):
                raise scorer
            pub = rec.published if has_pub else None
            pub = None if pub is None or (not isinstance(pub, str) and pd.isna(pub)) else pub
            ref = rec.reference if has_ref and isinstance(rec.reference, str) else None
            ins = rec.insights if has_ins and isinstance(rec.insights, (list, tuple)) else None
            res = scorer.score(rec.text, pub, ref, ins)
            row.update(res.metrics)
            counts = res.findings.kind.value_counts()
            row["n_findings"] = len(res.findings)
            for kind in FINDING_KINDS:
                row[f"n_{kind}"] = int(counts.get(kind, 0))
        except (ValueError, TypeError) as exc:
            if errors == "raise":
                raise ValueError(f"summary {rec.id!r}: {exc}") from exc
            row["error"] = str(exc)
        rows.append(row)
        if tick is not None:
            tick(1)
    return rows


def score_many(
    summaries_df: pd.DataFrame,
    corpus_df: pd.DataFrame,
    *,
    options: ScoreOptions | None = None,
    progress: bool = True,
    errors: str = "raise",
    n_jobs: int | None = None,
    scheduler: Any = None,
    block_size: int | None = None,
) -> pd.DataFrame:
    """Score many summaries; each story's sources are indexed once per block.

    Parameters
    ----------
    summaries_df : DataFrame
        Columns ``id``, ``text``, ``story``; optional ``published`` (dateline),
        ``reference`` (for ROUGE) and ``insights`` (list of str, for ``insight_coverage``).
    corpus_df : DataFrame
        The corpus, with a ``story`` column.
    options : ScoreOptions, optional
    progress : bool
        Show a tqdm progress bar.
    errors : {"raise", "coerce"}
        On a bad summary or story, raise, or record the message in an ``error`` column
        and leave its metrics NaN.
    n_jobs : int or None
        Local worker processes (``-1``: one per core); ``None`` scores in this process.
    scheduler : str, dask Client or None
        Score with dask instead: ``"processes"`` (the default when ``n_jobs`` > 1),
        ``"threads"``, ``"synchronous"``, or a ``dask.distributed.Client`` for a cluster.
    block_size : int, optional
        Most summaries per parallel task: a story with more is split, smaller ones share a
        task. By default a story is split only when there are fewer stories than workers
        (its sources are indexed once per task), into about 4 tasks per core.

    Returns
    -------
    DataFrame
        One row per summary, in input order: ``id``, ``story``, every metric,
        ``n_findings`` and ``n_<kind>`` for every finding kind, and ``error``. Identical
        whichever way it is computed.

    Examples
    --------
    >>> import pandas as pd
    >>> corpus = pd.DataFrame({"story": ["s1", "s1"], "outlet": ["A", "B"],
    ...     "text": ["Floods hit Jakarta on Monday.", "Jakarta was flooded on Monday."]})
    >>> sums = pd.DataFrame({"id": ["a", "b"], "story": ["s1", "s1"],
    ...     "text": ["Floods hit Jakarta on Monday.", "Fires hit Paris."]})
    >>> out = score_many(sums, corpus, progress=False)
    >>> out.faithfulness.round(2).tolist(), out.n_unsupported_claim.tolist()
    ([1.0, 0.15], [0, 1])
    """
    from .parallel import map_parts, plan_blocks, workers

    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    for col in ("id", "text", "story"):
        if col not in summaries_df.columns:
            raise ValueError(
                f"summaries_df needs a {col!r} column; it has {list(summaries_df.columns)}"
            )
    if "story" not in corpus_df.columns:
        raise ValueError("corpus_df needs a 'story' column (run the story grouping first)")
    if block_size is not None and int(block_size) < 1:
        raise ValueError(f"block_size must be at least 1, not {block_size}")
    jobs = workers(n_jobs)
    groups = {k: g for k, g in corpus_df.groupby("story", sort=False)}
    summaries_df = summaries_df.reset_index(drop=True)
    if scheduler is None and jobs <= 1:
        from tqdm.auto import tqdm

        with tqdm(total=len(summaries_df), disable=not progress, desc="scoring") as bar:
            rows = _score_block((summaries_df, groups, options, errors), tick=bar.update)
    else:
        # a story's sources are indexed once per block: keep its summaries together
        spans = plan_blocks(
            summaries_df.story.tolist(),
            4 * max(jobs, workers(-1)),
            min_blocks=jobs,
            block_size=block_size,
        )
        blocks = []
        for span in spans:
            part = summaries_df.iloc[span]
            needed = {k: groups[k] for k in part.story.unique() if k in groups}
            # errors are collected and raised below, so that the first bad summary in input
            # order is named, whichever block fails first
            blocks.append((part, needed, options, "coerce"))
        done = map_parts(
            _score_block,
            blocks,
            n_jobs=n_jobs,
            scheduler=scheduler,
            progress=progress,
            desc="scoring",
            weight=len,
            total=len(summaries_df),
        )
        rows = [{}] * len(summaries_df)
        for span, block_rows in zip(spans, done, strict=True):
            for pos, row in zip(span, block_rows, strict=True):
                rows[pos] = row
        bad = next((r for r in rows if r["error"] is not None), None)
        if errors == "raise" and bad is not None:
            raise ValueError(f"summary {bad['id']!r}: {bad['error']}")
    out = pd.DataFrame(rows, columns=None if rows else ["id", "story", "error"])
    for kind in FINDING_KINDS:
        col = f"n_{kind}"
        if col not in out.columns:
            out[col] = pd.NA
    if "faithfulness" not in out.columns:
        out["faithfulness"] = np.nan
    front = ["id", "story", "faithfulness"]
    return out[front + [c for c in out.columns if c not in front and c != "error"] + ["error"]]


# ----------------------------------------------------------------- HTML

_COLOURS = {"supported": "#d8f3dc", "partial": "#fff3bf", "unsupported": "#ffc9c9"}
_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#222}
.grid{display:grid;grid-template-columns:3fr 2fr;gap:2em}
.s{padding:.1em .2em;border-radius:.2em}.s.flag{border-bottom:2px solid #c92a2a}
.note{font-size:.85em;border-left:3px solid #aaa;padding:.3em .6em;margin:.6em 0}
.note .f{color:#c92a2a}.note .ev{color:#555}table{border-collapse:collapse;font-size:.85em}
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
.legend span{padding:.1em .4em;margin-right:.5em}
"""


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "–" if math.isnan(v) else f"{v:.3f}"
    return str(v)


def _render_html(result: ScoreResult) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>newslab summary report</title><style>",
        _CSS,
        "</style></head><body><h1>Summary report</h1>",
        f"<p>faithfulness <b>{result.metrics['faithfulness']:.3f}</b> · "
        f"{len(result.sentences)} sentences · {len(result.findings)} findings</p>",
        "<p class='legend'>",
        *(f"<span style='background:{c}'>{e(k)}</span>" for k, c in _COLOURS.items()),
        "</p><div class='grid'><div><h2>Summary</h2><p>",
    ]
    notes = []
    for r in result.sentences.itertuples(index=False):
        flag = " flag" if r.findings else ""
        tip = f"{r.label}, support {r.adjusted_score:.2f}"
        parts.append(
            f"<span class='s{flag}' id='s{r.sentence}' title='{e(tip)}' "
            f"style='background:{_COLOURS.get(r.label, '#eee')}'>{e(r.text)}</span> "
        )
        note = [
            f"<div class='note'><b>[{r.sentence + 1}]</b> {e(r.label)} ({r.adjusted_score:.2f})"
        ]
        for f in r.findings:
            note.append(
                f"<div class='f'>{e(f['kind'])} ({e(f['severity'])}): “{e(f['span'])}” "
                f"— {e(f['evidence'])}</div>"
            )
        for ev in r.evidence[:2]:
            note.append(
                f"<div class='ev'>{e(str(ev['outlet']))} ({ev['score']:.2f}): "
                f"{e(str(ev['text']))}</div>"
            )
        note.append("</div>")
        notes.append("".join(note))
    parts.append("</p><h2>Findings not tied to a sentence</h2><ul>")
    for f in result.findings[result.findings.sentence < 0].itertuples(index=False):
        parts.append(f"<li>{e(f.kind)}: {e(f.span)} — {e(f.evidence)}</li>")
    parts.append("</ul><h2>Metrics</h2><table>")
    for k, v in result.metrics.items():
        parts.append(f"<tr><th>{e(str(k))}</th><td>{e(_fmt(v))}</td></tr>")
    parts.append("</table></div><div><h2>Evidence</h2>")
    parts.extend(notes)
    parts.append("<h2>Sources</h2><table><tr><th>outlet</th><th>url</th><th>sentences</th></tr>")
    for s in result.sources.itertuples(index=False):
        parts.append(
            f"<tr><td>{e(str(s.outlet))}</td><td>{e(str(s.url))}</td><td>{s.sentences}</td></tr>"
        )
    parts.append("</table></div></div></body></html>")
    return "".join(parts)


# ----------------------------------------------------------------- command line


def add_score_arguments(parser: Any) -> None:
    """Arguments of ``newslab score`` (for the lead's ``newslab.cli``)."""
    parser.add_argument(
        "summary",
        help="summary text file ('-' for standard input), or a table of summaries "
        "(.parquet, .jsonl, .csv with columns id, text, story) to score in one batch",
    )
    parser.add_argument("--sources", required=True, help="corpus file (.parquet or .jsonl)")
    parser.add_argument("--story", default=None, help="story id (the corpus 'story' column)")
    parser.add_argument("--published", default=None, help="the summary's date (YYYY-MM-DD)")
    parser.add_argument("--reference", default=None, help="reference summary file, for ROUGE")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--html", default=None, help="also write the HTML report to this file")
    parser.add_argument(
        "--aggregation",
        choices=("softmin", "mean"),
        default="softmin",
        help="what 'faithfulness' reports: a soft minimum over sentences (default) or the "
        "share of supported content (ScoreOptions.aggregation)",
    )
    parser.add_argument(
        "--out", default=None, help="batch: write the scores table here (.parquet or .csv)"
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="batch: worker processes (-1: one per core)"
    )


def format_result(result: ScoreResult) -> str:
    """A plain-text view of a :class:`ScoreResult` (metrics, sentences, findings).

    Examples
    --------
    >>> import pandas as pd
    >>> r = score_summary("Rain fell on Monday.", pd.DataFrame({"text": ["Rain fell on Monday."]}))
    >>> print(format_result(r).splitlines()[0])
    faithfulness 1.000  (1 sentences, 0 findings)
    """
    m = result.metrics
    lines = [f"faithfulness {m['faithfulness']:.3f}  ({len(result.sentences)} sentences, "
             f"{len(result.findings)} findings)"]  # fmt: skip
    keys = ("faithfulness_mean", "numbers_supported", "quotes_supported", "coverage", "source_coverage",
            "outlet_entropy", "fragment_coverage", "fragment_density", "novel_2gram", "words")  # fmt: skip
    lines.append("  " + "  ".join(f"{k} {_fmt(m[k])}" for k in keys if k in m))
    for r in result.sentences.itertuples(index=False):
        lines.append(f"[{r.sentence + 1}] {r.label:<11} {r.adjusted_score:.2f}  {r.text}")
        if isinstance(r.source_text, str):
            lines.append(f"      <- {r.outlet}: {r.source_text}")
    for f in result.findings.itertuples(index=False):
        where = f"[{f.sentence + 1}]" if f.sentence >= 0 else "[-]"
        lines.append(f"{where} {f.kind} ({f.severity}): {f.span} -- {f.evidence}")
    return "\n".join(lines)


def run_score_command(args: Any) -> int:
    """Run ``newslab score`` from parsed arguments; returns the exit status.

    Reads the summary, selects the story's rows of the corpus, scores, and prints a text
    report (or JSON with ``--json``); errors are printed to standard error with status 1.
    """
    import json
    import sys
    from pathlib import Path

    from newslab.corpus import read_corpus

    if Path(args.summary).suffix.lower() in _TABLE_SUFFIXES:
        return _run_score_batch(args)
    try:
        text = sys.stdin.read() if args.summary == "-" else Path(args.summary).read_text("utf-8")
        corpus = read_corpus(args.sources)
        if args.story is not None:
            if "story" not in corpus.columns:
                raise ValueError(f"{args.sources} has no 'story' column; group stories first")
            story = corpus[corpus["story"].astype(str) == str(args.story)]
            if story.empty:
                raise ValueError(f"no article of story {args.story!r} in {args.sources}")
        else:
            story = corpus
        reference = Path(args.reference).read_text("utf-8") if args.reference else None
        options = ScoreOptions(aggregation=getattr(args, "aggregation", "softmin"))
        result = score_summary(
            text, story, published=args.published, reference=reference, options=options
        )
    except (OSError, ValueError, TypeError) as exc:
        print(f"newslab score: {exc}", file=sys.stderr)
        return 1
    if args.html:
        from newslab.io import atomic_write

        with atomic_write(args.html, mode="w") as fh:
            fh.write(result.to_html())
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        print(format_result(result))
    return 0


_TABLE_SUFFIXES = (".parquet", ".jsonl", ".csv")


def _run_score_batch(args: Any) -> int:
    """``newslab score SUMMARIES.parquet --sources S --out OUT [--jobs N]``: every summary
    scored; a bad one gets its message in the ``error`` column and the others are kept."""
    import sys
    from pathlib import Path

    from newslab.corpus import read_corpus
    from newslab.io import atomic_path

    try:
        for flag in ("story", "reference", "html"):
            if getattr(args, flag, None):
                raise ValueError(
                    f"--{flag} applies to one summary; a table gives each summary's story "
                    "(and 'published', 'reference') in its columns"
                )
        if args.json:
            raise ValueError("--json applies to one summary; use --out for a table")
        if not args.out:
            raise ValueError("scoring a table of summaries needs --out (.parquet or .csv)")
        out = Path(args.out)
        if out.suffix.lower() not in (".parquet", ".csv"):
            raise ValueError(f"--out must end in .parquet or .csv, not {out.name!r}")
        src = Path(args.summary)
        suffix = src.suffix.lower()
        if suffix == ".parquet":
            table = pd.read_parquet(src)
        elif suffix == ".jsonl":
            table = pd.read_json(src, lines=True, dtype=False)
        else:
            table = pd.read_csv(src, dtype={"id": str, "story": str})
        corpus = read_corpus(args.sources)
        if "story" not in corpus.columns:
            raise ValueError(f"{args.sources} has no 'story' column; group stories first")
        if "story" in table.columns:  # ids compared as text, as `--story` is
            table["story"] = table["story"].astype(str)
            corpus = corpus.assign(story=corpus["story"].astype(str))
        if args.published:  # the dateline of the summaries that give none
            given = table["published"] if "published" in table.columns else None
            table["published"] = args.published if given is None else given.fillna(args.published)
        options = ScoreOptions(aggregation=getattr(args, "aggregation", "softmin"))
        scores = score_many(table, corpus, options=options, errors="coerce", n_jobs=args.jobs)
    except (OSError, ValueError, TypeError, ImportError) as exc:
        print(f"newslab score: {exc}", file=sys.stderr)
        return 1
    with atomic_path(out) as tmp:
        if out.suffix.lower() == ".parquet":
            scores.to_parquet(tmp, index=False)
        else:
            scores.to_csv(tmp, index=False)
    bad = scores[scores.error.notna()]
    print(f"scored {len(scores) - len(bad)} of {len(scores)} summaries -> {out}", file=sys.stderr)
    for r in bad.head(5).itertuples(index=False):
        print(f"  {r.id}: {r.error}", file=sys.stderr)
    return 1 if len(bad) else 0
