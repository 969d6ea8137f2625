"""The findings table shared by every checker (scores, facts, consistency).

A *finding* is one problem found in a summary: a number no source gives, a misattributed
quote, a date that contradicts the sources, ... Every checker returns the same columns so
their outputs can be concatenated.

Columns
-------
kind : str
    One of :data:`FINDING_KINDS`.
span : str
    The offending summary text (e.g. ``"150 missiles"``).
start, end : int
    Character offsets of ``span`` in the text that was checked (``-1`` when unknown).
evidence : str
    Human-readable explanation, quoting the source text when there is one.
severity : str
    ``"high"``, ``"medium"`` or ``"low"``.
sentence : int
    Index of the summary sentence containing the span, ``-1`` when not tied to one
    (e.g. ``missed_consensus``).

Examples
--------
>>> df = findings_frame([{"kind": "number", "span": "150 missiles", "start": 10, "end": 22,
...                       "evidence": "sources say 122 missiles", "severity": "high"}])
>>> list(df.columns) == FINDING_COLUMNS
True
>>> int(df.loc[0, "sentence"])
-1
>>> len(findings_frame([]))
0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

FINDING_COLUMNS: list[str] = ["kind", "span", "start", "end", "evidence", "severity", "sentence"]

#: Every finding kind, with a one-line meaning.
FINDING_KINDS: dict[str, str] = {
    "number": "a quantity no source gives, or an approximation the sources contradict",
    "quote": "a quoted span that appears in no source (allowing small edits)",
    "attribution": "a quote attributed to someone other than the source's speaker",
    "date": "an absolute date that contradicts the sources",
    "time_inconsistency": "elapsed time that does not match dates the text gives",
    "stale_reference": "a past year or event referred to as if still ahead",
    "unsupported_claim": "a summary sentence no source sentence supports",
    "merged_event": "a sentence whose support comes from another story or time",
    "missed_consensus": "a fact stated by at least two sources that the summary omits",
}

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")

_DEFAULTS: dict[str, Any] = {
    "kind": "",
    "span": "",
    "start": -1,
    "end": -1,
    "evidence": "",
    "severity": "medium",
    "sentence": -1,
}


def findings_frame(rows: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
    """Build a findings DataFrame with exactly :data:`FINDING_COLUMNS`.

    Missing fields get defaults (``start``/``end``/``sentence`` = -1, ``severity`` =
    ``"medium"``, strings empty); extra keys are dropped.

    Parameters
    ----------
    rows : iterable of mapping
        One mapping per finding.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind, span, start, end, evidence, severity, sentence``; integer offsets.

    Raises
    ------
    ValueError
        If a row has an unknown ``kind`` or ``severity``.

    Examples
    --------
    >>> findings_frame([{"kind": "quote", "span": '"hello"'}]).severity.tolist()
    ['medium']
    """
    records = []
    for row in rows:
        rec = {c: row.get(c, _DEFAULTS[c]) for c in FINDING_COLUMNS}
        for c in ("start", "end", "sentence"):
            rec[c] = -1 if rec[c] is None else int(rec[c])
        if rec["kind"] not in FINDING_KINDS:
            raise ValueError(
                f"unknown finding kind {rec['kind']!r}; expected one of {sorted(FINDING_KINDS)}"
            )
        if rec["severity"] not in SEVERITIES:
            raise ValueError(f"unknown severity {rec['severity']!r}; expected one of {SEVERITIES}")
        rec["span"] = str(rec["span"])
        rec["evidence"] = str(rec["evidence"])
        records.append(rec)
    data = {c: [r[c] for r in records] for c in FINDING_COLUMNS}
    return pd.DataFrame(
        {
            c: pd.Series(v, dtype="int64" if c in ("start", "end", "sentence") else object)
            for c, v in data.items()
        }
    )


def concat_findings(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate findings frames, keeping :data:`FINDING_COLUMNS` and dtypes.

    Examples
    --------
    >>> a = findings_frame([{"kind": "date", "span": "2023"}])
    >>> len(concat_findings([a, findings_frame(), a]))
    2
    """
    parts = [f for f in frames if f is not None and len(f)]
    if not parts:
        return findings_frame()
    if len(parts) == 1:
        return parts[0][FINDING_COLUMNS].reset_index(drop=True)
    out = pd.concat([p[FINDING_COLUMNS] for p in parts], ignore_index=True)
    return out.astype({"start": "int64", "end": "int64", "sentence": "int64"})
