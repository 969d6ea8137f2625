"""Internal time consistency of a summary, and its dates against the sources.

:func:`check_consistency` reads a summary on its own (no sources needed) and reports

``time_inconsistency``
    a relative expression ("11 months ago", "last week", "on Saturday", "next year",
    "N months after X", "two days later") that, resolved against the dateline ``published``
    and the explicit dates the text gives, contradicts them: "11 months after the February 2022
    invasion" in a January 2024 text, "last week, on Dec. 12" in a text of 2 January 2024,
    "on Saturday, Dec. 29" when 29 December 2023 was a Friday.
``stale_reference``
    a past year (or month) referred to as if still ahead: "ahead of the 2023 elections",
    "will ... in 2023", "next year's 2023 vote" in a 2024 text.
``date`` (only when ``sources`` are given)
    an absolute date that the sources give differently for the same event: the summary
    says "Dec. 28" where the closest source sentences say Dec. 29.

Tolerances (all in :class:`ConsistencyOptions`)
------------------------------------------------
- Elapsed time ("22 months after the February 2022 invasion"): the claimed length, plus
  or minus half a unit (``rounding``: 1 day, 1 week, 1.5 months, half a year), must
  overlap the range of lengths the two dates allow (a month or a year mention stands for
  its whole month or year; the dateline for that day). Qualifiers widen the claim:
  "nearly" (-15 %), "about/around/some" (+/-15 %), "over/more than" (no upper bound).
- The "now" of an elapsed-time phrase is, in order: another explicit date in the same
  sentence, a relative date in that sentence ("on Friday") resolved against the
  dateline, else the dateline itself, but only when the claimed length is at least a
  third of the real one (so "three days after the 2022 invasion" in a 2024 text, which
  narrates the past, is not read as "now").
- A relative expression is compared with an explicit date only when the two are adjacent
  ("last week, on Dec. 12", "on Saturday, Dec. 29", "11 months ago in February 2022"):
  at most ``adjacency_chars`` characters of punctuation or "on/in/of" between them.
  "Last week" means 1 to 14 days before the dateline, "next week" 1 to 14 days after,
  "N days ago" +/- 1 day, "N weeks/months/years ago" +/- the rounding above.
- Stale references need an explicit year (or month and year) that ended before the
  dateline, preceded in the same clause (within 8 words) by a future marker ("ahead of",
  "upcoming", "will", "is expected to", "next year's", ...). Text inside quotation marks
  is skipped: a faithful quote may speak of the future of its own time.
- Source dates: a day-level date of the summary is flagged only when no source gives that
  day at all, and the source sentence most similar to the words around it (``context_words``
  each side, TF-IDF cosine >= ``min_similarity``, dates removed) among those that carry a
  date gives exactly one, other, day within ``max_shift_days`` (the same event dated
  differently); otherwise a date no source gives at all is flagged with severity medium
  (``flag_unsupported_dates``). Source dates ("Dec. 29", "on Friday", "yesterday") are resolved against
  each article's own ``published``.

Examples
--------
>>> f = check_consistency("Russia launched the strikes 11 months after the February 2022 "
...                       "invasion.", published="2024-01-02")
>>> f[["kind", "span"]].values.tolist()
[['time_inconsistency', '11 months after the February 2022 invasion']]
>>> len(check_consistency("Russia struck 22 months after the February 2022 invasion.",
...                       published="2024-01-02"))
0
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslab.findings import FINDING_COLUMNS, findings_frame
from newslab.text import (
    TIME_UNITS,
    DateMention,
    DurationMention,
    _as_date,
    _safe_date,
    find_dates,
    find_durations,
    find_numbers,
    sentence_spans,
)

__all__ = ["ConsistencyOptions", "check_consistency", "check_source_dates"]

_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
_WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass(frozen=True)
class ConsistencyOptions:
    """Tolerances of :func:`check_consistency` (see the module docstring).

    Attributes
    ----------
    rounding : tuple of (unit, half-width)
        Half-width, in units, allowed around a claimed elapsed time or an "N units ago".
    relative_rounding : float
        ... or this share of the claimed amount when larger ("22 months": +/- 2.2 months).
    adjacency_chars : int
        Longest gap between a relative expression and the explicit date it is checked against.
    now_ratio : float
        The dateline stands for the "now" of "N units after X" only when N is at least this
        share of the real elapsed time.
    future_window : int
        Words between a future marker ("will", "ahead of") and a stale year.
    min_similarity : float
        TF-IDF cosine above which a source sentence is taken to report the same event.
    max_shift_days : int
        A source date further than this from the summary's is taken to be another event.
    context_words : int
        Words on each side of a summary date that stand for its event.
    max_shift_years : int
        Same, for years.
    flag_unsupported_dates : bool
        Also flag (severity medium) a time no source gives anywhere when no similar source
        sentence dates the event differently, provided the sources give times of that kind.
    bound_words : int
        Most words between a quantity and the day it is told with ("30 on January 2",
        "rose to 84 on Thursday"): such a day is checked against the days the sources give
        that quantity, even when some source gives the day for something else.
    """

    rounding: tuple[tuple[str, float], ...] = (
        ("day", 1.0),
        ("week", 0.5),
        ("month", 0.5),
        ("year", 0.5),
    )
    relative_rounding: float = 0.1
    adjacency_chars: int = 12
    now_ratio: float = 1 / 3
    future_window: int = 8
    min_similarity: float = 0.3
    max_shift_days: int = 60
    context_words: int = 12
    max_shift_years: int = 10
    flag_unsupported_dates: bool = True
    bound_words: int = 4

    def half_width_days(self, unit: str, amount: float = 1.0) -> float:
        return max(dict(self.rounding)[unit], self.relative_rounding * amount) * _DAYS[unit]


# ------------------------------------------------------------------ helpers


def _interval(m: DateMention) -> tuple[dt.date, dt.date] | None:
    """The calendar range a date mention stands for."""
    if m.date is None:
        return None
    d = m.date
    if m.granularity == "year":
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if m.granularity == "month":
        last = calendar.monthrange(d.year, d.month)[1]
        return dt.date(d.year, d.month, 1), dt.date(d.year, d.month, last)
    return d, d


_YEAR_RE = re.compile(r"(?<![\w.,/-])(?:19|20)\d\d(?![\w%]|[.,]\d)")


def _explicit_dates(text: str, ref: dt.date | None) -> list[DateMention]:
    """Absolute, month and year mentions (bare years included), sorted by position."""
    out = [m for m in find_dates(text, reference=ref) if m.kind in ("absolute", "month", "year")]
    taken = [(m.start, m.end) for m in out]
    for y in _YEAR_RE.finditer(text):
        if any(s <= y.start() < e for s, e in taken):
            continue
        out.append(
            DateMention(
                y.group(0), y.start(), y.end(), "year", dt.date(int(y.group(0)), 1, 1), "year", True
            )
        )
    return sorted(out, key=lambda m: m.start)


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[\"“][^\"“”]{1,400}[\"”]", text)]


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in ranges)


def _sentence_of(pos: int, spans: list[tuple[int, int, str]]) -> int:
    for i, (s, e, _) in enumerate(spans):
        if s <= pos < e:
            return i
    return -1


def _fmt(d: dt.date, granularity: str = "day") -> str:
    if granularity == "year":
        return str(d.year)
    if granularity == "month":
        return d.strftime("%B %Y")
    return f"{d.strftime('%A')} {d.day} {d.strftime('%B %Y')}"


_ADJ_GAP = re.compile(r"[\s,;:(\[—–-]*(?:(?:on|in|of|at|'s|’s)\b)?[\s,;:(\[—–-]*")


def _adjacent(text: str, a: DateMention, b: DateMention, max_chars: int) -> bool:
    first, second = (a, b) if a.start < b.start else (b, a)
    gap = text[first.end : second.start]
    return len(gap) <= max_chars and bool(_ADJ_GAP.fullmatch(gap))


# ------------------------------------------------------------------ relative vs explicit


def _relative_range(
    m: DateMention, ref: dt.date, opts: ConsistencyOptions
) -> tuple[dt.date, dt.date] | None:
    """The range of days a relative expression allows, given the dateline ``ref``."""
    low = m.text.lower()
    day = dt.timedelta(days=1)
    if re.search(r"\b(today|tonight)\b", low):
        return ref - day, ref + day
    if "yesterday" in low:
        return ref - 2 * day, ref
    if "tomorrow" in low:
        return ref, ref + 2 * day
    ago = re.search(r"(\w+)\s+(day|week|month|year|fortnight)s?\s+ago", low)
    if ago and m.date is not None:
        unit = "week" if ago.group(2) == "fortnight" else ago.group(2)
        amount = (m.date - ref).days / -_DAYS[unit] if m.date else 1.0
        half = dt.timedelta(days=opts.half_width_days(unit, amount))
        return m.date - half, m.date + half
    ln = re.search(r"(last|next|this|coming)\s+(\w+)", low)
    if ln:
        direction, unit = ln.group(1), ln.group(2)
        if unit in ("week", "weekend"):
            if direction == "last":
                return ref - 14 * day, ref - day
            if direction in ("next", "coming"):
                return ref + day, ref + 14 * day
            return ref - 7 * day, ref + 7 * day
        if unit == "month":
            y, mo = divmod(
                ref.month - 1 + {"last": -1, "next": 1, "coming": 1}.get(direction, 0), 12
            )
            first = dt.date(ref.year + y, mo + 1, 1)
            last = dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
            # "last month" is also said of the past 30 days
            return (
                (min(first, ref - 31 * day), max(last, ref))
                if direction == "last"
                else (
                    first,
                    last,
                )
            )
        if unit == "year":
            year = ref.year + {"last": -1, "next": 1, "coming": 1}.get(direction, 0)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if m.date is not None:  # last/next/this <weekday>
            return m.date - day, m.date + day
    return None


def _check_relative(
    text: str,
    ref: dt.date | None,
    explicit: list[DateMention],
    spans: list[tuple[int, int, str]],
    quoted: list[tuple[int, int]],
    opts: ConsistencyOptions,
) -> list[dict]:
    rows: list[dict] = []
    relative = [m for m in find_dates(text, reference=ref) if m.kind in ("relative", "weekday")]
    for rel in relative:
        if _inside(rel.start, quoted):
            continue
        partners = [e for e in explicit if _adjacent(text, rel, e, opts.adjacency_chars)]
        if not partners:
            continue
        exp = min(partners, key=lambda e: min(abs(e.start - rel.end), abs(rel.start - e.end)))
        start, end = min(rel.start, exp.start), max(rel.end, exp.end)
        row = {
            "kind": "time_inconsistency",
            "span": text[start:end],
            "start": start,
            "end": end,
            "severity": "high",
            "sentence": _sentence_of(rel.start, spans),
        }
        if rel.kind == "weekday":
            # "on Saturday, Dec. 29": the weekday must be the date's weekday.
            if exp.granularity != "day" or exp.date is None:
                continue
            if not exp.year_explicit and ref is None:
                continue
            named = re.search(r"(mon|tues|wednes|thurs|fri|satur|sun)day", rel.text.lower())
            wd = _WEEKDAY_NAMES.index(named.group(0))
            if exp.date.weekday() != wd:
                row["evidence"] = (
                    f"{exp.text.strip()} ({exp.date.isoformat()}) was a "
                    f"{exp.date.strftime('%A')}, not a {named.group(0).capitalize()}"
                )
                rows.append(row)
            continue
        if ref is None:
            continue
        rng = _relative_range(rel, ref, opts)
        exp_rng = _interval(exp)
        if rng is None or exp_rng is None:
            continue
        if exp.granularity == "year" and rel.granularity == "year":
            if exp_rng[0].year < ref.year and re.search(r"\b(next|coming)\b", rel.text.lower()):
                continue  # "next year's 2023 vote" in 2024: reported as stale_reference
        if rng[1] < exp_rng[0] or exp_rng[1] < rng[0]:
            row["evidence"] = (
                f"'{rel.text.strip()}' from the dateline {ref.isoformat()} means "
                f"{rng[0].isoformat()} to {rng[1].isoformat()}, but the text says "
                f"{exp.text.strip()}"
            )
            rows.append(row)
    return rows


# ------------------------------------------------------------------ elapsed time

_PREP_RE = re.compile(r"\s+(after|since|before|into|from)\b\s*", re.I)
_EVENT_NOUNS = {
    "crash", "collision", "quake", "earthquake", "attack", "attacks", "strike", "strikes",
    "invasion", "blast", "blasts", "bombing", "bombings", "explosion", "explosions", "shooting",
    "eruption", "storm", "flood", "floods", "disaster", "accident", "raid", "incident", "tsunami",
    "barrage", "fire", "derailment", "landslide",
}  # fmt: skip
_HEAD_STOP = {"the", "a", "an", "its", "their", "his", "her", "russia's", "this", "that"}
_BREAK_WORDS = {"of", "in", "on", "by", "to", "at", "and", "with", "when", "which", "that", "as"}


def _claimed_range(dur: DurationMention, opts: ConsistencyOptions) -> tuple[float, float]:
    days = dur.days
    half = opts.half_width_days(dur.unit, dur.amount)
    low = dur.text.lower()
    if re.match(r"(nearly|almost)\b", low):
        return days * 0.85 - half, days + half
    if re.match(r"(over|more than)\b", low):
        return days - half, float("inf")
    if re.match(r"(about|around|some)\b", low):
        return days * 0.85 - half, days * 1.15 + half
    return days - half, days + half


def _anchor(
    text: str,
    after: int,
    sent: tuple[int, int, str],
    explicit: list[DateMention],
    spans: list[tuple[int, int, str]],
) -> tuple[DateMention | None, int]:
    """The dated event an elapsed-time phrase counts from, and where its phrase ends."""
    s_start, s_end, _ = sent
    clause = re.search(r"[,;!?]|\.(?=\s|$)|\s[—–]\s|$", text[after:s_end])
    clause_end = after + clause.start() if clause else s_end
    window_end = min(clause_end, after + 80)
    inside = [e for e in explicit if after <= e.start < window_end]
    if inside:
        e = inside[0]
        tail = re.match(r"(?:\s+[A-Za-z'’-]+){0,2}?\s+[a-z][\w'’-]*", text[e.end : window_end])
        end = e.end + (tail.end() if tail and e.end < window_end else 0)
        return e, min(end, window_end)
    # "11 months after the invasion" with the invasion dated elsewhere in the text
    words = re.findall(r"[\w'’-]+", text[after:window_end])
    head = None
    for w in words[:6]:
        lw = w.lower()
        if lw in _BREAK_WORDS:
            break
        if lw in _EVENT_NOUNS:
            head = lw
            break
        if lw not in _HEAD_STOP:
            head = lw
    if head is None or len(head) < 4:
        return None, after
    head_end = after + text[after:window_end].lower().find(head) + len(head)
    if head in _EVENT_NOUNS:
        # "a week after the crash": the crash is the story's main event, dated first in the text
        first = [m for m in explicit if m.start < s_start and m.granularity == "day"]
        if first:
            return first[0], head_end
    for m in explicit:
        if s_start <= m.start < s_end:
            continue
        i = _sentence_of(m.start, spans)
        if i < 0:
            continue
        ss, se, stext = spans[i]
        pos = [h.start() + ss for h in re.finditer(rf"\b{re.escape(head)}\b", stext.lower())]
        if pos and min(abs(p - m.start) for p in pos) <= 40:
            return m, head_end
    return None, after


def _check_later(
    text: str,
    dur: DurationMention,
    phrase_end: int,
    explicit: list[DateMention],
    spans: list[tuple[int, int, str]],
    opts: ConsistencyOptions,
) -> list[dict]:
    """ "On Dec. 29 ... Two days later, on Jan. 2, ...": the elapsed time between two dates."""
    i = _sentence_of(dur.start, spans)
    if i < 0:
        return []
    first = spans[max(0, i - 1)][0]
    s_end = spans[i][1]
    before = [
        e for e in explicit if first <= e.start and e.end <= dur.start and e.granularity == "day"
    ]
    after = [e for e in explicit if phrase_end <= e.start < min(s_end, phrase_end + 40)
             and e.granularity == "day"]  # fmt: skip
    if not before or not after or before[-1].date is None or after[0].date is None:
        return []
    anchor, now = before[-1], after[0]
    elapsed = (now.date - anchor.date).days
    c_lo, c_hi = _claimed_range(dur, opts)
    if c_lo <= elapsed <= c_hi:
        return []
    return [
        {
            "kind": "time_inconsistency",
            "span": text[dur.start : now.end],
            "start": dur.start,
            "end": now.end,
            "evidence": (
                f"'{dur.text.strip()} later' does not fit {anchor.text.strip()} -> "
                f"{now.text.strip()}: {elapsed} days apart"
            ),
            "severity": "high",
            "sentence": i,
        }
    ]


def _check_elapsed(
    text: str,
    ref: dt.date | None,
    explicit: list[DateMention],
    spans: list[tuple[int, int, str]],
    quoted: list[tuple[int, int]],
    opts: ConsistencyOptions,
) -> list[dict]:
    rows: list[dict] = []
    relative = [
        m
        for m in find_dates(text, reference=ref)
        if m.kind in ("relative", "weekday") and m.granularity == "day" and m.date
    ]
    for dur in find_durations(text):
        later = re.match(r"\s+later\b", text[dur.end :])
        if later and not _inside(dur.start, quoted):
            rows += _check_later(text, dur, dur.end + later.end(), explicit, spans, opts)
            continue
        prep = _PREP_RE.match(text, dur.end)
        if not prep or _inside(dur.start, quoted):
            continue
        i = _sentence_of(dur.start, spans)
        if i < 0:
            continue
        anchor, phrase_end = _anchor(text, prep.end(), spans[i], explicit, spans)
        interval = _interval(anchor) if anchor is not None else None
        if interval is None:  # e.g. "Jan 13" with no dateline to give it a year
            continue
        a_lo, a_hi = interval
        s_start, s_end, _ = spans[i]
        # the "now" of the phrase
        others = [
            e
            for e in explicit
            if s_start <= e.start < s_end
            and e is not anchor
            and not (dur.start <= e.start < phrase_end)
        ]
        now_rng, now_from = None, ""
        if others:
            e = min(others, key=lambda e: abs(e.start - dur.start))
            if e.granularity == "year" and anchor.granularity == "year" and e.date == anchor.date:
                continue
            now_rng, now_from = _interval(e), f"the text's date {e.text.strip()}"
        else:
            rel = [r for r in relative if s_start <= r.start < s_end]
            if rel:
                now_rng = (rel[0].date, rel[0].date)
                now_from = f"'{rel[0].text.strip()}' ({rel[0].date.isoformat()})"
            elif ref is not None:
                now_rng, now_from = (ref, ref), f"the dateline {ref.isoformat()}"
        if now_rng is None:
            continue
        kind = prep.group(1).lower()
        if kind == "before":
            lo, hi = (a_lo - now_rng[1]).days, (a_hi - now_rng[0]).days
        else:
            lo, hi = (now_rng[0] - a_hi).days, (now_rng[1] - a_lo).days
        c_lo, c_hi = _claimed_range(dur, opts)
        if now_from.startswith("the dateline") and dur.days < opts.now_ratio * max(lo, 1):
            continue  # narrates the past ("three days after the 2022 invasion")
        if c_hi < lo or c_lo > hi:
            start, end = dur.start, max(phrase_end, anchor.end)
            mid = (lo + hi) / 2
            actual = (
                f"{mid:.0f} days" if abs(mid) < 60 else f"{mid / _DAYS[dur.unit]:.0f} {dur.unit}s"
            )
            rows.append(
                {
                    "kind": "time_inconsistency",
                    "span": text[start:end],
                    "start": start,
                    "end": end,
                    "evidence": (
                        f"'{dur.text.strip()} {kind}' {anchor.text.strip()} does not fit "
                        f"{now_from}: about {actual} elapsed"
                    ),
                    "severity": "high",
                    "sentence": i,
                }
            )
    return rows


# ------------------------------------------------------------------ stale references

_FUTURE = re.compile(
    r"(?ix)\b(?:ahead\s+of|in\s+the\s+(?:run|lead)[\s-]up\s+to|upcoming|forthcoming|coming|"
    r"next\s+year['’]s|will|shall|is\s+(?:expected|set|due|scheduled|slated|poised)\s+to|"
    r"are\s+(?:expected|set|due|scheduled|slated|poised)\s+to|scheduled\s+for|slated\s+for|"
    r"planned\s+for|due\s+in|plans?\s+to|(?:is|are)\s+going\s+to|prepares?\s+for|"
    r"preparing\s+for)\b"
)
_PAST_BREAK = re.compile(
    r"(?i)\b(?:after|since|following|was|were|had|did|held|took|ago|last|previous|earlier|"
    r"postponed|cancelled|canceled)\b|[;.!?]|\bbut\b"
)


def _check_stale(
    text: str,
    ref: dt.date | None,
    explicit: list[DateMention],
    spans: list[tuple[int, int, str]],
    quoted: list[tuple[int, int]],
    opts: ConsistencyOptions,
) -> list[dict]:
    if ref is None:
        return []
    rows = []
    for e in explicit:
        if not e.year_explicit or _inside(e.start, quoted):
            continue
        rng = _interval(e)
        if rng is None or rng[1] >= ref:
            continue
        i = _sentence_of(e.start, spans)
        s_start = spans[i][0] if i >= 0 else 0
        before = text[s_start : e.start]
        words = list(re.finditer(r"\S+", before))
        win_start = words[-opts.future_window].start() if len(words) >= opts.future_window else 0
        window = before[win_start:]
        markers = list(_FUTURE.finditer(window))
        if not markers:
            continue
        marker = markers[-1]
        if _PAST_BREAK.search(window[marker.end() :]) or _PAST_BREAK.search(
            window[: marker.start()][-20:]
        ):
            continue
        start = s_start + win_start + marker.start()
        tail = re.match(r"\s+[a-z][\w'’-]*", text[e.end :])
        end = e.end + (tail.end() if tail and e.kind == "year" else 0)
        rows.append(
            {
                "kind": "stale_reference",
                "span": text[start:end],
                "start": start,
                "end": end,
                "evidence": (
                    f"{e.text.strip()} ended before the dateline {ref.isoformat()} but is "
                    f"referred to as still ahead ('{marker.group(0)}')"
                ),
                "severity": "medium",
                "sentence": i,
            }
        )
    return rows


# ------------------------------------------------------------------ against sources


@dataclass(frozen=True)
class _Temporal:
    """A time expression reduced to what can be compared across texts."""

    start: int
    end: int
    text: str
    kind: str  # "day", "month", "year" or "weekday"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None

    def describe(self) -> str:
        if self.kind == "weekday":
            name = _WEEKDAY_NAMES[self.weekday].capitalize()
            return (
                f"{name} {self.day} {calendar.month_name[self.month]} {self.year}"
                if self.day
                else name
            )
        if self.kind == "year":
            return str(self.year)
        month = calendar.month_name[self.month]
        if self.kind == "month":
            return f"{month} {self.year}" if self.year else month
        return f"{self.day} {month}" + (f" {self.year}" if self.year else "")


_DUMMY_REF = dt.date(2000, 7, 1)  # a leap year: reads "Feb. 29" without a year


def _temporals(text: str, ref: dt.date | None) -> list[_Temporal]:
    """Days, months, years and weekdays of ``text`` (years known only when stated or
    inferable from ``ref``)."""
    out: list[_Temporal] = []
    for m in find_dates(text, reference=ref or _DUMMY_REF):
        if m.date is None:
            continue
        known = m.year_explicit or ref is not None
        if m.kind == "absolute":
            y = m.date.year if known else None
            out.append(_Temporal(m.start, m.end, m.text, "day", y, m.date.month, m.date.day,
                                 m.date.weekday() if y else None))  # fmt: skip
        elif m.kind == "month":
            out.append(_Temporal(m.start, m.end, m.text, "month", m.date.year, m.date.month))
        elif m.kind == "year":
            out.append(_Temporal(m.start, m.end, m.text, "year", m.date.year))
        elif m.kind == "weekday" or re.search(r"day\b", m.text.lower().split()[-1]):
            named = re.search(r"(mon|tues|wednes|thurs|fri|satur|sun)day", m.text.lower())
            if named is None:
                continue
            wd = _WEEKDAY_NAMES.index(named.group(0))
            if m.kind == "weekday":  # the span is the day name, not "on Friday"
                m = DateMention(named.group(0) if m.text.islower() else m.text[named.start():],
                                m.start + named.start(), m.end, m.kind, m.date,
                                m.granularity, m.year_explicit)  # fmt: skip
            if ref is not None and m.date is not None and m.kind == "weekday":
                d = m.date  # resolved against the dateline: also a day
                out.append(_Temporal(m.start, m.end, m.text, "weekday", d.year, d.month, d.day, wd))
            else:
                out.append(_Temporal(m.start, m.end, m.text, "weekday", weekday=wd))
    taken = [(t.start, t.end) for t in out]
    for y in _YEAR_RE.finditer(text):
        if not any(s <= y.start() < e for s, e in taken):
            out.append(_Temporal(y.start(), y.end(), y.group(0), "year", int(y.group(0))))
    return sorted(out, key=lambda t: t.start)


def _agrees(t: _Temporal, o: _Temporal) -> bool:
    """Whether source expression ``o`` gives the time ``t`` states."""
    if t.kind == "weekday":
        return o.weekday == t.weekday
    if t.kind == "year":
        return o.year == t.year
    if t.kind == "month":
        return (
            o.month == t.month
            and o.kind in ("month", "day")
            and (o.year is None or o.year == t.year)
        )
    return (
        o.kind in ("day", "weekday")
        and o.month == t.month
        and o.day == t.day
        and (o.year is None or t.year is None or o.year == t.year)
    )


def _conflicts(t: _Temporal, o: _Temporal, opts: ConsistencyOptions) -> bool:
    """Whether ``o`` is another value of the same kind of time, near enough to be the
    same event dated differently."""
    if t.kind == "weekday":
        return o.kind == "weekday" and o.weekday != t.weekday
    if t.kind == "year":
        return (
            o.year is not None and o.year != t.year and abs(o.year - t.year) <= opts.max_shift_years
        )
    if t.kind == "month":
        return o.kind in ("month", "day") and not _agrees(t, o) and o.month is not None
    if o.kind not in ("day", "weekday") or o.month is None or _agrees(t, o):
        return False
    year = t.year or o.year or 2000
    a = _safe_date(year, t.month, t.day)
    b = _safe_date(o.year or year, o.month, o.day)
    return a is not None and b is not None and abs((a - b).days) <= opts.max_shift_days


def _source_key(sources: pd.DataFrame) -> tuple:
    if "text" not in sources.columns:
        raise ValueError("sources must have a 'text' column (a story DataFrame of the corpus)")
    cols = [sources[c] if c in sources.columns else [None] * len(sources)
            for c in ("text", "published", "outlet", "url")]  # fmt: skip
    return tuple(
        (t if isinstance(t, str) else "", None if _as_date(p) is None else str(_as_date(p)),
         o if isinstance(o, str) else "", u if isinstance(u, str) else "")
        for t, p, o, u in zip(*cols, strict=True)
    )  # fmt: skip


@functools.lru_cache(maxsize=16)
def _prepared_sources(key: tuple):
    """Source sentences, their times and TF-IDF index; cached so that scoring many
    summaries of one story reads its sources once."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = []
    for idx, (text, pub, outlet, url) in enumerate(key):
        if not text.strip():
            continue
        ref = _as_date(pub)
        for _s, _e, sent in sentence_spans(text):
            rows.append((idx, outlet, url, sent, _temporals(sent, ref)))
    src = pd.DataFrame(rows, columns=["article", "outlet", "url", "text", "times"])
    if src.empty:
        return src, [], None, None
    vec = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vec.fit_transform([_strip_dates(t) for t in src.text])
    except ValueError:  # no usable word in the sources
        return src, [], None, None
    return src, [o for ts in src.times for o in ts], vec, matrix


def _strip_dates(text: str) -> str:
    for m in sorted(find_dates(text), key=lambda m: -m.start):
        text = text[: m.start] + " " + text[m.end :]
    return _YEAR_RE.sub(" ", text)


def _bound_quantity(sent: str, t: _Temporal, max_words: int):
    """The quantity told with the time ``t`` of ``sent``: the number closest before it, with at
    most ``max_words`` words and no other number in between ("30 on January 2"), else None."""
    before = [n for n in find_numbers(sent[: t.start]) if (n.unit or "").lower() not in TIME_UNITS]
    if not before:
        return None
    n = before[-1]
    gap = sent[n.end : t.start]
    if len(gap.split()) > max_words or re.search(r"\d|[;:()]", gap):
        return None
    return n


@functools.lru_cache(maxsize=8192)
def _source_numbers(sentence: str) -> tuple:
    """Quantities of a source sentence, read once however many summaries are checked."""
    return tuple(find_numbers(sentence))


def _misdated_quantity(
    i: int, s: int, sent: str, t: _Temporal, src: pd.DataFrame, opts: ConsistencyOptions
) -> dict | None:
    """A day that some source gives for something else, told with a quantity that the
    sources give for another day: "30 [dead] on January 4" where a source says 30 on
    January 2 and the January 4 figure is 84."""
    if t.kind not in ("day", "weekday"):
        return None
    n = _bound_quantity(sent, t, opts.bound_words)
    if n is None:
        return None
    given: list[tuple[int, _Temporal]] = []
    for j, (text, times) in enumerate(zip(src.text, src.times, strict=True)):
        days = [o for o in times if o.kind in ("day", "weekday")]
        if not days:
            continue
        for m in _source_numbers(text):
            if m.value != n.value or (m.unit and n.unit and m.unit.lower() != n.unit.lower()):
                continue
            # the source's time for that quantity: the closest one in its sentence
            o = min(days, key=lambda o: min(abs(o.start - m.end), abs(m.start - o.end)))
            given.append((j, o))
    if not given or any(_agrees(t, o) for _j, o in given):
        return None
    conflict = next(((j, o) for j, o in given if _conflicts(t, o, opts)), None)
    if conflict is None:
        return None
    j, o = conflict
    return {
        "kind": "date",
        "span": t.text.strip(),
        "start": s + t.start + (len(t.text) - len(t.text.lstrip())),
        "end": s + t.end,
        "sentence": i,
        "evidence": (
            f"the summary gives {n.text.strip()!r} for {t.describe()}; "
            f"{src.outlet.iloc[j] or 'a source'} gives it for {o.describe()} "
            f'({o.text.strip()!r}): "{src.text.iloc[j]}"'
        ),
        "severity": "high",
    }


def check_source_dates(
    text: str,
    sources: pd.DataFrame,
    published=None,
    options: ConsistencyOptions | None = None,
) -> pd.DataFrame:
    """Flag dates in ``text`` that the sources give differently for the same event.

    Days ("Dec. 28"), months ("May 2014"), years ("in 2015") and weekdays ("on Sunday") are
    checked. A summary time is flagged only when no source gives it anywhere, and the
    source sentence closest to the words around it (that carries a time of the same kind)
    gives another value: "Dec. 28" where that sentence says Dec. 29 (severity high for a
    day). Otherwise a time no source gives anywhere is flagged with severity medium
    (``flag_unsupported_dates``), if the sources give times of that kind at all (for a
    month, a month, day or year). Without datelines, days
    are compared by month and day only.

    Parameters
    ----------
    text : str
        The summary.
    sources : DataFrame
        The story's articles (corpus columns; ``text`` required, ``published``, ``outlet``
        and ``url`` used when present).
    published : date-like, optional
        The summary's dateline, used to read dates without a year and weekdays.
    options : ConsistencyOptions, optional

    Returns
    -------
    DataFrame
        Findings of kind ``date`` (:data:`newslab.findings.FINDING_COLUMNS`).

    Examples
    --------
    >>> src = pd.DataFrame({"text": ["Russia fired 122 missiles at Ukraine on Dec. 29, 2023."],
    ...                     "outlet": ["wire"], "published": ["2023-12-30"]})
    >>> check_source_dates("Russia fired 122 missiles at Ukraine on Dec. 28.", src,
    ...                    published="2024-01-02").span.tolist()
    ['Dec. 28']
    """

    opts = options or ConsistencyOptions()
    key = _source_key(sources)  # validates the columns before anything else
    ref = _as_date(published)
    spans = sentence_spans(text or "")
    quoted = _quoted_ranges(text or "")
    targets = [
        (i, s, sent, t)
        for i, (s, _e, sent) in enumerate(spans)
        for t in _temporals(sent, ref)
        if not _inside(s + t.start, quoted)
    ]
    if not targets:
        return findings_frame()
    src, all_times, vec, src_matrix = _prepared_sources(key)
    if vec is None:
        return findings_frame()
    rows = []
    for i, s, sent, t in targets:
        if any(_agrees(t, o) for o in all_times):
            # some source gives this time, perhaps for another event: flagged only when the
            # quantity told with it is one the sources give for another day
            row = _misdated_quantity(i, s, sent, t, src, opts)
            if row is not None:
                rows.append(row)
            continue
        # the words around the date stand for its event, not the whole (long) sentence
        words = list(re.finditer(r"\S+", sent))
        k = next((n for n, w in enumerate(words) if w.end() > t.start), len(words))
        lo = words[max(0, k - opts.context_words)].start() if words else 0
        hi = words[min(len(words), k + opts.context_words) - 1].end() if words else len(sent)
        q = vec.transform([_strip_dates(sent[lo:hi])])
        sims = (src_matrix @ q.T).toarray().ravel()
        same_kind = {"day": ("day", "weekday"), "weekday": ("weekday",), "month": ("month", "day"),
                     "year": ("year", "month", "day")}[t.kind]  # fmt: skip
        dated = [
            j
            for j in np.argsort(-sims, kind="stable")
            if sims[j] >= opts.min_similarity
            and any(o.kind in same_kind and o.year != -1 for o in src.times.iloc[j])
        ]
        row = {
            "kind": "date",
            "span": t.text.strip(),
            "start": s + t.start + (len(t.text) - len(t.text.lstrip())),
            "end": s + t.end,
            "sentence": i,
        }
        others = [o for o in src.times.iloc[dated[0]] if o.kind in same_kind] if dated else []
        # one time in the closest dated sentence, near ours: the same event dated differently
        if len({o.describe() for o in others}) == 1 and _conflicts(t, others[0], opts):
            j, o = dated[0], others[0]
            row["evidence"] = (
                f"the summary says {t.describe()}, which no source gives; "
                f"{src.outlet.iloc[j] or 'a source'} says {o.text.strip()!r} ({o.describe()}): "
                f'"{src.text.iloc[j]}"'
            )
            row["severity"] = "high" if t.kind == "day" else "medium"
            rows.append(row)
        elif opts.flag_unsupported_dates and any(
            o.kind in same_kind or (t.kind == "month" and o.kind == "year") for o in all_times
        ):  # a month is checkable against sources that date things by year only
            row["evidence"] = f"the summary says {t.describe()}, which no source gives"
            row["severity"] = "medium"
            rows.append(row)
    return findings_frame(rows)


# ------------------------------------------------------------------ entry point


def check_consistency(
    text: str,
    published=None,
    sources: pd.DataFrame | None = None,
    *,
    options: ConsistencyOptions | None = None,
) -> pd.DataFrame:
    """Check a summary's dates and time expressions, from the text alone (and the sources).

    Parameters
    ----------
    text : str
        The summary (any text).
    published : date-like, optional
        Its dateline. Without it only checks between explicit dates are made.
    sources : DataFrame, optional
        The story's articles; when given, absolute dates are also checked against them
        (kind ``date``, see :func:`check_source_dates`).
    options : ConsistencyOptions, optional
        Tolerances.

    Returns
    -------
    DataFrame
        One row per finding, columns :data:`newslab.findings.FINDING_COLUMNS`; kinds
        ``time_inconsistency``, ``stale_reference`` and ``date``.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> check_consistency("Voters prepare ahead of the 2023 elections.",
    ...                   published="2024-03-01").kind.tolist()
    ['stale_reference']
    >>> check_consistency("Last week, on Dec. 12, the city was hit.",
    ...                   published="2024-01-02").span.tolist()
    ['Last week, on Dec. 12']
    """
    if text is None or not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    opts = options or ConsistencyOptions()
    if not text.strip():
        return findings_frame()
    ref = _as_date(published)
    spans = sentence_spans(text)
    explicit = _explicit_dates(text, ref)
    quoted = _quoted_ranges(text)
    rows = _check_elapsed(text, ref, explicit, spans, quoted, opts)
    rows += _check_relative(text, ref, explicit, spans, quoted, opts)
    rows += _check_stale(text, ref, explicit, spans, quoted, opts)
    # one finding per span: the elapsed-time reading wins over an overlapping adjacency one
    kept: list[dict] = []
    for r in rows:
        if any(k["start"] < r["end"] and r["start"] < k["end"] for k in kept):
            continue
        kept.append(r)
    out = findings_frame(kept)
    if sources is not None:
        dates = check_source_dates(text, sources, published=published, options=opts)
        # a date already explained by an internal finding (stale, inconsistent) is not repeated
        keep = [
            not any(k["start"] < d.end and d.start < k["end"] for k in kept)
            for d in dates.itertuples()
        ]
        dates = dates[keep]
        out = pd.concat([out, dates], ignore_index=True) if len(dates) else out
    return out.sort_values("start", kind="stable").reset_index(drop=True)[FINDING_COLUMNS]
