"""Text utilities shared by every stage: sentences, tokens, numbers, dates.

Sentence splitting uses pysbd (rule based; no NLTK data to download). Number and
date finders are regular-expression based and return mention objects with
character offsets, so later stages can point at the exact span of a summary.

Examples
--------
>>> [m.value for m in find_numbers("Russia fired 122 missiles and dozens of drones.")]
[122.0, 24.0]
>>> [str(m.date) for m in find_dates("The attack on Dec. 29 was followed on 2 January 2024.",
...                                  reference="2024-01-03")]
['2023-12-29', '2024-01-02']
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pandas as pd

__all__ = [
    "split_sentences",
    "sentence_spans",
    "tokenize",
    "url_words",
    "is_preamble",
    "NumberMention",
    "find_numbers",
    "DateMention",
    "find_dates",
    "DurationMention",
    "find_durations",
    "MONTHS",
]

# ---------------------------------------------------------------- sentences


@functools.lru_cache(maxsize=4)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def sentence_spans(text: str, language: str = "en") -> list[tuple[int, int, str]]:
    """Split ``text`` into sentences with their character offsets.

    Paragraph breaks (blank lines) always end a sentence.

    Returns
    -------
    list of (start, end, sentence) with ``text[start:end].strip() == sentence``.

    Examples
    --------
    >>> sentence_spans("Dr. Smith left. He said “no.”")
    [(0, 15, 'Dr. Smith left.'), (16, 29, 'He said “no.”')]
    """
    if not text or not text.strip():
        return []
    out: list[tuple[int, int, str]] = []
    for para in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, flags=re.S):
        chunk, offset = para.group(0), para.start()
        try:
            spans = _segmenter(language).segment(chunk)
            pieces = [(s.start, s.end) for s in spans]
        except Exception:  # pysbd fails on a few pathological inputs; fall back to one sentence
            pieces = [(0, len(chunk))]
        for start, end in pieces:
            raw = chunk[start:end]
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            s0 = offset + start + lead
            out.append((s0, s0 + len(stripped), stripped))
    return out


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split ``text`` into sentences (pysbd; abbreviations like "Dec." and "Dr." kept).

    Examples
    --------
    >>> split_sentences("Strikes hit Kyiv on Dec. 29. At least 30 died.\\n\\nMore later")
    ['Strikes hit Kyiv on Dec. 29.', 'At least 30 died.', 'More later']
    """
    return [s for _, _, s in sentence_spans(text, language)]


_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def tokenize(text: str, *, lower: bool = True) -> list[str]:
    """Split text into word tokens (letters/digits; inner hyphens and apostrophes kept).

    Examples
    --------
    >>> tokenize("Kyiv's air-defence units shot down 1,200 drones!")
    ["kyiv's", 'air-defence', 'units', 'shot', 'down', '1', '200', 'drones']
    """
    if not text:
        return []
    if lower:
        text = text.lower()
    return _TOKEN.findall(text)


_PREAMBLE = re.compile(
    r"^\W*(here (is|are|'s)|below (is|are)|in (summary|short|brief)|summary\b|the following)",
    re.I,
)


def is_preamble(sentence: str) -> bool:
    """Whether a sentence is a framing line of a summary ("Here is the latest on X."), not a
    claim.

    Examples
    --------
    >>> is_preamble("Here is what we know about the Noto earthquake."), is_preamble("It hit.")
    (True, False)
    """
    return bool(_PREAMBLE.match(sentence))


_URL_PART = re.compile(r"[\W_]+")
# file endings and page words that every site uses
_URL_NOISE = frozenset(
    "html htm shtml php asp aspx jsp cms cfm story stories article articles news index www".split()
)


def url_words(url: str | None) -> str:
    """The words of a URL's path: the slug editors write from the headline, and its sections.

    Tokens holding a digit (dates, ids) and opaque mixed-case ids are dropped, as are file
    endings and page words every site uses; the host is left out (it names the outlet, not
    the story).

    Examples
    --------
    >>> url_words("https://www.example.com/world/2024/01/02/kyiv-hit-by-missiles-a1B2.html?x=1")
    'world kyiv hit by missiles'
    >>> url_words("https://news.example.org/Politics/H2EvwJSK2VE6OF7iK1g3PP/Feds-Plosser-sees.html")
    'politics feds plosser sees'
    >>> url_words(None)
    ''
    """
    if not isinstance(url, str) or not url:
        return ""
    # some crawls escape "?" as "\?"; the query string is not part of the slug either way
    path = urlsplit(url.replace("\\?", "?")).path
    out = []
    for tok in _URL_PART.split(unquote(path)):
        if not tok or any(c.isdigit() for c in tok) or tok.lower() in _URL_NOISE:
            continue
        if len(tok) > 3 and sum(c.isupper() for c in tok[1:]) >= 2:  # "H2EvwJSK..."-style ids
            continue
        out.append(tok.lower())
    return " ".join(out)


# ---------------------------------------------------------------- numbers

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Vague quantities: (value used for comparison, low, high).
_VAGUE = {
    "a dozen": (12, 12, 12),
    "a pair": (2, 2, 2),
    "dozens": (24, 24, 99),
    "scores": (40, 40, 99),
    "hundreds": (200, 200, 999),
    "thousands": (2000, 2000, 9999),
    "tens of thousands": (20000, 20000, 99999),
    "hundreds of thousands": (200000, 200000, 999999),
    "millions": (2e6, 2e6, 1e9),
}
# Qualifier -> (low factor, high factor) applied to the stated value.
_QUALIFIERS = {
    "more than": (1.0, math.inf), "over": (1.0, math.inf), "at least": (1.0, math.inf),
    "upwards of": (1.0, math.inf), "in excess of": (1.0, math.inf), "no fewer than": (1.0, math.inf),
    "fewer than": (0.0, 1.0), "less than": (0.0, 1.0), "under": (0.0, 1.0), "up to": (0.0, 1.0),
    "at most": (0.0, 1.0), "no more than": (0.0, 1.0),
    "nearly": (0.85, 1.0), "almost": (0.85, 1.0), "just under": (0.9, 1.0),
    "about": (0.9, 1.1), "around": (0.9, 1.1), "roughly": (0.9, 1.1), "approximately": (0.9, 1.1),
    "some": (0.9, 1.1), "an estimated": (0.9, 1.1), "close to": (0.9, 1.0),
    "just over": (1.0, 1.1), "exactly": (1.0, 1.0),
}  # fmt: skip
_SKIP_BEFORE_UNIT = {
    "of", "more", "other", "additional", "new", "separate", "different", "further", "extra",
    "the", "its", "their", "his", "her", "russian", "ukrainian", "local", "were", "was",
}  # fmt: skip

_WORDNUM = "|".join(sorted(_SMALL, key=len, reverse=True))
_SCALE = "|".join(_SCALES)
_QUAL = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_VAG = "|".join(sorted((re.escape(v) for v in _VAGUE), key=len, reverse=True))
_NUMBER_RE = re.compile(
    rf"""(?ix)
    (?:(?P<qual>{_QUAL})\s+)?
    (?:
        \b(?P<vague>{_VAG})\b
      | (?P<digits>(?<![\w.,:/-])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|(?<![\w.,:/-])\d+(?:\.\d+)?)
        (?!\d|[:/-]\d|,\d{{3}})
        (?:\s*(?P<pct>%|per\s?cent\b|percent\b))?
        (?:\s+(?P<scale>{_SCALE})\b)?
      | (?P<word>\b(?:{_WORDNUM})(?:[- ](?:{_WORDNUM}))?)\b(?:\s+(?P<wscale>{_SCALE})\b)?
    )
    """
)
# an ascending range written with a hyphen: "100-200 meters" (both numbers, one unit)
_RANGE_RE = re.compile(r"(?<![\w.,:/-])(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?![\w:/-]|[.,]\d)")
_CURRENCY = {"$": "usd", "€": "eur", "£": "gbp", "¥": "jpy"}
#: Units that make a number a duration ("3 days"), not a count.
TIME_UNITS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades"}
    | {"fortnight", "fortnights", "hour", "hours", "minute", "minutes", "second", "seconds"}
)
_SHORT_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
_SHORT_SCALE = re.compile(r"\s?(bn|mn|tn|[kmb])\b", re.IGNORECASE)
_UNIT_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’-]*)")


@dataclass(frozen=True)
class NumberMention:
    """A quantity mentioned in text.

    Attributes
    ----------
    text : str
        The exact span, qualifier included (``"over 70"``).
    start, end : int
        Character offsets in the input.
    value : float
        The stated (or, for vague words, representative) value.
    low, high : float
        The range the wording allows: ``"over 70"`` is (70, inf), ``"dozens"`` is (24, 99).
    qualifier : str or None
        ``"over"``, ``"at least"``, ``"about"``... or ``"vague"`` for words like "dozens".
    unit : str or None
        The noun counted or the unit, lower-cased (``"missiles"``, ``"%"``, ``"kilometres"``).
    """

    text: str
    start: int
    end: int
    value: float
    low: float
    high: float
    qualifier: str | None = None
    unit: str | None = None

    def compatible(self, other: float) -> bool:
        """Whether a source value ``other`` fits the range this wording allows.

        Examples
        --------
        >>> m = find_numbers("over 70 missiles")[0]
        >>> m.compatible(122), m.compatible(60)
        (True, False)
        """
        if self.qualifier is None:
            return math.isclose(self.value, other, rel_tol=1e-9, abs_tol=1e-9)
        return self.low <= other <= self.high


def _word_value(word: str) -> float:
    parts = re.split(r"[- ]", word.lower())
    return float(sum(_SMALL[p] for p in parts if p in _SMALL))


def _unit_after(text: str, pos: int) -> tuple[str | None, int]:
    """Return the noun after a number (skipping "of", "more"...), and where it ends."""
    cursor = pos
    for _ in range(4):
        m = _UNIT_WORD.match(text, cursor)
        if not m:
            return None, pos
        word = m.group(1).lower().strip("'’-")
        cursor = m.end()
        if word in _SKIP_BEFORE_UNIT:
            continue
        if word in _SCALES or word in ("and", "or", "to", "in", "on", "at", "by", "as"):
            return None, pos
        return word, cursor
    return None, pos


def find_numbers(
    text: str, *, include_years: bool = False, exclude_dates: bool = True
) -> list[NumberMention]:
    """Find quantities: digits ("122", "1,200", "1.5 million", "40%"), number words
    ("fourteen", "twenty-five", "a pair"), qualified amounts ("over 70", "at least 30"),
    vague ones ("dozens", "hundreds") and both ends of a rising range ("100-200 meters").

    Parameters
    ----------
    include_years : bool
        Keep four-digit years (1800-2100) as numbers. Off by default.
    exclude_dates : bool
        Drop numbers that are part of a date ("Dec. 31", "2023-12-31").

    Examples
    --------
    >>> [(m.text, m.value, m.unit) for m in find_numbers("over 70 missiles and 1.5 million people")]
    [('over 70', 70.0, 'missiles'), ('1.5 million', 1500000.0, 'people')]
    >>> [(m.low, m.high) for m in find_numbers("dozens of people")]
    [(24.0, 99.0)]
    >>> find_numbers("On 31 December 2023 at 6:45")
    []
    >>> [(m.text, m.value) for m in find_numbers("a 5G network, 5g of salt, a $4.5bn deal")]
    [('5', 5.0), ('4.5bn', 4500000000.0)]
    """
    if not text:
        return []
    date_spans = (
        [(d.start, d.end) for d in find_dates(text) if not (include_years and d.kind == "year")]
        if exclude_dates
        else []
    )
    out: list[NumberMention] = []
    for m in _NUMBER_RE.finditer(text):
        start, end = m.start(), m.end()
        if any(s <= m.start("digits") < e for s, e in date_spans if m.group("digits")):
            continue
        qual = m.group("qual").lower() if m.group("qual") else None
        if m.group("vague"):
            value, low, high = _VAGUE[m.group("vague").lower()]
            qual_name = "vague" if qual is None else qual
            if qual is not None:
                lo_f, hi_f = _QUALIFIERS[qual]
                low, high = (
                    low * lo_f if lo_f else 0.0,
                    (high * hi_f if hi_f != math.inf else math.inf),
                )
            unit, _ = _unit_after(text, end)
            out.append(
                NumberMention(
                    m.group(0), start, end, float(value), float(low), float(high), qual_name, unit
                )
            )
            continue
        if m.group("digits"):
            raw = m.group("digits")
            value = float(raw.replace(",", ""))
            if (
                not include_years
                and re.fullmatch(r"(1[89]|20|21)\d\d", raw)
                and not m.group("scale")
                and not m.group("pct")
            ):
                continue
            currency = _CURRENCY.get(text[max(0, m.start("digits") - 1) : m.start("digits")])
            if (
                currency is None
                and not m.group("scale")
                and re.match(r"[A-Z](?!\w)", text[m.end("digits") : m.end("digits") + 2])
            ):
                continue  # a designation ("5G", "3D", "4K"), not a quantity
            if m.group("scale"):
                value *= _SCALES[m.group("scale").lower()]
            elif currency and (short := _SHORT_SCALE.match(text, m.end("digits"))):
                value *= _SHORT_SCALES[short.group(1).lower()]  # "$5bn", "£4m", "$4K"
                end = short.end()
            unit = "%" if m.group("pct") else None
            unit = currency or unit
        else:
            value = _word_value(m.group("word"))
            if m.group("wscale"):
                value *= _SCALES[m.group("wscale").lower()]
            elif value == 1 and qual is None:
                continue  # "one" is mostly a pronoun or article, not a count
            unit = None
        if unit is None:
            unit, _ = _unit_after(text, end)
        if qual:
            lo_f, hi_f = _QUALIFIERS[qual]
            low, high = value * lo_f, value * hi_f if hi_f != math.inf else math.inf
        else:
            low = high = value
        out.append(NumberMention(text[start:end], start, end, value, low, high, qual, unit))
    for m in _RANGE_RE.finditer(text):
        a, b = float(m.group(1)), float(m.group(2))
        years = all(re.fullmatch(r"(1[89]|20|21)\d\d", g) for g in m.groups())
        if a >= b or (years and not include_years):
            continue  # "5-4 ruling", "3-1 win" are scores or votes, not ranges
        if any(s <= m.start() < e for s, e in date_spans):
            continue
        unit, _ = _unit_after(text, m.end())
        for k in (1, 2):
            v = float(m.group(k))
            out.append(NumberMention(m.group(k), m.start(k), m.end(k), v, v, v, None, unit))
    return sorted(out, key=lambda n: n.start)


# ---------------------------------------------------------------- dates

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20|21)\d\d"
_MAY_BEFORE = re.compile(r"\b(?:on|by|until|till|since|from|before|after|through)\s+$", re.I)
_MAY_AFTER = re.compile(r"\s*(?:[,.;:)!?]|$)")
_UNITS_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25, "fortnight": 14}

_DATE_RE = re.compile(
    rf"""(?x)
      (?P<iso>\b(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])\b)
    | (?P<dmy>\b(?P<dd>{_DAY})\s+(?:of\s+)?(?P<dm>{_MON})(?:,?\s+(?P<dy>{_YEAR}))?\b)
    | (?P<mdy>\b(?P<mm>{_MON})\s+(?P<md>{_DAY})\b(?:,?\s+(?P<my>{_YEAR})\b)?)
    | (?P<slash>\b(?P<s1>[0-3]?\d)/(?P<s2>[01]?\d)/(?P<sy>{_YEAR})\b)
    | (?P<monyear>\b(?P<mym>January|February|March|April|June|July|August|September|October|November|December|May)\s+(?P<myy>{_YEAR})\b)
    | (?P<rel>\b(?P<rword>today|yesterday|tomorrow|tonight)\b)
    | (?P<lastnext>\b(?P<ln>last|next|this|coming)\s+(?P<lnu>week|month|year|weekend|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b)
    | (?P<ago>\b(?P<an>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<au>day|week|month|year|fortnight)s?\s+ago\b)
    | (?P<wd>\b(?:on\s+)?(?P<wday>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b)
    | (?P<year>\b(?:in|of|since|by|until|before|after|ahead\s+of\s+the|the)\s+(?P<yy>{_YEAR})\b)
    """,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date or time expression found in text.

    Attributes
    ----------
    text : str
        The exact span.
    start, end : int
        Character offsets.
    kind : str
        ``"absolute"`` (a calendar date), ``"month"`` (month and year), ``"year"``,
        ``"relative"`` (today, yesterday, N days ago, last week...) or ``"weekday"``.
    date : datetime.date or None
        The resolved date (first day of the month/year for coarse mentions; for
        relative ones, resolved against ``reference``; None when it cannot be).
    granularity : {"day", "week", "month", "year"}
    year_explicit : bool
        Whether the text states the year (else it was inferred from ``reference``).
    """

    text: str
    start: int
    end: int
    kind: str
    date: dt.date | None
    granularity: str
    year_explicit: bool


def _as_date(reference) -> dt.date | None:
    if reference is None or (not isinstance(reference, str) and pd.isna(reference)):
        return None  # NaT is a datetime subclass: test it before isinstance(datetime)
    if isinstance(reference, dt.datetime):
        return reference.date()
    if isinstance(reference, dt.date):
        return reference
    ts = pd.Timestamp(reference)
    return None if pd.isna(ts) else ts.date()


def _closest_year(month: int, day: int, ref: dt.date | None) -> tuple[int | None, dt.date | None]:
    if ref is None:
        return None, None
    best = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - ref).days) < abs((best - ref).days):
            best = cand
    return (best.year, best) if best else (None, None)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _count(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    return _SMALL.get(word, 1)


def find_dates(text: str, reference=None, *, dayfirst: bool = True) -> list[DateMention]:
    """Find date expressions and resolve them to calendar dates.

    Parameters
    ----------
    text : str
    reference : date-like, optional
        The publication date or dateline. Needed to resolve relative dates
        ("yesterday", "on Saturday", "3 days ago") and dates without a year.
        A weekday alone means the most recent such day up to the reference.
    dayfirst : bool
        How to read ``01/02/2024`` (True: 1 February).

    Examples
    --------
    >>> [(m.text, str(m.date)) for m in find_dates("on 31 December 2023, 2023-12-31 and Dec. 31")]
    [('31 December 2023', '2023-12-31'), ('2023-12-31', '2023-12-31'), ('Dec. 31', 'None')]
    >>> [(m.kind, str(m.date)) for m in find_dates("Yesterday and on Saturday", reference="2024-01-03")]
    [('relative', '2024-01-02'), ('weekday', '2023-12-30')]
    """
    if not text:
        return []
    ref = _as_date(reference)
    out: list[DateMention] = []
    for m in _DATE_RE.finditer(text):
        span, start, end = m.group(0), m.start(), m.end()
        g = m.groupdict()
        if g["iso"]:
            d = _safe_date(int(g["iy"]), int(g["im"]), int(g["id"]))
            out.append(DateMention(span, start, end, "absolute", d, "day", True))
        elif g["dmy"] or g["mdy"]:
            day_s = g["dd"] or g["md"]
            mon_s = g["dm"] or g["mm"]
            year_s = g["dy"] or g["my"]
            day = int(re.sub(r"\D", "", day_s))
            month = MONTHS[mon_s.rstrip(".").lower()]
            if mon_s.rstrip(".").lower() == "may" and g["mdy"] and not year_s:
                # "may 5" is too often the verb ("may 5 people"): lower-case, it is a date
                # only where the verb cannot be, after "on", "by"... or before punctuation
                if not mon_s.startswith("M") and not (
                    _MAY_BEFORE.search(text, 0, start) or _MAY_AFTER.match(text, end)
                ):
                    continue
            if year_s:
                d = _safe_date(int(year_s), month, day)
            else:
                _, d = _closest_year(month, day, ref)
            out.append(DateMention(span, start, end, "absolute", d, "day", bool(year_s)))
        elif g["slash"]:
            a, b = int(g["s1"]), int(g["s2"])
            day, month = (a, b) if dayfirst or b > 12 else (b, a)
            if month > 12:
                day, month = month, day
            d = _safe_date(int(g["sy"]), month, day)
            out.append(DateMention(span, start, end, "absolute", d, "day", True))
        elif g["monyear"]:
            d = dt.date(int(g["myy"]), MONTHS[g["mym"].lower()], 1)
            out.append(DateMention(span, start, end, "month", d, "month", True))
        elif g["rel"]:
            offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["rword"].lower()]
            d = ref + dt.timedelta(days=offset) if ref else None
            out.append(DateMention(span, start, end, "relative", d, "day", False))
        elif g["lastnext"]:
            direction = {"last": -1, "next": 1, "this": 0, "coming": 1}[g["ln"].lower()]
            unit = g["lnu"].lower()
            d, gran = None, "day"
            if unit in _WEEKDAYS:
                if ref:
                    delta = (_WEEKDAYS[unit] - ref.weekday()) % 7
                    if direction < 0:
                        delta = delta - 7 if delta else -7
                    elif direction > 0 and delta == 0:
                        delta = 7
                    d = ref + dt.timedelta(days=delta)
            elif unit == "year":
                gran = "year"
                d = dt.date(ref.year + direction, 1, 1) if ref else None
            elif unit == "month":
                gran = "month"
                if ref:
                    y, mo = divmod(ref.month - 1 + direction, 12)
                    d = dt.date(ref.year + y, mo + 1, 1)
            else:
                gran = "week"
                d = ref + dt.timedelta(days=7 * direction) if ref else None
            out.append(DateMention(span, start, end, "relative", d, gran, False))
        elif g["ago"]:
            n = _count(g["an"])
            days = _UNITS_DAYS[g["au"].lower()] * n
            d = ref - dt.timedelta(days=round(days)) if ref else None
            gran = {"day": "day", "week": "week", "fortnight": "week"}.get(
                g["au"].lower(), g["au"].lower()
            )
            out.append(DateMention(span, start, end, "relative", d, gran, False))
        elif g["wd"]:
            wd = _WEEKDAYS[g["wday"].lower()]
            d = ref - dt.timedelta(days=(ref.weekday() - wd) % 7) if ref else None
            out.append(DateMention(span, start, end, "weekday", d, "day", False))
        elif g["year"]:
            ys = m.start("yy")
            out.append(
                DateMention(
                    g["yy"], ys, m.end("yy"), "year", dt.date(int(g["yy"]), 1, 1), "year", True
                )
            )
    return out


@dataclass(frozen=True)
class DurationMention:
    """An elapsed-time expression such as "22 months" or "nearly two years".

    Attributes
    ----------
    text : str
    start, end : int
    amount : float
        Number of ``unit``.
    unit : {"day", "week", "month", "year"}
    days : float
        Approximate length in days.
    """

    text: str
    start: int
    end: int
    amount: float
    unit: str
    days: float


_DURATION_RE = re.compile(
    r"(?i)\b(?:(?:nearly|almost|about|around|over|more than|some)\s+)?"
    rf"(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|{_WORDNUM})"
    r"(?:\s+and\s+a\s+half)?[\s-]+(?P<u>day|week|month|year|fortnight)s?\b"
)


def find_durations(text: str) -> list[DurationMention]:
    """Find elapsed-time expressions ("22 months", "two years", "a week").

    Examples
    --------
    >>> [(d.amount, d.unit) for d in find_durations("22 months after the invasion, two-year war")]
    [(22.0, 'month'), (2.0, 'year')]
    """
    out = []
    for m in _DURATION_RE.finditer(text or ""):
        n = m.group("n").lower()
        amount = (
            float(n)
            if re.fullmatch(r"\d+(?:\.\d+)?", n)
            else float(_count(n) if n in ("a", "an") else _SMALL.get(n, 1))
        )
        if "and a half" in m.group(0).lower():
            amount += 0.5
        unit = m.group("u").lower()
        days = amount * _UNITS_DAYS[unit]
        if unit == "fortnight":
            unit, amount = "week", amount * 2
        out.append(DurationMention(m.group(0), m.start(), m.end(), amount, unit, days))
    return out
