"""Fact checks of a summary against its sources: numbers, quotes, attribution, source use,
consensus facts, merged events, and coverage of reference insights.

Every check works on a :class:`newslab.align.SourceIndex` (built once per story) and
returns finding rows for :func:`newslab.findings.findings_frame`.

Numbers
    Each quantity of the summary (``find_numbers``: value, qualifier, unit = the noun it
    counts) is compared with the source quantities about the same thing: same unit
    (stemmed), else the same words around the number. A plain number must equal a source
    value; a qualified or vague one ("over 70", "nearly 100", "dozens") must allow the
    source value: "over 70 missiles" is compatible with 122, "nearly 100" and "over 150"
    are not. When several source quantities share the unit, the ones whose context (words
    around the number) best matches the summary's decide, so "nearly 100 missiles fired"
    is not excused by "87 of the missiles were shot down". An exact figure where the sources
    only give a bound ("97,500 shares" for "over 65,000") is flagged as more precise than
    any source. Elapsed times ("two days later") are compared with source times of the same
    unit and related context; next to a date ("22 months after the February 2022
    invasion") they are left to :func:`newslab.consistency.check_consistency`. Units of
    measure match by any spelling ("metres", "meters") and across conversions ("328 feet"
    for "100 metres"; within 2.5%, never against an open bound).
Quotes and attribution
    A quoted span must appear in a source, allowing small edits (at least ``quote_match``
    of its words in order within a compact window, via :class:`difflib.SequenceMatcher`).
    When the summary names a speaker next to the quote ("X said", "said X", "according
    to X"), one of the speaker's names must occur among the names in the source sentence
    holding the quote (or the sentence before, for "he said").
Source use
    Which articles and outlets supply the best evidence of the supported sentences:
    share of sources used and the normalised Shannon entropy of the outlet shares.
Consensus facts
    Quantities with a unit and names stated by at least two outlets (two articles when
    the story has one outlet). ``coverage`` is the share of them the summary states;
    the most widely stated missing ones are reported as ``missed_consensus``.
Merged events
    A sentence whose best evidence comes from another story (when the sources hold
    several), from articles published after the summary's date, or from articles
    published more than ``merge_days`` away from the evidence of every other sentence.

Examples
--------
>>> import pandas as pd
>>> from newslab.align import SourceIndex, segment
>>> story = pd.DataFrame({"outlet": ["A", "B"], "text": [
...     "Russia fired 122 missiles at Ukraine.", "Officials said 122 missiles were fired."]})
>>> idx = SourceIndex(story)
>>> [r["span"] for r in check_numbers(segment("Russia fired over 150 missiles."), idx)]
['over 150 missiles']
>>> check_numbers(segment("Russia fired over 70 missiles."), idx)
[]
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import numpy as np
import pandas as pd

from newslab.align import (
    _NOT_NAMES,
    SourceIndex,
    _stem,
    content_tokens,
    find_names,
    find_quotes,
    numbers_in,
    segment,
)
from newslab.text import TIME_UNITS, NumberMention, find_numbers

__all__ = [
    "FactOptions",
    "check_numbers",
    "check_quotes",
    "check_entities_negation",
    "source_use",
    "consensus_facts",
    "check_consensus",
    "check_merged_events",
    "insight_coverage",
    "numbers_compatible",
]

Span = tuple[int, int, str]


@dataclass(frozen=True)
class FactOptions:
    """Settings of the fact checks.

    Attributes
    ----------
    quote_match : float
        Share of a quote's words that must be found, in order, in a source.
    quote_max_gap : int
        Longest run of words a "small edit" may change, drop or insert in a quote.
    context_window : int
        Words on each side of a number used as its context.
    context_margin : float
        A compatible source quantity excuses a summary quantity when its context overlap
        is at least this share of the best-matching source quantity's.
    min_outlets : int
        Outlets that must state a fact for it to be a consensus fact.
    max_missed : int
        At most this many ``missed_consensus`` findings (most widely stated first).
    merge_days : float
        Time gap (days) that isolates a sentence's evidence from the rest.
    clause_days : float
        Gap (days) between the articles supporting two clauses of one sentence.
    overstatement : bool
        Flag words that claim all of something, certainty or an extreme ("every",
        "confirmed", "the most") where no source says as much (see
        :func:`check_entities_negation`).
    """

    quote_match: float = 0.8
    quote_max_gap: int = 3
    context_window: int = 6
    context_margin: float = 0.75
    min_outlets: int = 2
    max_missed: int = 5
    merge_days: float = 7.0
    clause_days: float = 2.0
    overstatement: bool = True


_SPEECH = (
    r"said|says|say|told|tells|added|adds|warned|warns|wrote|writes|stated|states|declared|"
    r"insisted|argued|claimed|posted|vowed|called|described|recalled|explained|noted|urged|"
    r"according to"
)
_CUE_AFTER = re.compile(rf"\s*(?:,\s*)?(?:[\w'’-]+\s+){{0,3}}?(?:{_SPEECH})\b|\s*:\s*$")
_CUE_BEFORE = re.compile(rf"\b(?:{_SPEECH})\s*,?\s*$")
_TITLES = frozenset(
    """president vice prime minister mayor governor chief executive secretary administrator
    commander general spokesman spokeswoman spokesperson deputy foreign defence defense
    senator minister's king queen prince pope judge officer director chairman chair ceo
    head leader lt col gen adm sgt dr mr mrs ms sir lord lady former acting interior state
    the""".split()
)


def _sentence_of(spans: Sequence[Span], pos: int) -> int:
    for i, (s, e, _) in enumerate(spans):
        if s <= pos < e or (s == -1 and i == 0):
            return i
    return -1


# ----------------------------------------------------------------- numbers


#: Units of measure, by every spelling: (canonical key, dimension, size in the dimension's
#: base unit). Canonical keys make "metres" and "meters" the same unit; the sizes let a
#: summary's "328 feet" match a source's "100 metres" (conversions are common in news copy).
_MEASURES: dict[str, tuple[str, str, float]] = {
    **dict.fromkeys(("m", "metre", "metres", "meter", "meters"), ("m", "length", 1.0)),
    **dict.fromkeys(
        ("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"),
        ("km", "length", 1000.0),
    ),
    **dict.fromkeys(
        ("cm", "centimetre", "centimetres", "centimeter", "centimeters"),
        ("cm", "length", 0.01),
    ),
    **dict.fromkeys(("ft", "foot", "feet"), ("ft", "length", 0.3048)),
    **dict.fromkeys(("in", "inch", "inches"), ("in", "length", 0.0254)),
    **dict.fromkeys(("yd", "yard", "yards"), ("yd", "length", 0.9144)),
    **dict.fromkeys(("mi", "mile", "miles"), ("mi", "length", 1609.344)),
    **dict.fromkeys(("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"), ("kg", "mass", 1.0)),
    **dict.fromkeys(("g", "gram", "grams", "gramme", "grammes"), ("g", "mass", 0.001)),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), ("lb", "mass", 0.45359237)),
    **dict.fromkeys(("tonne", "tonnes", "metric"), ("t", "mass", 1000.0)),
    **dict.fromkeys(("l", "litre", "litres", "liter", "liters"), ("l", "volume", 1.0)),
    **dict.fromkeys(("gallon", "gallons"), ("gal", "volume", 3.785411784)),
    **dict.fromkeys(("mph",), ("mph", "speed", 1.609344)),
    **dict.fromkeys(("kph", "km/h", "kmh"), ("km/h", "speed", 1.0)),
    **dict.fromkeys(("hectare", "hectares", "ha"), ("ha", "area", 10_000.0)),
    **dict.fromkeys(("acre", "acres"), ("acre", "area", 4046.8564224)),
}
#: Canonical unit -> (dimension, size in the dimension's base unit).
_MEASURES_BY_KEY: dict[str, tuple[str, float]] = {k: (d, f) for k, d, f in _MEASURES.values()}
#: Relative difference allowed between a converted figure and the summary's (conversions are
#: rounded: 100 km is "62 miles").
_CONVERSION_TOLERANCE = 0.025


def _unit_key(m: NumberMention, text: str | None = None) -> str | None:
    if not m.unit:
        return None
    if text is not None:
        after = re.match(r"[^A-Za-z]*([A-Za-z])", text[m.end : m.end + 30])
        if after and after.group(1).isupper() and m.unit[:1] == after.group(1).lower():
            return None  # "171 MAX 9 jets", "737 Boeing": a name, not what is counted
    if m.unit in ("%", "usd", "eur", "gbp", "jpy"):
        return m.unit
    measure = _MEASURES.get(m.unit.lower())
    if measure is not None:
        return measure[0]
    return _stem(m.unit.lower())


def _converted_fit(m: NumberMention, unit: str, c: NumberMention, c_unit: str | None) -> bool:
    """Whether ``m`` (in ``unit``) states the source figure ``c`` converted to another unit.

    Examples
    --------
    >>> from newslab.text import find_numbers
    >>> n = lambda s: find_numbers(s)[0]
    >>> _converted_fit(n("328 feet"), "ft", n("about 100 metres"), "m")
    True
    >>> _converted_fit(n("62 miles"), "mi", n("100 km"), "km")
    True
    >>> _converted_fit(n("80 miles"), "mi", n("100 km"), "km")
    False
    """
    a, b = _MEASURES_BY_KEY.get(unit), _MEASURES_BY_KEY.get(c_unit or "")
    if a is None or b is None or a[0] != b[0] or unit == c_unit:
        return False
    f = b[1] / a[1]
    tol = _CONVERSION_TOLERANCE * max(abs(m.value), abs(c.value * f)) + _tolerance(m)
    lo, hi = max(m.low, c.low * f), min(m.high, c.high * f)
    return lo <= hi + tol


@functools.lru_cache(maxsize=65536)
def _tolerance(m: NumberMention) -> float:
    """Half a unit of the last stated digit for rounded figures ("1.5 million")."""
    text = m.text.lower()
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", text)
    if digits is None:
        return 0.0
    scale = re.search(r"thousand|million|billion|trillion", text)
    if not scale and not digits.group(1):
        return 0.0
    decimals = len(digits.group(1) or "")
    stated = float(digits.group(0).replace(",", ""))
    base = m.value / stated if stated else 1.0
    return 0.5 * base * 10.0 ** (-decimals)


def numbers_compatible(a: NumberMention, b: NumberMention) -> bool:
    """Whether quantity ``a`` (the summary's) can describe the figure ``b`` (a source's).

    Ranges implied by qualifiers must overlap; two exact figures must be equal (within
    the rounding of a figure like "1.5 million"); a single shared boundary counts only
    when one side is exact ("over 70" vs 70 is compatible, "nearly 100" vs "more than
    100" is not). When both are open the same way, ``a`` may be weaker but not stronger:
    "at least 20" fits a source's "at least 30", "at least 300" does not.

    Examples
    --------
    >>> from newslab.text import find_numbers
    >>> n = lambda s: find_numbers(s)[0]
    >>> numbers_compatible(n("over 70 missiles"), n("122 missiles"))
    True
    >>> numbers_compatible(n("nearly 100 missiles"), n("122 missiles"))
    False
    >>> numbers_compatible(n("1.5 million people"), n("1,520,000 people"))
    True
    """
    tol = max(_tolerance(a), _tolerance(b))
    if a.qualifier not in (None, "vague") and b.qualifier not in (None, "vague"):
        # both open ranges the same way: the summary may be weaker, not stronger
        if math.isinf(a.high) and math.isinf(b.high):
            return a.low <= b.low + tol
        if a.low == 0 and b.low == 0:
            return a.high >= b.high - tol
    a_lo, a_hi = a.low - tol, a.high + tol
    b_lo, b_hi = b.low - tol, b.high + tol
    a_point = a.qualifier is None or a.low == a.high
    b_point = b.qualifier is None or b.low == b.high
    if a_point and b_point:
        return abs(a.value - b.value) <= tol + 1e-9 * max(1.0, abs(a.value))
    lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
    if lo < hi:
        return True
    return math.isclose(lo, hi) and (a_point or b_point)


def _open_bound(m: NumberMention) -> bool:
    """A one-sided figure: "at least 5", "more than 120", "fewer than 10"."""
    return m.qualifier not in (None, "vague") and (math.isinf(m.high) or m.low == 0)


def _same_value(a: NumberMention, b: NumberMention) -> bool:
    """The stated figures are equal (within the rounding of "1.5 million")."""
    tol = max(_tolerance(a), _tolerance(b))
    return abs(a.value - b.value) <= tol + 1e-9 * max(1.0, abs(a.value))


def _window(tokens: list[str], pos: int, size: int) -> set[str]:
    return set(tokens[max(0, pos - size) : pos + size + 1])


def _mention_context(text: str, m: NumberMention, size: int) -> set[str]:
    before = content_tokens(text[: m.start])
    after = content_tokens(text[m.end :])
    unit = _unit_key(m)
    ctx = set(before[-size:]) | set(after[: size + 1])
    return {t for t in ctx if not t.replace(".", "").isdigit() and t != unit}


def _source_numbers(index: SourceIndex, opts: FactOptions) -> list[dict[str, Any]]:
    key = ("numbers", opts.context_window)
    if key not in index.cache:
        out = []
        for j, sent in enumerate(index.sentences.text):
            for m in find_numbers(sent):
                out.append(
                    {
                        "sent": j,
                        "m": m,
                        "unit": _unit_key(m, sent),
                        "ctx": _mention_context(sent, m, opts.context_window),
                    }
                )
        index.cache[key] = out
    return index.cache[key]


_ELAPSED_AFTER = re.compile(
    r"\s*(?:[\w'’-]+\s+){0,2}?(?:ago|after|since|later|earlier|before|on|into|from now)\b",
    re.I,
)


def _is_elapsed(text: str, m: NumberMention) -> bool:
    """A length of time tied to an event ("22 months after", "three weeks ago")."""
    if not (m.unit and m.unit.lower() in TIME_UNITS):
        return False
    a, b = _span_with_unit(text, m)
    return bool(_ELAPSED_AFTER.match(text, b)) or bool(
        re.search(r"\b(?:past|last|next|first|coming|within|after|in)\s+$", text[: m.start])
    )


def _is_identifier(text: str, m: NumberMention) -> bool:
    """A number right after a capitalised word mid-sentence: "Flight 1282", "MAX 9"."""
    before = re.search(r"(\S+)\s+$", text[: m.start])
    return bool(
        before
        and re.match(r"[A-Z][\w-]*$", before.group(1))
        and before.group(1).lower() not in _NOT_NAMES
    )


def _span_with_unit(text: str, m: NumberMention) -> tuple[int, int]:
    end = m.end
    if m.unit and m.unit not in ("%", "usd", "eur", "gbp", "jpy"):
        found = re.search(re.escape(m.unit), text[m.end : m.end + 40], flags=re.I)
        if found:
            end = m.end + found.end()
    return m.start, end


def _has_date(sent: str) -> bool:
    """Whether a sentence states a calendar date, month or year (an elapsed time next to
    one is :func:`newslab.consistency.check_consistency`'s to check)."""
    from newslab.text import find_dates

    return any(m.kind in ("absolute", "month", "year") for m in find_dates(sent)) or bool(
        re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", sent)
    )


def _elapsed_rows(
    i: int,
    s0: int,
    sent: str,
    m: NumberMention,
    unit: str | None,
    same: list[dict[str, Any]],
    index: SourceIndex,
    opts: FactOptions,
) -> list[dict[str, Any]]:
    """An elapsed time ("two days later") against the source quantities of the same unit
    whose context shares a word with it: none compatible is a contradiction ("6 years
    later" where the source says "two years later"). No comparable figure: no finding."""
    if not unit or not same:
        return []
    ctx = _mention_context(sent, m, opts.context_window)
    near = [c for c in same if ctx & c["ctx"]]
    if not near or any(numbers_compatible(m, c["m"]) for c in same):
        return []
    top = max(near, key=lambda c: len(ctx & c["ctx"]))
    a, b = _span_with_unit(sent, m)
    return [
        {
            "kind": "number",
            "span": sent[a:b],
            "start": s0 + a if s0 >= 0 else -1,
            "end": s0 + b if s0 >= 0 else -1,
            "evidence": f"sources give {top['m'].text} {top['m'].unit}: "
            f"“{index.sentences.text.iat[top['sent']]}” ({index.sentences.outlet.iat[top['sent']]})",
            "severity": "high",
            "sentence": i,
        }
    ]


def check_numbers(
    spans: Sequence[Span], index: SourceIndex, options: FactOptions | None = None
) -> list[dict[str, Any]]:
    """Flag summary quantities that no source gives or that contradict the sources.

    Parameters
    ----------
    spans : list of (start, end, sentence)
        The summary sentences with offsets (:func:`newslab.align.segment`).
    index : SourceIndex
    options : FactOptions, optional

    Returns
    -------
    list of dict
        Finding rows of kind ``number``; ``high`` severity for a contradiction,
        ``medium`` for a figure no source gives.
    """
    opts = options or FactOptions()
    source = _source_numbers(index, opts)
    by_unit: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for s in source:
        by_unit[s["unit"]].append(s)
    rows: list[dict[str, Any]] = []
    for i, (s0, _, sent) in enumerate(spans):
        sent_tokens = set(content_tokens(sent))
        dated = None
        for m in numbers_in(sent):
            unit = _unit_key(m, sent)
            if _is_elapsed(sent, m):
                if dated is None:
                    dated = _has_date(sent)
                if not dated:
                    rows += _elapsed_rows(i, s0, sent, m, unit, by_unit.get(unit, []), index, opts)
                continue  # "22 months after the February 2022 invasion": check_consistency's
            ctx = _mention_context(sent, m, opts.context_window)
            same = by_unit.get(unit, []) if unit else []
            exact = [c for c in same if c["m"].qualifier is None]
            if m.qualifier is None and any(numbers_compatible(m, c["m"]) for c in exact):
                continue
            if unit in _MEASURES_BY_KEY and any(
                _converted_fit(m, unit, c["m"], c["unit"])
                for c in source
                if not _open_bound(c["m"])  # "more than one kilometre" fits any distance
            ):
                continue  # "328 feet" for a source's "100 metres"
            if any(
                _same_value(m, c["m"])
                and (m.qualifier is None or numbers_compatible(m, c["m"]))
                and (c["ctx"] & sent_tokens or _is_identifier(sent, m))
                for c in source
            ):
                continue  # the same figure about related words (a toll that changed, a model)
            # candidates about the same thing: same unit, else shared context words
            cands = same or (
                [] if _is_identifier(sent, m) else [c for c in source if len(ctx & c["ctx"]) >= 2]
            )
            verdict, evidence = None, None
            if cands:
                overlaps = [len(ctx & c["ctx"]) for c in cands]
                best = max(overlaps)
                # An open bound ("at least five") fits almost any larger figure, so it excuses
                # one only when its context is as close as the closest figure's.
                fits = [
                    c
                    for c, o in zip(cands, overlaps, strict=True)
                    if o >= opts.context_margin * best
                    and numbers_compatible(m, c["m"])
                    and (o == best or not _open_bound(c["m"]))
                ]
                if (
                    m.qualifier is None
                    and fits
                    and not any(c["m"].qualifier is None or _same_value(m, c["m"]) for c in fits)
                ):
                    # an exact figure where the sources only give a bound ("97,500 shares"
                    # when they say "over 65,000"): more precise than any source
                    top = fits[0]
                    verdict = "absent"
                    evidence = (
                        f"sources give only {top['m'].text}"
                        + (f" {top['m'].unit}" if top["m"].unit else "")
                        + f": “{index.sentences.text.iat[top['sent']]}”"
                        f" ({index.sentences.outlet.iat[top['sent']]})"
                    )
                    fits = []
                if fits:
                    continue
                if verdict is None:
                    top = cands[int(np.argmax(overlaps))]
                    verdict = "contradict"
                    evidence = (
                        f"sources give {top['m'].text}"
                        + (f" {top['m'].unit}" if top["m"].unit else "")
                        + f": “{index.sentences.text.iat[top['sent']]}”"
                        f" ({index.sentences.outlet.iat[top['sent']]})"
                    )
            elif _is_identifier(sent, m):
                continue
            elif not any(
                _same_value(m, c["m"]) or (m.qualifier and numbers_compatible(m, c["m"]))
                for c in source
            ):
                verdict, evidence = "absent", "no source gives this figure"
            if verdict:
                a, b = _span_with_unit(sent, m)
                rows.append(
                    {
                        "kind": "number",
                        "span": sent[a:b],
                        "start": s0 + a if s0 >= 0 else -1,
                        "end": s0 + b if s0 >= 0 else -1,
                        "evidence": evidence,
                        "severity": "high" if verdict == "contradict" else "medium",
                        "sentence": i,
                    }
                )
    return rows


# ----------------------------------------------------------------- quotes

_QWORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def _qwords(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _QWORD.findall(text.lower())]


def _source_quote_data(index: SourceIndex) -> dict[str, Any]:
    if "quotes" not in index.cache:
        words = [_qwords(s) for s in index.sentences.text]
        index.cache["quotes"] = {"words": words, "sets": [set(w) for w in words]}
    return index.cache["quotes"]


# words a small edit of a quotation may insert or change: articles, pronouns, auxiliaries,
# prepositions, conjunctions (any other word the source passage lacks makes a misquote)
_FUNCTION_WORDS = frozenset(
    """a an the this that these those it its it's he she they we i you me him her them us his
    their our my your who whom which what there here be been being is are was were am do does
    did has have had will would can could shall should may might must of to in on at by for
    with from as into onto about than then and or but nor so if yet also just very not no
    s t ll ve re d m wo ca""".split()
)


def _is_function(word: str) -> bool:
    """A function word, or a contraction of them ("haven't", "we're")."""
    parts = re.split(r"[' ]", word.replace("n't", " not"))
    return all(p in _FUNCTION_WORDS for p in parts if p)


def _find_quote(q: list[str], index: SourceIndex, threshold: float, max_gap: int = 3) -> list[int]:
    """Source sentences holding quote ``q`` (word list); best first.

    A sentence alone is tried first; a quote that runs over two sentences is matched
    against the pair and credited to the first of them. A match needs ``threshold`` of
    the quote's words, in order, no run of more than ``max_gap`` words changed, dropped or
    inserted (none at all for a quote of fewer than four words), and no word beyond the
    function words (articles, pronouns, auxiliaries, prepositions...) that the matched
    passage of the source lacks: a changed content word is a misquote; a dropped word, a
    contraction or a changed function word is a small edit.
    """
    data = _source_quote_data(index)
    qset = set(q)
    docs = index._cols["doc"]
    need = threshold * len(qset)
    if len(q) < 4:
        max_gap = 0
    hits = []
    n = len(index.sentences)
    for j in range(n):
        single = len(qset & data["sets"][j]) >= need
        pair = (
            not single
            and j + 1 < n
            and docs[j + 1] == docs[j]
            and len(qset & (data["sets"][j] | data["sets"][j + 1])) >= need
        )
        if not (single or pair):
            continue
        cand = data["words"][j] + (data["words"][j + 1] if pair else [])
        sm = SequenceMatcher(None, q, cand, autojunk=False)
        blocks = [b for b in sm.get_matching_blocks() if b.size]
        if not blocks:
            continue
        matched = sum(b.size for b in blocks)
        # small edits only: no run of more than `max_gap` words changed on either side
        gaps = [blocks[0].a, len(q) - blocks[-1].a - blocks[-1].size]
        for x, y in zip(blocks, blocks[1:], strict=False):
            gaps += [y.a - x.a - x.size, y.b - x.b - x.size]
        # words the summary adds must be function words or found in the matched passage
        kept = {b.a + k for b in blocks for k in range(b.size)}
        window = set(cand[blocks[0].b : blocks[-1].b + blocks[-1].size])
        added = [w for k, w in enumerate(q) if k not in kept and not _is_function(w)]
        if any(w not in window for w in added):
            continue
        if matched >= threshold * len(q) and max(gaps) <= max_gap:
            hits.append((matched / len(q), single, j))
    return [j for _, _, j in sorted(hits, key=lambda t: (-t[0], not t[1]))]


def _quoted_in(text: str, q: list[str]) -> bool:
    """Whether the words ``q`` occur, in a row, inside a quotation of ``text``."""
    for _, _, inner in find_quotes(text):
        words = _qwords(inner)
        if any(words[k : k + len(q)] == q for k in range(len(words) - len(q) + 1)):
            return True
    return False


def _speaker(sentence: str, qstart: int, qend: int) -> str | None:
    """The name the summary sentence attributes the quote at [qstart, qend) to.

    "X said" (a name followed by a speech verb) wins over "said X" (a name after the
    verb, accepted only at the end of a clause: "..., said Defence Secretary Grant Shapps.").
    """
    masked = sentence
    for a, b, _ in find_quotes(sentence):
        masked = masked[:a] + " " * (b - a) + masked[b:]
    names = find_names(masked)
    subject, after_verb = [], []
    for a, b, name in names:
        after = masked[b : b + 40]
        before = masked[max(0, a - 40) : a]
        dist = min(abs(a - qend), abs(qstart - b))
        if _CUE_AFTER.match(after):
            subject.append((dist, name))
        elif _CUE_BEFORE.search(before) and re.match(r"\s*(?:[.,;:!?]|$)", after):
            after_verb.append((dist, name))
    for group in (subject, after_verb):
        if group:
            return min(group)[1]
    return None


def _name_words(name: str) -> set[str]:
    words = re.findall(r"[^\W_]+", name.lower())
    return {w for w in words if len(w) > 2 and w not in _TITLES}


def check_quotes(
    spans: Sequence[Span], index: SourceIndex, options: FactOptions | None = None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Check that quoted spans appear in a source and are attributed to the right speaker.

    Returns
    -------
    (rows, counts)
        Finding rows of kinds ``quote`` (no source has it) and ``attribution`` (a source
        has it, said by someone else), both ``high``; counts ``{"quotes", "found"}``.
        A quote of fewer than four words must appear word for word, inside a quotation of
        a source or in a source sentence among those most similar to the summary sentence.
    """
    opts = options or FactOptions()
    rows: list[dict[str, Any]] = []
    n_quotes = n_found = 0
    evidence: dict[int, set[int]] | None = None  # per sentence, computed when needed
    for i, (s0, _, sent) in enumerate(spans):
        for a, b, inner in find_quotes(sent):
            q = _qwords(inner)
            if not q:
                continue
            n_quotes += 1
            threshold = 1.0 if len(q) < 4 else opts.quote_match
            hits = _find_quote(q, index, threshold, opts.quote_max_gap)
            if hits and len(q) < 4:
                # a word or two is found almost anywhere: it must be quoted in a source, or
                # stand in a source sentence that supports this summary sentence
                if evidence is None:
                    evidence = {}
                if i not in evidence:
                    # judged by the words outside the quotations, which would otherwise
                    # pull in any sentence holding the quoted word
                    row = index.similarities([content_tokens(_mask_quotes(sent))])[0]
                    evidence[i] = set(_wide_evidence(index, row, 3))
                texts = index._cols["text"]
                hits = [j for j in hits if j in evidence[i] or _quoted_in(texts[j], q)]
            base = {"start": s0 + a if s0 >= 0 else -1, "end": s0 + b if s0 >= 0 else -1}
            if not hits:
                rows.append(
                    {
                        "kind": "quote",
                        "span": sent[a:b],
                        **base,
                        "evidence": "no source contains this quotation",
                        "severity": "high",
                        "sentence": i,
                    }
                )
                continue
            n_found += 1
            speaker = _speaker(sent, a, b)
            if not speaker:
                continue
            wanted = _name_words(speaker)
            if not wanted:
                continue
            windows = []
            for j in hits:
                names = _source_speakers(index, j)
                windows.append((j, names))
            if any(wanted & names for _, names in windows):
                continue
            if not any(names for _, names in windows):
                continue  # the source names no one near the quote: cannot judge
            j, names = next((j, n) for j, n in windows if n)
            pos = sent.find(speaker)
            rows.append(
                {
                    "kind": "attribution",
                    "span": speaker,
                    "start": s0 + pos if s0 >= 0 else -1,
                    "end": s0 + pos + len(speaker) if s0 >= 0 else -1,
                    "evidence": (
                        f"the quote is attributed to {speaker} but the source has: "
                        f"“{index.sentences.text.iat[j]}” ({index.sentences.outlet.iat[j]}; "
                        f"names near the quote: {', '.join(sorted(names))})"
                    ),
                    "severity": "high",
                    "sentence": i,
                }
            )
    return rows, {"quotes": n_quotes, "found": n_found}


def _source_speakers(index: SourceIndex, j: int) -> set[str]:
    """Name words near the quote in source sentence ``j`` (that sentence, else neighbours)."""
    sents = index.sentences

    def names_in(k: int) -> set[str]:
        if k < 0 or k >= len(sents) or sents.doc.iat[k] != sents.doc.iat[j]:
            return set()
        text = sents.text.iat[k]
        for a, b, _ in find_quotes(text):
            text = text[:a] + " " * (b - a) + text[b:]
        out: set[str] = set()
        for _, _, n in find_names(text):
            out |= _name_words(n)
        return out

    # "X said on Friday. “...,” he said": the speaker is named in the sentence before
    return names_in(j) or names_in(j - 1) or names_in(j + 1)


# ----------------------------------------------------------------- entities and negation

_NEG_CUE = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot)\b|n['’]t\b", re.I)
_AUX_WORDS = frozenset(
    "be been being is are was were am do does did have has had will would can could should "
    "may might must shall yet even also still ever any a an the to of".split()
)


def _wide_evidence(index: SourceIndex, sims_row: np.ndarray, k: int = 10) -> list[int]:
    order = np.argsort(-sims_row, kind="stable")[:k]
    best = float(sims_row[order[0]]) if len(order) else 0.0
    return [int(j) for j in order if sims_row[j] > 0 and sims_row[j] >= 0.5 * best]


def _mask_quotes(text: str) -> str:
    for a, b, _ in find_quotes(text):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _scope_word(text: str, end: int) -> str | None:
    """The first content word after a negation cue ending at ``end`` (stemmed)."""
    for w in re.findall(r"[^\W_]+", text[end : end + 60].lower())[:4]:
        if w not in _AUX_WORDS:
            toks = content_tokens(w)
            if toks:
                return toks[0]
    return None


def _source_names(index: SourceIndex):
    """Per-story name finder (:func:`newslab.perturbation.find_names` heuristics), cached.

    Returns ``names(text) -> [(name, start, end, type)]``; in lower-cased sources the
    names are those the sources give by pattern (after a title, before "said", a state...).
    """
    if "name_finder" not in index.cache:
        from newslab import perturbation as pt

        texts = [t for t in index.docs.text if isinstance(t, str)]
        lower = not any(re.search(r"[A-Z]", t) for t in texts)
        sentences = index._cols["text"]
        types: dict[str, str] = {}
        if lower:
            pool = pt._lower_pool(texts)
            patterns = [
                (re.compile(rf"\b{re.escape(n)}\b"), n, k)
                for n, k in sorted(pool.items(), key=lambda t: -len(t[0]))
            ]

            def names(text: str) -> list[tuple[str, int, int, str]]:
                low, out, taken = text.lower(), [], []
                for rx, _n, kind in patterns:
                    for m in rx.finditer(low):
                        if not any(a < m.end() and m.start() < b for a, b in taken):
                            out.append((text[m.start() : m.end()], m.start(), m.end(), kind))
                            taken.append((m.start(), m.end()))
                return sorted(out, key=lambda t: t[1])

        else:

            def names(text: str) -> list[tuple[str, int, int, str]]:
                out = []
                for n, st in pt._entities(text):
                    if re.sub(r"['’]s$", "", n) in pt._NOT_NAMES:
                        continue  # "Saturday's"
                    if n not in types:
                        # typing looks at the words next to the name: the source sentences
                        # that hold it are all the context it needs
                        context = " ".join(x for x in sentences if n in x)
                        types[n] = pt._type_of(n, context + " " + text)
                    out.append((n, st, st + len(n), types[n]))
                return out

        index.cache["name_finder"] = names
    return index.cache["name_finder"]


_PERSONLIKE = {"person": "person", "surname": "person", "place": "place", "org": "org"}
_FLANK = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=65536)
def _padded(text: str) -> str:
    """Lower-cased words of ``text`` joined by single spaces, with a space at each end
    (``_padded(name) in _padded(text)``: the name occurs as whole words)."""
    return " " + " ".join(_FLANK.findall(text.lower())) + " "


def _flank(a: str, b: str, side: str, size: int = 3) -> int:
    """Number of words ``a`` and ``b`` share next to a name (``side`` "left": the words
    just before it, read backwards; "right": the words just after it); a name ending both
    sentences (or starting both) counts as one shared word."""
    wa, wb = _FLANK.findall(a.lower()), _FLANK.findall(b.lower())
    if side == "left":
        wa, wb = wa[::-1], wb[::-1]
    if not wa and not wb:
        return 1  # both at the start (end) of their sentence: the same boundary
    n = 0
    for x, y in zip(wa[:size], wb[:size], strict=False):
        if x != y:
            break
        n += 1
    return n


def _around(text: str, a: int, b: int, names_of: Any, size: int = 6) -> set[str]:
    """Content words (stemmed) within ``size`` words of the span [a, b), names left out."""
    blank = text
    for _, na, nb, _k in names_of(text):
        blank = blank[:na] + " " * (nb - na) + blank[nb:]
    words = _FLANK.findall(blank[:a])[-size:] + _FLANK.findall(blank[b:])[:size]
    return set(content_tokens(" ".join(words)))


def _related_places(index: SourceIndex, a: str, b: str) -> bool:
    """Places the sources name together (:func:`newslab.perturbation._named_together`: a
    capital and its country), cached per story: one may stand for the other."""
    from newslab import perturbation as pt

    key = ("related", a.lower(), b.lower())
    if key not in index.cache:
        index.cache[key] = pt._named_together(a, b, index._cols["text"])
    return index.cache[key]


def _mentions(sent: str, m: str, sent_names: list[tuple[str, int, int, str]]) -> bool:
    """Whether ``sent`` names ``m``: an occurrence inside a longer name of the sentence, as a
    modifier ("Taiwan" in "Beijing's Taiwan Affairs Office"), does not count; a possessive
    one ("Japan" in "Japan's Noto peninsula") does."""
    key = _padded(m)
    bare = sent
    for o, oa, ob, _k in sent_names:
        if len(o) > len(m) and key in _padded(o) and not re.search(rf"{re.escape(m)}['’]s\b", o):
            bare = bare[:oa] + " " * (ob - oa) + bare[ob:]
    return key in _padded(bare)


_ATTRIB_BEFORE = re.compile(r"\baccording to (?:the )?$", re.I)
_ATTRIB_AFTER = re.compile(rf"^\s*,?\s*(?:{_SPEECH}|reported|estimated|announced)\b", re.I)


def _attributes(text: str, a: int, b: int) -> bool:
    """Whether the name at [a, b) is the one a claim is attributed to ("according to the
    Met Office", "the Met Office said").

    Examples
    --------
    >>> t = "Lava slowed, according to the Met Office."
    >>> _attributes(t, t.index("Met"), t.index("Met") + 10)
    True
    >>> t = "The Met Office building was closed."
    >>> _attributes(t, 4, 14)
    False
    """
    return bool(_ATTRIB_BEFORE.search(text[:a]) or _ATTRIB_AFTER.match(text[b:]))


def _swapped_name(
    sent: str,
    masked: str,
    name: tuple[str, int, int, str],
    evidence: list[int],
    index: SourceIndex,
    names_of: Any,
    sent_names: list[tuple[str, int, int, str]],
    close: list[int] | None = None,
) -> tuple[str, int] | None:
    """The source name that ``name`` of the summary sentence stands in place of, if any.

    ``name`` is swapped when an evidence sentence that matches the rest of the summary
    sentence holds, in the same slot, another name of the same type (person, place,
    organisation) that the summary sentence never mentions. The slot is the words around
    the name: when the summary's name occurs in no evidence sentence, two words shared
    next to it (either side), or two content words shared within six words (other names
    left out: "perform at super bowl liii in atlanta" / "in england"); when it occurs
    there (elsewhere; with ``close`` given, in one of those evidence sentences, the close
    matches), at least one word on each side must agree
    ("key west, texas, is" where the source has "a texas tourist ... key west, florida, is").
    """
    n, a, b, kind = name
    group = _PERSONLIKE.get(kind)
    if group is None:
        return None
    texts = index._cols["text"]
    key = _padded(n)
    # "Iran" is present in "the Iranian city": a prefix of a word counts (demonyms)
    present = any(key[:-1] in _padded(texts[j]) for j in (evidence if close is None else close))
    left, right = masked[:a], masked[b:]
    around = _around(masked, a, b, names_of)
    for j in evidence:
        ev = texts[j]
        ev_names = names_of(ev)
        for m, ma, mb, mkind in ev_names:
            if _PERSONLIKE.get(mkind) != group or m.lower() == n.lower():
                continue
            mwords = set(_FLANK.findall(m.lower()))
            if mwords & set(_FLANK.findall(n.lower())) or _mentions(sent, m, sent_names):
                continue  # the same person ("Zelenskiy"), or one the summary names too
            if group == "place" and _related_places(index, n, m):
                continue
            lf, rf = _flank(left, ev[:ma], "left"), _flank(right, ev[mb:], "right")
            if present:
                ok = lf >= 1 and rf >= 1  # a shared word on each side
            else:
                ok = lf + rf >= 2 or len(around & _around(ev, ma, mb, names_of)) >= 2
            if ok:
                return m, j
    attributed = _attributes(masked, a, b)
    if (
        (group == "person" or (group == "org" and attributed))
        and close
        and not any(key[:-1] in _padded(texts[j]) for j in evidence)
    ):
        # no slot matched, but the summary's person is in none of the evidence while the close
        # matches keep naming one other person: "killing gallagher" where they all speak of
        # "gold" (places and organisations are often context the evidence leaves out, but not
        # the one a claim is attributed to: "according to RUV" where they all say "the
        # Meteorological Office said")
        seen: dict[str, list[int]] = defaultdict(list)
        for j in close:
            for m, ma, mb, mkind in names_of(texts[j]):
                mwords = set(_FLANK.findall(m.lower()))
                if (
                    _PERSONLIKE.get(mkind) == group
                    and (group == "person" or _attributes(texts[j], ma, mb))
                    and not mwords & set(_FLANK.findall(n.lower()))
                    and (
                        not _mentions(sent, m, sent_names)
                        if group == "org"  # "Icelandic" does not name the Icelandic Met Office
                        else not mwords & set(_FLANK.findall(sent.lower()))
                    )
                    and j not in seen[m.lower()]
                ):
                    seen[m.lower()].append(j)
        # an attributed organisation: one close match attributing the claim to another will do
        need = 1 if group == "org" else max(2, len(close) / 2)
        for m, js in seen.items():
            if len(js) >= need:
                return m, js[0]
    return None


def check_entities_negation(
    spans: Sequence[Span],
    aligned: pd.DataFrame,
    index: SourceIndex,
    partial: float = 0.3,
    *,
    overstatement: bool = True,
) -> list[dict[str, Any]]:
    """Names and negations of otherwise supported sentences that the evidence contradicts.

    * a name (capitalised; lower-cased text has none) none of whose words occurs in any
      source: an invented person, place or organisation;
    * a swapped name: the sentence's evidence (the source sentences most similar to it)
      covers at least half of its other content words and holds, in the same slot, another
      name of the same type that the sentence does not mention (see :func:`_swapped_name`);
      names are found as :func:`newslab.perturbation.find_names` does, so lower-cased text
      (Multi-News) is covered through the names the sources give by pattern; a person the
      evidence never names, where the close matches keep naming one other person, is
      swapped too;
    * a negation ("not", "never", "n't"...) whose scope (the next four content words of
      its clause; with nothing after it, the words before it when no evidence sentence
      negates anything of that clause) occurs in the evidence with no negation there, or
      the reverse: the evidence negates a word the summary states without negation; "has
      not been" where a
      source sentence covering at least 40% of the summary sentence says "has been"; and a
      negation in a sentence whose evidence covers 60% of its other content words but
      carries no negation at all (no cue, nor "failed", "refused", "denied", "without"...).
      Hedges ("not clear", "no stranger to") and litotes ("not his first") are not negated
      claims; a scope ends at its clause or a subordinate one ("said nothing when ...");
      a source sentence that negates the same words, in a quotation or with "declined to",
      "refused to", "failed to", "unable to" or "without", excuses a negation;
    * with ``overstatement``, a word that claims all of something ("every", "entire",
      "throughout"), certainty ("confirmed", "definitely") or an extreme ("most", "ever",
      "largest"), where no source sentence that shares two content words with its clause
      uses a word of the same kind (see :func:`_overstatement_rows`).

    All are reported as ``unsupported_claim`` (the span is the name, the negated phrase or
    the absolute word with the word after it), severity ``medium`` for invented names and
    overstatements and ``high`` for swapped names and negation; sentences already labelled
    unsupported are skipped (the whole sentence is flagged).
    """
    rows: list[dict[str, Any]] = []
    toks = [content_tokens(t) for _, _, t in spans]
    sims = index.similarities(toks)
    texts = index._cols["text"]
    if "words" not in index.cache:
        index.cache["words"] = set(_NAMEWORD.findall(" ".join(texts).lower().replace("’", "'")))
    index_words = index.cache["words"]
    names_of = _source_names(index)
    for i, ((s0, _, sent), rec) in enumerate(zip(spans, aligned.to_dict("records"), strict=True)):
        if rec["score"] < partial:
            continue
        wide = _wide_evidence(index, sims[i])
        if not wide:
            continue
        ev_words = set()
        for j in wide:
            ev_words |= set(_NAMEWORD.findall(texts[j].lower().replace("’", "'")))
        masked = _mask_quotes(sent)
        flagged_names: list[tuple[int, int]] = []
        for a, b, name in find_names(masked):
            if a == 0 and " " not in name:
                continue  # a capitalised first word is often not a name
            words = {w for w in _name_words(name) if not w.isdigit()}
            # only names the story never mentions here; a name found elsewhere in the sources
            # is checked below, as a possible swap
            if words and not words & ev_words and not words & index_words:
                flagged_names.append((a, b))
                rows.append(
                    {
                        "kind": "unsupported_claim",
                        "span": name,
                        "start": s0 + a if s0 >= 0 else -1,
                        "end": s0 + b if s0 >= 0 else -1,
                        "evidence": f"no source mentions “{name}”; closest source sentence: "
                        f"“{texts[wide[0]]}”",
                        "severity": "medium",
                        "sentence": i,
                    }
                )
        rows += _swap_rows(i, s0, sent, masked, sims[i], index, names_of, flagged_names)
        rows += _negation_rows(i, s0, sent, masked, toks[i], wide, rec, index)
        if overstatement:
            rows += _overstatement_rows(i, s0, sent, masked, wide, index)
    return rows


def _swap_rows(
    i: int,
    s0: int,
    sent: str,
    masked: str,
    sims_row: np.ndarray,
    index: SourceIndex,
    names_of: Any,
    skip: list[tuple[int, int]],
) -> list[dict[str, Any]]:
    sent_names = names_of(masked)  # found once: every candidate name is checked against them
    found = [
        t
        for t in sent_names
        if not (t[1] == 0 and " " not in t[0] and t[0][:1].isupper())
        and not any(a < t[2] and t[1] < b for a, b in skip)
    ]
    if not found:
        return []
    order = np.argsort(-sims_row, kind="stable")[:10]
    best = float(sims_row[order[0]]) if len(order) else 0.0
    evidence = [int(j) for j in order if sims_row[j] > 0 and sims_row[j] >= 0.3 * best]
    if not evidence:
        return []
    name_toks = set(content_tokens(" ".join(t[0] for t in found)))
    rest = set(content_tokens(masked)) - name_toks
    ev_toks = frozenset().union(*(index.token_sets[j] for j in evidence))
    if not rest or len(rest & ev_toks) < 0.5 * len(rest):
        return []  # the evidence does not support the rest of the sentence: no slot to compare
    # the summary's name "occurs in the evidence" only when a close match holds it: a name
    # met in a loosely related sentence ("sharon gold said" in a sentence on another fact)
    # does not make a slot that swaps it for the close match's name a legitimate one
    close = [j for j in evidence if sims_row[j] >= 0.5 * best]
    rows = []
    for t in found:
        hit = _swapped_name(sent, masked, t, evidence, index, names_of, sent_names, close)
        if hit is None:
            hit = _swapped_in_clause(masked, t, index, names_of, sent_names)
        if hit is None:
            continue
        other, j = hit
        n, a, b, _ = t
        rows.append(
            {
                "kind": "unsupported_claim",
                "span": sent[a:b],
                "start": s0 + a if s0 >= 0 else -1,
                "end": s0 + b if s0 >= 0 else -1,
                "evidence": f"the source names {other} where the summary names {n}: "
                f"“{index._cols['text'][j]}” ({index._cols['outlet'][j]})",
                "severity": "high",
                "sentence": i,
            }
        )
    return rows


_CLAUSE_END = re.compile(r"[,;:.!?()]|\s(?:but|and|while|whereas)\s")


def _swapped_in_clause(
    masked: str,
    name: tuple[str, int, int, str],
    index: SourceIndex,
    names_of: Any,
    sent_names: list[tuple[str, int, int, str]],
) -> tuple[str, int] | None:
    """The name a source gives in the name's own clause, if another of the same type.

    A sentence of several clauses finds its evidence for its main clause; the clause of a
    name ("..., and Dmytro Kuleba said Russia would intensify its strikes"; "the quake struck
    Kanazawa prefecture at 4:10 p.m.") is matched on its own, without the name: when one
    source sentence holds at least three quarters (and three or more) of its content words
    and names, in the same slot (a word shared next to it), another person (organisation),
    never the summary's, the name is swapped. Places are left to :func:`_swapped_name`: a
    capital often stands for its country ("Moscow accused Kyiv" where a source says "Ukraine").
    """
    n, a, b, kind = name
    group = _PERSONLIKE.get(kind)
    if group not in ("person", "org"):
        return None  # places stand for each other too often ("Moscow accused Kyiv" / "Ukraine")
    clause = _clause_of(masked, a, b)
    rest = content_tokens(clause.replace(n, " "))
    if len(set(rest)) < 3 or len(clause) >= len(masked.strip(" .")):
        return None
    row = index.similarities([rest])[0]
    j = int(np.argmax(row))
    if row[j] <= 0 or len(set(rest) & index.token_sets[j]) < 0.75 * len(set(rest)):
        return None
    texts = index._cols["text"]
    if _padded(n)[:-1] in _padded(texts[j]):
        return None
    nwords = set(_FLANK.findall(n.lower()))
    ev = texts[j]
    for m, ma, mb, mkind in names_of(ev):
        mwords = set(_FLANK.findall(m.lower()))
        if (
            _PERSONLIKE.get(mkind) == group
            and not mwords & nwords
            and not _mentions(masked, m, sent_names)
            # in the same slot: a word shared next to it ("Kuleba said" / "Putin said")
            and _flank(masked[:a], ev[:ma], "left") + _flank(masked[b:], ev[mb:], "right") >= 1
        ):
            return m, j
    return None


def _clause_of(text: str, a: int, b: int) -> str:
    """The clause of ``text`` that holds the span [a, b) (between punctuation or "and",
    "but", "while", "whereas")."""
    start = 0
    for m in _CLAUSE_END.finditer(text[:a]):
        start = m.end()
    m = _CLAUSE_END.search(text, b)
    return text[start : m.start() if m else len(text)]


# a negation's scope also ends where a subordinate clause starts: in "said nothing when a
# voice greeted her", nothing of the "when" clause is negated
_SCOPE_END = re.compile(
    r"\s(?:when|whenever|while|after|before|because|since|although|though|if|unless|until"
    r"|which|who|whom|whose)\s",
    re.I,
)


def _scope_words(text: str, end: int, size: int = 4) -> list[str]:
    """Up to ``size`` content words (stemmed) after a negation cue ending at ``end``,
    within its clause and before the next negation."""
    rest = text[end : end + 120]
    for rx in (_CLAUSE_END, _SCOPE_END, _NEG_CUE):
        stop = rx.search(rest)
        rest = rest[: stop.start()] if stop else rest
    out = []
    for w in re.findall(r"[^\W_]+", rest.lower()):
        if w in _AUX_WORDS:
            continue
        out += content_tokens(w)
        if len(out) >= size:
            break
    return out[:size]


# words that negate without a negation cue ("failed to", "refused", "denied", "without")
_NEG_LIKE = re.compile(
    r"\b(?:fail(?:s|ed|ing)?|refus(?:e|es|ed|ing)|den(?:y|ies|ied|ying)|without|lack(?:s|ed)?|"
    r"unable|absent|declin(?:e|es|ed|ing)|reject(?:s|ed)?)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\s+(?:yet\s+|immediately\s+)?(?:clear|known|sure|certain|stranger|doubt)\b"
    # litotes: "not his first mishap", "not the only one" assert, they do not negate
    r"|\s+(?:(?:his|her|its|their|the|a|an)\s+)?(?:first|only)\b"
    # nor do "not far from", "not long after", "not least", "not unlike"
    r"|\s+(?:far|long|least|unlike)\b",
    re.I,
)
# "declined to give his name" says what "would not give his name" says
_NEG_TO = re.compile(
    r"\b(?:declin(?:e|es|ed|ing)|refus(?:e|es|ed|ing)|fail(?:s|ed|ing)?|unable)\s+to\b"
    r"|\bwithout\b",
    re.I,
)


@functools.lru_cache(maxsize=65536)
def _negating_clauses(text: str) -> frozenset[str]:
    """The last content words (stemmed) before each negation of ``text`` (quotes masked)."""
    masked = _mask_quotes(text)
    return frozenset(
        w
        for rx in (_NEG_CUE, _NEG_TO)
        for m in rx.finditer(masked)
        for w in _clause_before(masked, m.start())
    )


@functools.lru_cache(maxsize=65536)
def _negated_words(text: str) -> frozenset[str]:
    """Content words (stemmed) in the scope of any negation of ``text``, quotes included:
    a source that quotes "we're not ruling it out" negates "ruling"."""
    return frozenset(
        w
        for rx in (_NEG_CUE, _NEG_TO)
        for m in rx.finditer(text)
        for w in _scope_words(text, m.end())
    )


_AUX_NOT = re.compile(
    r"\b(is|was|are|were|has|have|had|will|would|can|could|should|did|does|do|must|may|might)"
    r"\s+not\s+([^\W_]+)",
    re.I,
)


def _clause_before(text: str, start: int, size: int = 3) -> list[str]:
    """The last ``size`` content words (stemmed) of the clause before offset ``start``."""
    return content_tokens(re.split(r"[,;:.!?]", text[:start])[-1])[-size:]


def _word_at(sent: str, stem: str) -> tuple[int, int] | None:
    """Offsets of the first word of ``sent`` whose stem is ``stem``."""
    for m in re.finditer(r"[^\W_]+(?:['’][^\W_]+)?", sent):
        if content_tokens(m.group(0))[:1] == [stem]:
            return m.start(), m.end()
    return None


def _negated_in_story(masked: str, m: re.Match, ws: list[str], texts: Sequence[str]) -> bool:
    """Whether some source sentence negates what the negation ``m`` of ``masked`` does.

    The closest sentences may miss a reworded negation ("did not describe the damage" /
    "declined to comment on ... the damage"). With nothing in its scope ("she said nothing
    when..."), the words before it in its clause stand for what it negates; with none
    there either, nothing identifiable is negated.
    """
    if ws:
        return any(set(ws) & _negated_words(t) for t in texts)
    before = set(_clause_before(masked, m.start()))
    return not before or any(before & _negating_clauses(t) for t in texts)


def _negation_rows(
    i: int,
    s0: int,
    sent: str,
    masked: str,
    sent_tokens: list[str],
    wide: list[int],
    rec: dict[str, Any],
    index: SourceIndex,
) -> list[dict[str, Any]]:
    texts = index._cols["text"]
    top = rec["evidence"][0]["text"] if rec["evidence"] else ""
    ev_texts = [_mask_quotes(texts[j]) for j in wide[:3]]
    neg_sum = [(m, _scope_words(masked, m.end())) for m in _NEG_CUE.finditer(masked)]
    ev_neg = set().union(*(_negated_words(texts[j]) for j in wide[:3]))
    ev_tokens = set().union(*(set(content_tokens(t)) for t in ev_texts))
    stoks = set(content_tokens(masked))
    flagged = None
    for m, ws in neg_sum:
        if _HEDGE.match(masked, m.end()):
            continue  # "it's not clear if...", "no stranger to": no claim is negated
        if not ws:
            # "the nfl has not.": nothing follows the negation; its clause is what it negates,
            # a claim unless a source sentence negates something of that clause too
            # ("kaepernick has not played" does not negate anything about the nfl); any source
            # sentence may: "king does not respond" for "king said nothing when a voice
            # greeted her", whose scope ends at "when"
            before = set(_clause_before(masked, m.start()))
            if before & ev_tokens and not _negated_in_story(masked, m, ws, texts):
                flagged = (m.start(), m.end(), "negates")
                break
        if set(ws) & ev_tokens and not set(ws) & ev_neg:
            w = next(x for x in ws if x in ev_tokens)
            at = _word_at(sent[m.end() :], w)
            b = m.end() + at[1] if at else m.end()
            flagged = (m.start(), min(len(sent), b), "negates")
            break
    if flagged is None:
        # "has not been rumbling" where a source sentence that covers the sentence says
        # "has been ..." and negates nothing
        for m in _AUX_NOT.finditer(masked):
            plain = _padded(f"{m.group(1)} {m.group(2)}")
            for j in wide[:5]:
                t = _mask_quotes(texts[j])
                if _NEG_CUE.search(t) or plain not in _padded(t):
                    continue
                if len(stoks & index.token_sets[j]) >= max(3, 0.4 * len(stoks)):
                    flagged, top = (m.start(), m.end(), "negates"), texts[j]
                    break
            if flagged:
                break
    if flagged is None and neg_sum:
        # a negation no evidence sentence carries, in a sentence the evidence otherwise covers
        ev_full = [texts[j] for j in wide[:5]]
        rest = stoks - {"not", "no", "never", "nor", "none", "neither", "nobodi", "noth"}
        cover = set().union(*(index.token_sets[j] for j in wide[:5]))
        if (
            rest
            and len(rest & cover) >= 0.6 * len(rest)
            and not any(_NEG_CUE.search(t) or _NEG_LIKE.search(t) for t in ev_full)
        ):
            m, ws = next(
                ((m, w) for m, w in neg_sum if not _HEDGE.match(masked, m.end())), (None, [])
            )
            if m is not None and not _negated_in_story(masked, m, ws, texts):
                flagged = (m.start(), m.end(), "negates")
                top = ev_full[0]
    if flagged is None and not neg_sum:
        for t in ev_texts:
            for m in _NEG_CUE.finditer(t):
                w = _scope_word(t, m.end())
                if w and w in stoks and len(stoks & set(content_tokens(t))) >= 3:
                    at = _word_at(sent, w) if w in sent_tokens else None
                    a = at[0] if at else 0
                    flagged = (max(0, a - 12), min(len(sent), a + len(w) + 12), "omits")
                    top = t
                    break
            if flagged:
                break
    if not flagged:
        return []
    a, b, how = flagged
    while b < len(sent) and (sent[b].isalnum() or sent[b] in "'’-"):
        b += 1  # end on a word boundary
    while a > 0 and (sent[a - 1].isalnum() or sent[a - 1] in "'’-"):
        a -= 1  # start on one too
    return [
        {
            "kind": "unsupported_claim",
            "span": sent[a:b].strip(),
            "start": s0 + a if s0 >= 0 else -1,
            "end": s0 + b if s0 >= 0 else -1,
            "evidence": (
                "the summary negates what the source states: "
                if how == "negates"
                else "the source negates what the summary states: "
            )
            + f"“{top}”",
            "severity": "high",
            "sentence": i,
        }
    ]


# words that claim more than a source may: all of something, certainty, an extreme
_ABSOLUTES = {
    "universal": re.compile(
        r"\b(?:every|everyone|everybody|everything|everywhere|all|entire|entirely|whole|always"
        r"|completely|totally|fully|solely|unanimous|unanimously|throughout)\b",
        re.I,
    ),
    "certainty": re.compile(
        r"\b(?:confirm|confirms|confirmed|proved|proven|proves|definitely|certainly"
        r"|undoubtedly|conclusively|officially)\b",
        re.I,
    ),
    "extreme": re.compile(
        r"\b(?:most|ever|unprecedented|biggest|largest|greatest|worst|best)\b", re.I
    ),
}
# idioms built on those words that claim nothing absolute ("all but", "at most")
_NOT_ABSOLUTE = re.compile(
    r"\b(?:at all|all but|after all|above all|all-star|all-time|first of all|all over|most of"
    r"|at most|all of a sudden)\b",
    re.I,
)
_NEG_BEFORE = re.compile(
    r"(?:\b(?:not|no|never|nor|cannot|without|yet to)|n['’]t)\s+(?:[^\W_]+\s+){0,2}$", re.I
)


def _absolute_sentences(index: SourceIndex) -> dict[str, list[int]]:
    """Per group of :data:`_ABSOLUTES`, the source sentences that use one of its words."""
    if "absolutes" not in index.cache:
        texts = index._cols["text"]
        index.cache["absolutes"] = {
            g: [j for j, t in enumerate(texts) if rx.search(t)] for g, rx in _ABSOLUTES.items()
        }
    return index.cache["absolutes"]


def _overstatement_rows(
    i: int, s0: int, sent: str, masked: str, wide: list[int], index: SourceIndex
) -> list[dict[str, Any]]:
    """An absolute claim ("in every state", "have confirmed", "the most important") that no
    source makes of the same thing.

    A word of :data:`_ABSOLUTES` outside quotes and idioms, not itself negated ("not all"),
    is excused when some source sentence uses a word of the same group and shares at least
    two content words with the word's clause (quotes included): the sources then say
    something as strong about it. One finding per sentence.
    """
    clean = _NOT_ABSOLUTE.sub(lambda m: " " * len(m.group(0)), masked)
    lower = sent.lower()
    using = _absolute_sentences(index)
    for group, rx in _ABSOLUTES.items():
        for m in rx.finditer(clean):
            if _NEG_BEFORE.search(clean[: m.start()]):
                continue
            clause = set(content_tokens(_clause_of(lower, m.start(), m.end())))
            clause -= set(content_tokens(m.group(0)))
            if len(clause) < 2:
                continue  # too little to tell what the word is said of
            if any(len(clause & index.token_sets[j]) >= 2 for j in using[group]):
                continue
            end = m.end()
            for w in re.finditer(r"[^\W_]+(?:[.'’-][^\W_]+)*", sent[end : end + 40]):
                end = m.end() + w.end()  # the word and the one it qualifies
                break
            texts = index._cols["text"]
            return [
                {
                    "kind": "unsupported_claim",
                    "span": sent[m.start() : end],
                    "start": s0 + m.start() if s0 >= 0 else -1,
                    "end": s0 + end if s0 >= 0 else -1,
                    "evidence": f"no source says “{m.group(0)}” (or as much) of this; closest "
                    f"source sentence: “{texts[wide[0]]}”",
                    "severity": "medium",
                    "sentence": i,
                }
            ]
    return []


# ----------------------------------------------------------------- source use


def source_use(aligned: pd.DataFrame, index: SourceIndex, partial: float) -> dict[str, Any]:
    """Which sources and outlets supply the evidence of the summary's sentences.

    Returns
    -------
    dict
        ``sources`` (DataFrame: doc, outlet, url, sentences = summary sentences whose best
        evidence it is), ``source_coverage`` (share of sources used), ``sources_used``,
        ``sources_unused``, ``outlets_used``, ``outlet_entropy`` (Shannon entropy of the
        outlet shares divided by its maximum, log of the number of outlets in the story;
        1 = even use of every outlet, 0 = a single outlet) and ``outlet_entropy_bits``.
    """
    docs = index.docs
    outlets = docs.outlet.tolist()
    counts: Counter[int] = Counter()
    for ev, score in zip(aligned.evidence, aligned.score, strict=True):
        if ev and score >= partial:
            counts[ev[0]["doc"]] += 1
    table = pd.DataFrame(
        {
            "doc": range(len(docs)),
            "outlet": outlets,
            "url": docs.url.tolist(),
            "sentences": [counts.get(i, 0) for i in range(len(docs))],
        }
    )
    by_outlet: Counter[str] = Counter()
    for i, n in counts.items():
        by_outlet[outlets[i]] += n
    total = sum(by_outlet.values())
    n_outlets = len(set(outlets))
    if total:
        p = np.array([v for v in by_outlet.values() if v], dtype=float) / total
        bits = float(-(p * np.log2(p)).sum())
    else:
        bits = 0.0
    norm = bits / math.log2(n_outlets) if n_outlets > 1 else 0.0
    used = len(counts)
    return {
        "sources": table,
        "source_coverage": used / len(docs) if len(docs) else 0.0,
        "sources_used": used,
        "sources_unused": len(docs) - used,
        "outlets_used": sum(1 for v in by_outlet.values() if v),
        "outlet_entropy": norm,
        "outlet_entropy_bits": bits,
    }


# ----------------------------------------------------------------- consensus


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().strip(".'’s") in _TITLES:
        words = words[1:]
    return " ".join(words)


def consensus_facts(index: SourceIndex, options: FactOptions | None = None) -> pd.DataFrame:
    """Facts stated by at least ``min_outlets`` outlets: quantities with a unit, and names.

    Returns
    -------
    DataFrame
        Columns ``kind`` (``"number"`` or ``"name"``), ``fact`` (display text), ``key``,
        ``value``, ``unit``, ``outlets`` (count), ``outlet_names``; most widely stated first.

    Examples
    --------
    >>> import pandas as pd
    >>> story = pd.DataFrame({"outlet": ["A", "B"], "text": ["In Kyiv, 122 missiles hit.",
    ...                                                      "Officials in Kyiv counted 122 missiles."]})
    >>> sorted(consensus_facts(SourceIndex(story)).fact)
    ['122 missiles', 'Kyiv']
    """
    opts = options or FactOptions()
    key = ("consensus", opts.min_outlets)
    if key in index.cache:
        return index.cache[key]
    sents = index.sentences
    group = sents.outlet if index.docs.outlet.nunique() >= 2 else sents.doc.astype(str)
    seen: dict[tuple, dict[str, Any]] = {}
    for s in _source_numbers(index, opts):
        m = s["m"]
        if not s["unit"] or m.unit.lower() in TIME_UNITS or m.qualifier == "vague":
            continue
        k = ("number", m.value, s["unit"])
        rec = seen.setdefault(
            k,
            {
                "kind": "number",
                "fact": f"{m.text} {m.unit}",
                "value": m.value,
                "unit": s["unit"],
                "who": set(),
            },
        )
        rec["who"].add(group.iat[s["sent"]])
    for j, text in enumerate(sents.text):
        for a, _, n in find_names(text):
            if a == 0 and " " not in n:
                continue  # sentence-initial single word: too often not a name
            n = _strip_titles(n)
            if len(n) < 3 or n.isupper() and len(n) > 6:
                continue
            k = ("name", n.lower(), None)
            rec = seen.setdefault(
                k, {"kind": "name", "fact": n, "value": np.nan, "unit": None, "who": set()}
            )
            rec["who"].add(group.iat[j])
    rows = [
        {
            "kind": r["kind"],
            "fact": r["fact"],
            "key": k[1],
            "value": r["value"],
            "unit": r["unit"],
            "outlets": len(r["who"]),
            "outlet_names": sorted(map(str, r["who"])),
        }
        for k, r in seen.items()
        if len(r["who"]) >= opts.min_outlets
    ]
    # a name inside a longer consensus name ("Zelenskiy" in "Volodymyr Zelenskiy") is one fact
    names = {r["key"] for r in rows if r["kind"] == "name"}
    rows = [
        r
        for r in rows
        if r["kind"] != "name"
        or not any(o != r["key"] and re.search(rf"\b{re.escape(o)}\b", r["key"]) for o in names)
    ]
    df = pd.DataFrame(
        rows, columns=["kind", "fact", "key", "value", "unit", "outlets", "outlet_names"]
    )
    df = df.sort_values(["outlets", "kind", "fact"], ascending=[False, True, True], kind="stable")
    df = df.reset_index(drop=True)
    index.cache[key] = df
    return df


_NAMEWORD = re.compile(r"[^\W_]+")


def _records(df: pd.DataFrame) -> list[Any]:
    from types import SimpleNamespace

    cols = {c: df[c].tolist() for c in df.columns}
    return [SimpleNamespace(**{c: v[i] for c, v in cols.items()}) for i in range(len(df))]


def check_consensus(
    summary_text: str, index: SourceIndex, options: FactOptions | None = None
) -> tuple[list[dict[str, Any]], float, pd.DataFrame]:
    """Which consensus facts the summary states.

    Returns
    -------
    (rows, coverage, facts)
        ``missed_consensus`` finding rows (severity ``low``, at most ``max_missed``),
        the share of consensus facts stated (NaN when there are none) and the facts table
        with a boolean ``covered`` column.
    """
    opts = options or FactOptions()
    facts = consensus_facts(index, opts)
    if facts.empty:
        facts = facts.assign(covered=pd.Series(dtype=bool))
        return [], float("nan"), facts
    mentions = [m for _, _, sent in segment(summary_text) for m in numbers_in(sent)]
    padded = " " + " ".join(_NAMEWORD.findall(summary_text.lower())) + " "
    covered = []
    for f in _records(facts):
        if f.kind == "number":
            hit = any(
                (_unit_key(m) == f.unit or m.unit is None) and abs(m.value - f.value) < 1e-9
                for m in mentions
            ) or any(
                _unit_key(m) == f.unit and m.qualifier is not None and m.low <= f.value <= m.high
                for m in mentions
            )
        else:
            key = " ".join(_NAMEWORD.findall(f.key))
            hit = f" {key} " in padded
            if not hit and " " in key:
                last = key.split()[-1]
                hit = len(last) > 3 and f" {last} " in padded
        covered.append(hit)
    facts = facts.assign(covered=covered)
    missed = facts[~facts.covered].head(opts.max_missed)
    rows = [
        {
            "kind": "missed_consensus",
            "span": f.fact,
            "evidence": f"stated by {f.outlets} outlets ({', '.join(f.outlet_names)}) "
            "but not by the summary",
            "severity": "low",
            "sentence": -1,
        }
        for f in _records(missed)
    ]
    return rows, float(np.mean(covered)), facts


# ----------------------------------------------------------------- merged events


def as_utc(value: Any) -> pd.Timestamp | None:
    """A date-like value as a UTC timestamp (None for None/NaT; naive values are UTC).

    Raises
    ------
    ValueError
        If ``value`` cannot be read as a date.

    Examples
    --------
    >>> str(as_utc("2024-01-02T10:00+02:00")), as_utc(None)
    ('2024-01-02 08:00:00+00:00', None)
    """
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"published must be a date, not {value!r}") from None
    if pd.isna(ts):
        return None
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def check_merged_events(
    aligned: pd.DataFrame,
    index: SourceIndex,
    *,
    published: Any = None,
    main_story: Any = None,
    partial: float = 0.3,
    options: FactOptions | None = None,
) -> list[dict[str, Any]]:
    """Sentences whose support comes from another story or another time than the rest.

    Parameters
    ----------
    aligned : DataFrame
        From :meth:`SourceIndex.align` (with ``start``/``end`` offsets).
    published : date-like, optional
        The summary's date: evidence published more than a day after it is anachronistic.
    main_story : optional
        The summary's story; default the story most of its evidence comes from.
    """
    opts = options or FactOptions()
    rows: list[dict[str, Any]] = []
    ok = aligned[aligned.score >= partial]
    if ok.empty:
        return rows
    stories = index.docs["story"].dropna()
    multi = stories.nunique() > 1
    if multi and main_story is None:
        main_story = Counter(ev[0]["story"] for ev in ok.evidence if ev).most_common(1)[0][0]
    ref = as_utc(published)
    days = {
        i: [e["published"] for e in ev if pd.notna(e["published"])]
        for i, ev in zip(ok.sentence, ok.evidence, strict=True)
    }
    for r in _records(ok):
        ev = r.evidence
        reason = None
        if multi and ev[0]["story"] != main_story:
            if not any(e["story"] == main_story and e["score"] >= 0.8 * ev[0]["score"] for e in ev):
                reason = f"its best evidence is from another story ({ev[0]['story']})"
        if reason is None and ref is not None and days[r.sentence]:
            if min(days[r.sentence]) > ref + pd.Timedelta(days=2):
                reason = (
                    f"its evidence was published on {min(days[r.sentence]):%Y-%m-%d}, "
                    f"after the summary's date {ref:%Y-%m-%d}"
                )
        if reason is None and days[r.sentence] and len(days) > 1:
            others = [d for k, v in days.items() if k != r.sentence for d in v]
            if others:
                gap = min(abs((a - b).total_seconds()) for a in days[r.sentence] for b in others)
                if gap > opts.merge_days * 86400:
                    reason = (
                        f"its evidence ({min(days[r.sentence]):%Y-%m-%d}) is more than "
                        f"{opts.merge_days:g} days from the rest of the summary's evidence"
                    )
        span, start, end, top = r.text, r.start, r.end, ev[0]
        if reason is None:
            merged = _clause_merge(r.text, index, published, partial, opts)
            if merged is not None:
                reason, span, top = merged
                offset = r.text.find(span)
                if offset >= 0 and r.start >= 0:
                    start, end = r.start + offset, r.start + offset + len(span)
        if reason:
            rows.append(
                {
                    "kind": "merged_event",
                    "span": span,
                    "start": start,
                    "end": end,
                    "evidence": f"{reason}: “{top['text']}” ({top['outlet']})",
                    "severity": "medium",
                    "sentence": r.sentence,
                }
            )
    return rows


_CLAUSE = re.compile(r",\s+(?:and|in|while|which|after|with|as)\b|;\s+|,\s+(?=[a-z])")


@functools.lru_cache(maxsize=16384)
def _day_dates(text: str, reference: Any) -> list:
    from newslab.text import find_dates

    return [
        m.date
        for m in find_dates(text, reference=reference)
        if m.date is not None and m.granularity == "day"
    ]


_OTHER_TIME = re.compile(
    r"\b(?:a|one|two|three|four|five|six|\d+)\s+(?:hours?|days?|weeks?|months?)\s+"
    r"(?:after|before|earlier|later)\b|\bthe (?:day|week) (?:before|after)\b|\bseparate\b",
    re.I,
)


def _clause_merge(
    text: str, index: SourceIndex, published: Any, partial: float, opts: FactOptions
) -> tuple[str, str, dict[str, Any]] | None:
    """Two events told as one, inside a sentence that states one date.

    One clause is supported by a source consistent with the sentence's date (an explicit
    date within ``clause_days``, or an article published then); another clause's best
    evidence places its content on another day: an explicit date ``clause_days`` to 31
    days away, or a relative marker ("a day after", "two days earlier", "separate")
    that the summary clause dropped.
    """
    from newslab.text import find_dates

    dates = {
        m.date
        for m in find_dates(text, reference=published)
        if m.date is not None and m.granularity == "day"
    }
    if len(dates) != 1:
        return None
    (day,) = dates
    clauses = [c for c in _CLAUSE.split(text) if c and len(content_tokens(c)) >= 3]
    if len(clauses) < 2:
        return None
    aligned = index.align_records(clauses)
    agree, away = None, None
    limit = opts.clause_days
    for clause, rec in zip(clauses, aligned, strict=True):
        ev, score = rec["evidence"], rec["score"]
        if not ev or score < partial:
            continue
        top = ev[0]
        ref = top["published"] if pd.notna(top["published"]) else None
        ev_dates = _day_dates(top["text"], ref)
        if score >= 0.5 and ev_dates and all(limit <= abs((d - day).days) <= 31 for d in ev_dates):
            away = away or (top, f"dates its event {ev_dates[0]:%Y-%m-%d}", clause)
        elif (
            score >= 0.5
            and not ev_dates
            and _OTHER_TIME.search(top["text"])
            and not _OTHER_TIME.search(clause)
        ):
            marker = _OTHER_TIME.search(top["text"]).group(0)
            away = away or (top, f"places it at another time (“{marker}”)", clause)
        elif (ev_dates and any(abs((d - day).days) < limit for d in ev_dates)) or (
            ref is not None and -1 <= (ref.date() - day).days < limit
        ):
            agree = agree or top
    if agree is not None and away is not None:
        top, how, clause = away
        reason = (
            f"one clause matches {day:%Y-%m-%d} ({agree['outlet']}) but the source of another {how}"
        )
        return reason, clause.strip(" ,;:."), top
    return None


# ----------------------------------------------------------------- insight coverage


def _numbers_text(text: str) -> set[float]:
    return {m.value for m in find_numbers(text, include_years=True) if m.qualifier != "vague"}


def _word_weights(sources: Any) -> Callable[[str], float]:
    """IDF of stemmed content words over the source sentences (1.0 for all without sources)."""
    if sources is None:
        return lambda w: 1.0
    if isinstance(sources, SourceIndex):
        index = sources
    elif isinstance(sources, pd.DataFrame):
        index = SourceIndex(sources)
    else:
        index = SourceIndex(pd.DataFrame({"text": [t for t in sources if isinstance(t, str)]}))
    if index.matrix is None:
        return lambda w: 1.0
    vec = index.vectorizer
    # the alignment's own TF-IDF (smooth IDF over source sentences); an unseen word gets the
    # IDF of a word in no sentence
    vocab, idf = vec.vocabulary_, vec.idf_
    unseen = math.log(1 + len(index.token_sets)) + 1
    return lambda w: float(idf[vocab[w]]) if w in vocab else unseen


def insight_coverage(
    summary_text: str,
    insights: Sequence[str],
    *,
    sources: Any = None,
    full: float = 0.6,
    partial: float = 0.35,
) -> pd.DataFrame:
    """How well a summary covers each reference insight (SummHay-style coverage).

    Each insight is compared with every line (bullet) of the summary, and with each of its
    sentences; the best match decides. Match score: 0.65 x share of the insight's content
    words (stemmed) in the bullet + 0.2 x share of its content bigrams + 0.15 x share of
    its numbers (years included); without numbers, 0.8 and 0.2 for words and bigrams.
    With ``sources``, words count by their IDF over the source sentences, so words every
    source uses ("Foot Locker" in a Haystack about Foot Locker) count for little.
    ``full`` when the score >= ``full``, ``partial`` when >= ``partial``, else ``none``.
    The summary-level coverage score is the mean of 1 / 0.5 / 0 (x 100 in Laban et al.
    2024, "Summary of a Haystack").

    The weights and the IDF were chosen without SummHay's human judgements, on a task built
    from its documents alone: telling the documents that hold an insight (by construction)
    from the other documents of its subtopic (ROC-AUC 0.979 with the former weights and no
    IDF, 0.988 with these; ``benchmarks/insight_dev.py``).

    Parameters
    ----------
    summary_text : str
    insights : list of str
    sources : SourceIndex, DataFrame with ``text``, or list of str, optional
        The documents the summary was written from, for the IDF weights.
    full, partial : float
        Score thresholds of the labels (set a priori, not fitted on SummHay).

    Returns
    -------
    DataFrame
        One row per insight: ``insight``, ``score`` (0..1), ``label``, ``value``
        (1, 0.5, 0), ``bullet`` (0-based line index of the best match, or -1).

    Examples
    --------
    >>> t = insight_coverage("- Sales rose 4.2% in Q4.\\n- The CEO resigned.",
    ...                      ["Q4 sales rose 4.2%", "The dividend was cut to $0.40"])
    >>> t.label.tolist(), t.bullet.tolist()
    (['full', 'none'], [0, -1])
    """
    weight = _word_weights(sources)
    lines = [ln for ln in (summary_text or "").split("\n")]
    units: list[tuple[int, str]] = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        units.append((k, line))
        sents = [s for _, _, s in segment(line)]
        if len(sents) > 1:
            units.extend((k, s) for s in sents)
    feats = []
    for k, text in units:
        toks = content_tokens(text)
        feats.append((k, set(toks), set(zip(toks, toks[1:], strict=False)), _numbers_text(text)))
    rows = []
    for ins in insights:
        toks = content_tokens(ins)
        tset, bset, nset = set(toks), set(zip(toks, toks[1:], strict=False)), _numbers_text(ins)
        w_total = sum(weight(w) for w in tset)
        b_total = sum(weight(x) + weight(y) for x, y in bset)
        best, best_k = 0.0, -1
        for k, ut, ub, un in feats:
            uni = sum(weight(w) for w in tset & ut) / w_total if w_total else 0.0
            bi = sum(weight(x) + weight(y) for x, y in bset & ub) / b_total if b_total else uni
            if nset:
                score = 0.65 * uni + 0.2 * bi + 0.15 * len(nset & un) / len(nset)
            else:
                score = 0.8 * uni + 0.2 * bi
            if score > best:
                best, best_k = score, k
        label = "full" if best >= full else "partial" if best >= partial else "none"
        rows.append(
            {
                "insight": ins,
                "score": best,
                "label": label,
                "value": {"full": 1.0, "partial": 0.5, "none": 0.0}[label],
                "bullet": best_k if label != "none" else -1,
            }
        )
    return pd.DataFrame(rows, columns=["insight", "score", "label", "value", "bullet"])
