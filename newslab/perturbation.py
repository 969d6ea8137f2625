"""Corrupted copies of a summary, to stress-test faithfulness metrics (FactCC-style).

Kryscinski, McCann, Xiong and Socher ("Evaluating the Factual Consistency of Abstractive
Text Summarization", EMNLP 2020) build unfaithful training pairs by rule-based
transformations of correct text: entity, number and date swaps, pronoun swaps, negation,
noise. :func:`perturb` applies one such change per copy, chosen so that it really changes
a fact with respect to the story's sources:

``number``
    a quantity the sources give is scaled (x0.5, x2, x3, ...) to a value no source gives;
    qualifier, unit and format are kept ("over 70 missiles" -> "over 140 missiles").
``quote``
    a quoted span has two of its content words replaced by other words of the sources
    (one for very short quotes), or, when the speaker is named next to the quote and the
    sources name another person, the speaker is swapped.
``date``
    a calendar date is shifted to a day no source gives (same month when possible, the
    format kept), a month or year moved, or a weekday changed.
``entity``
    a name is swapped with another name of the same type from the sources (person, place,
    organisation, by capitalisation and context heuristics; in lower-cased text only
    persons after a title or before an age are found, and a name the sources give as the
    place holding the original, "atlanta, georgia", is not used: the claim would stay true).
``negation``
    "not" inserted after the first auxiliary verb of a sentence, or an existing negation
    removed ("did not fire" -> "did fire", "wasn't" -> "was").

Each copy is independent and changes exactly one span. A kind that is impossible for a text
(no number, no quote...) gives no row; the reason is in ``df.attrs["skipped"]``.

Examples
--------
>>> src = pd.DataFrame({"text": ["Russia fired 122 missiles at Kyiv, Ukraine said."]})
>>> out = perturb("Russia fired 122 missiles; Kyiv was hit.", src, kinds=("number", "negation"))
>>> out[["kind", "text"]].values.tolist()
[['number', 'Russia fired 30 missiles; Kyiv was hit.'], ['negation', 'Russia fired 122 missiles; Kyiv was not hit.']]
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from newslab.text import MONTHS, find_dates, find_numbers, is_preamble, sentence_spans

__all__ = ["PERTURBATION_KINDS", "PERTURB_COLUMNS", "REPORTED_AS", "find_names", "perturb"]

PERTURBATION_KINDS: tuple[str, ...] = ("number", "quote", "date", "entity", "negation")
PERTURB_COLUMNS = ["kind", "text", "original", "replacement", "start", "end", "sentence", "detail"]
#: The finding kinds (:func:`newslab.scores.score_summary`) that report each corruption kind.
REPORTED_AS: dict[str, frozenset[str]] = {
    "number": frozenset({"number"}),
    "quote": frozenset({"quote", "attribution"}),
    "date": frozenset({"date", "time_inconsistency"}),
    "entity": frozenset({"unsupported_claim", "attribution"}),
    "negation": frozenset({"unsupported_claim"}),
}

_FACTORS = (2.0, 0.5, 3.0, 1.5, 4.0, 0.25, 10.0, 5.0)
_STOP = frozenset(
    "a an the and or but of to in on at by for with from as is was are were be been being has "
    "have had do does did will would can could should may might must not no it its it's this "
    "that these those he she they we you i his her their our your my me him them us who whom "
    "which what when where why how than then there here so if said says say told also just very "
    "more most some any all about into over after before up out off only".split()
)
_TITLES = (
    r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Prof|St)\.?|President|Prime Minister|"
    r"Minister|Secretary|Chancellor|Mayor|Governor|Judge|Justice|Chief|Commander|Senator|"
    r"spokesman|spokeswoman|spokesperson|Pope|King|Queen|Prince|Princess|Sheikh|Ambassador|"
    r"Director|CEO|coach|officer|sheriff|attorney|lawyer|Deputy|General"
)
_DEMONYMS_I = frozenset(
    "Israeli Iraqi Pakistani Saudi Yemeni Kuwaiti Qatari Omani Emirati Somali Bangladeshi "
    "Afghani Nepali Azerbaijani Bahraini Thai Icelandic Arabic Hispanic Nordic Slavic".split()
)
_PLACE_WORDS = frozenset(
    "sea ocean gulf bay strait river lake island islands peninsula mountain mountains valley "
    "province prefecture region county district airport port canal desert coast".split()
)
# capitalised words that are no name of a person, place or organisation
_NOT_ENTITIES = frozenset("GMT UTC EST EDT PST PDT CET CEST BST AM PM TV".split())
_ORG_WORDS = frozenset(
    "ministry agency party council university inc corp corporation company co ltd group news "
    "times post press guard force forces army navy department association committee commission "
    "bank court police office service services union airlines airways administration fund "
    "institute organization organisation foundation network bureau federation parliament "
    "congress senate assembly school college hospital church club team board authority".split()
)
_NOT_NAMES = frozenset(
    [w.capitalize() for w in MONTHS]
    + "Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An In On At But And Or "
    "If When While After Before As For From To By With Last Next This That These Those It Its "
    "He She They We I His Her Their Our Mr Mrs Ms Dr Some Many Most More Several Other Another "
    "According Under Over One Two Three Four Five Six Seven Eight Nine Ten Meanwhile However "
    "Still Also Yet Then There Here Earlier Later Since Despite Although Though Officials "
    "Authorities Police President Prime Minister Mayor Governor Senator Judge Justice Gen Sen "
    "Rep Gov Dr Chancellor Secretary King Queen Pope Commander Chief Ambassador Foreign Defence "
    "Major Colonel Captain Sergeant Lieutenant Brigadier Admiral Corporal Private "
    "Defense Interior Deputy Former Vice Lt Col Capt Sgt Prof Spokesman Spokeswoman".split()
)
_AUX = re.compile(
    r"\b(is|was|are|were|has|have|had|will|would|can|could|should|did|does|do|must|may|might)\b"
    r"(?!\s+(?:not|n['’]t|never)\b)",
)
_NEG = re.compile(r"\b(\w+)\s+(not|never)\b|\b(\w+?)(n['’]t)\b", re.I)
_CANNOT = re.compile(r"\bcannot\b", re.I)


def _rng(seed: int, kind: str) -> np.random.Generator:
    # one stream per kind, so asking for fewer kinds does not change the others
    return np.random.default_rng([seed, zlib.crc32(kind.encode())])


def _quoted(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of each quotation."""
    out = []
    for m in re.finditer(r"“([^”]{3,600})”|\"([^\"]{3,600})\"", text):
        g = 1 if m.group(1) is not None else 2
        out.append((m.start(g), m.end(g)))
    return out


def _inside(pos: int, ranges) -> bool:
    return any(s <= pos < e for s, e in ranges)


def _sentence_index(pos: int, spans) -> int:
    for i, (s, e, _) in enumerate(spans):
        if s <= pos < e:
            return i
    return -1


def _source_text(story_df: pd.DataFrame) -> list[str]:
    if not isinstance(story_df, pd.DataFrame):
        raise TypeError(f"story_df must be a DataFrame, not {type(story_df).__name__}")
    if "text" not in story_df.columns:
        raise ValueError("story_df has no 'text' column")
    return [t for t in story_df["text"] if isinstance(t, str) and t.strip()]


# ---------------------------------------------------------------- numbers


def _format_like(raw: str, value: float) -> str:
    if "." in raw and not float(value).is_integer():
        decimals = len(raw.split(".")[1])
        return f"{value:,.{decimals}f}" if "," in raw else f"{value:.{decimals}f}"
    value = int(round(value))
    return f"{value:,}" if "," in raw or value >= 10000 else str(value)


def _number(text, sources, rng, spans, quoted, strict=False):
    source_values = {m.value for t in sources for m in find_numbers(t)}
    source_values |= {m.value for t in sources for m in find_numbers(t, include_years=True)}
    cands = []
    for m in find_numbers(text):
        if m.qualifier == "vague" or _inside(m.start, quoted):
            continue
        digits = re.search(r"\d[\d,]*(?:\.\d+)?", m.text)
        if digits:
            raw = digits.group(0)
            base = float(raw.replace(",", ""))
            scale = m.value / base if base else 1.0
            d0 = m.start + digits.start()
        else:  # number word ("fourteen"): replaced by digits
            word = re.search(r"[A-Za-z][\w-]*(?:\s+(?:hundred|thousand|million|billion))?$", m.text)
            if not word:
                continue
            raw, base, scale, d0 = m.text[word.start() :], m.value, 1.0, m.start + word.start()
        cands.append((m, raw, base, scale, d0, m.value in source_values))
    if not cands:
        return None, "no number in the summary"
    supported = [c for c in cands if c[5]] or ([] if strict else cands)
    if not supported:
        return None, "no number in the summary that a source gives"
    m, raw, base, scale, d0, _ = supported[rng.integers(len(supported))]
    for f in rng.permutation(_FACTORS):
        new = base * f
        if not re.search(r"\.\d", raw):
            new = float(round(new))
        if new <= 0 or math.isclose(new, base) or new * scale in source_values:
            continue
        if new * scale in {x.value for x in find_numbers(text)}:
            continue
        rep = _format_like(raw if raw[0].isdigit() else "0", new)
        return (d0, d0 + len(raw), rep, f"{m.text!r} scaled x{f:g}"), None
    return None, "no scaled value free of the sources"


# ---------------------------------------------------------------- quotes

_SAID = r"(?:said|says|told|added|wrote|according to)"


def _persons(texts: list[str]) -> Counter:
    out: Counter = Counter()
    for t in texts:
        for name, _ in _entities(t):
            if _type_of(name, t) == "person":
                out[name] += 1
    return out


def _quote(text, sources, rng, spans, quoted):
    if not quoted:
        return None, "no quotation in the summary"
    source_words = sorted(
        {w for t in sources for w in re.findall(r"[A-Za-z]{4,}", t) if w.lower() not in _STOP}
    )
    qs, qe = quoted[rng.integers(len(quoted))]
    # speaker swap when a named speaker is attached to the quote ("...,” said X" / "X said: “...")
    name = r"((?:[A-Z][a-z’'-]+\s+)*[A-Z][a-z’'-]+)"
    verb = r"(?:said|says|told\s+\w+|added|wrote|according\s+to)"
    after = re.match(rf"[”\"]?,?\s+{verb}\s+(?:(?:{_TITLES})\s+)?{name}", text[qe:])
    before = re.search(rf"{name},?\s+{verb}[:,]?\s*[“\"]$", text[max(0, qs - 120) : qs])
    speakers = []
    if after:
        speakers.append((qe + after.start(1), qe + after.end(1), after.group(1)))
    elif before:
        off = max(0, qs - 120)
        speakers.append((off + before.start(1), off + before.end(1), before.group(1)))
    speakers = [sp for sp in speakers if sp[2].split()[0] not in _NOT_NAMES]
    if speakers and rng.random() < 0.5:
        s, e, who = speakers[0]
        others = [
            p for p in _persons(sources) if p not in text and not set(p.split()) & set(who.split())
        ]
        if others:
            new = sorted(others)[rng.integers(len(others))]
            return (s, e, new, f"speaker {who!r} swapped"), None
    inside = text[qs:qe]
    words = [
        (qs + m.start(), qs + m.end(), m.group(0))
        for m in re.finditer(r"[A-Za-z]{3,}", inside)
        if m.group(0).lower() not in _STOP
    ]
    if not words:
        return None, "no content word in the quotations"
    n = 1 if len(words) < 4 else 2
    pick = sorted(rng.choice(len(words), size=n, replace=False))
    quote_words = {w.lower() for _, _, w in words}
    pool = [w for w in source_words if w.lower() not in quote_words] or ["nothing", "everyone"]
    pieces, last, changed = [], qs, []
    for k in pick:
        s, e, w = words[k]
        new = pool[rng.integers(len(pool))]
        new = new.lower() if w.islower() else new.capitalize() if w[0].isupper() else new
        pieces += [text[last:s], new]
        changed.append(f"{w}->{new}")
        last = e
    pieces.append(text[last:qe])
    return (qs, qe, "".join(pieces), "quote words changed: " + ", ".join(changed)), None


# ---------------------------------------------------------------- dates

_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _date(text, sources, rng, spans, quoted, published=None, strict=False):
    # what the sources give, read without datelines (a day without a year counts for any year)
    src_days, src_years, src_months = set(), set(), set()
    for t in sources:
        src_years |= {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", t)}
        for m in find_dates(t, reference=dt.date(2000, 7, 1)):
            if m.date is None or m.kind in ("relative", "weekday"):
                continue
            if m.granularity == "day":
                src_days.add((m.date.month, m.date.day))
            if m.granularity in ("month", "day"):
                src_months.add(m.date.month)
    src_weekdays = {w.lower() for t in sources for w in re.findall(r"(?i)\b\w+day\b", t)}
    cands = [
        m
        for m in find_dates(text, reference=published or dt.date(2000, 7, 1))
        if m.kind in ("absolute", "month", "year", "weekday") and not _inside(m.start, quoted)
    ]
    if not cands:
        return None, "no date in the summary"

    def supported(m) -> bool:
        """Whether the sources give this time: corrupting it then really changes a fact."""
        d = m.date
        if m.kind == "absolute":
            return d is not None and (d.month, d.day) in src_days
        if m.kind == "month":
            return d.month in src_months
        if m.kind == "year":
            return d.year in src_years
        return any(w in m.text.lower() for w in src_weekdays)

    order = [cands[i] for i in rng.permutation(len(cands))]
    if strict:
        order = [m for m in order if supported(m)]
        if not order:
            return None, "no date in the summary that a source gives"
    order.sort(
        key=lambda m: (
            not supported(m),
            {"absolute": 0, "month": 1, "year": 2, "weekday": 3}[m.kind],
        )
    )
    for m in order:
        if m.kind == "absolute":
            day = re.search(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)", m.text)
            month = MONTHS.get(
                (re.search(r"[A-Za-z]+", m.text) or re.search("", "")).group(0).lower().rstrip("."),
                None,
            )
            if m.text[:4].isdigit():  # ISO date: shift the day field
                day = re.search(r"-(\d\d)$", m.text)
            if not day:
                continue
            d = int(day.group(1))
            month = month or (m.date.month if m.date else None)
            for shift in rng.permutation([1, -1, 2, -2, 3, -3, 5, -5, 7, -7]):
                nd = d + int(shift)
                if not 1 <= nd <= 28 or (month, nd) in src_days:
                    continue
                raw = day.group(1)
                rep = (
                    f"{nd:02d}"
                    if len(raw) == 2 and raw.startswith("0") or m.text[:4].isdigit()
                    else str(nd)
                )
                s = m.start + day.start(1)
                return (s, s + len(raw), rep, f"{m.text!r} shifted {int(shift):+d} days"), None
        elif m.kind == "month":
            mon = re.match(r"[A-Za-z]+", m.text)
            cur = MONTHS[mon.group(0).lower()]
            for shift in rng.permutation([2, -2, 3, -3, 4, -4, 5, -5]):
                new = (cur - 1 + int(shift)) % 12 + 1
                if new in src_months:
                    continue
                name = _MONTH_NAMES[new - 1]
                return (m.start, m.start + mon.end(), name, f"{m.text!r} moved to {name}"), None
        elif m.kind == "year":
            y = int(m.text)
            for shift in rng.permutation([1, -1, 2, -2, 3, -3]):
                if y + int(shift) not in src_years:
                    return (m.start, m.end, str(y + int(shift)), f"year {y} -> {y + shift}"), None
        else:
            wd = re.search(r"(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day", m.text, re.I)
            names = [
                w
                for w in _WEEKDAYS
                if w.lower() != wd.group(0).lower() and w.lower() not in src_weekdays
            ]
            if not names:
                continue
            new = names[rng.integers(len(names))]
            new = new.lower() if wd.group(0).islower() else new
            s = m.start + wd.start()
            return (s, s + len(wd.group(0)), new, f"weekday {wd.group(0)} -> {new}"), None
    return None, "no date could be moved to a value free of the sources"


# ---------------------------------------------------------------- entities

_CAP = r"(?:[A-Z][a-z’'-]+|[A-Z]{2,}|[A-Z]\.)"
_ENTITY_RE = re.compile(rf"{_CAP}(?:[ ]+(?:(?:of|de|von|van|al|bin|the)[ ]+)?{_CAP})*")
# lower-cased text (Multi-News): unambiguous titles, or "first last, 25," (a name and an age)
_LOWER_TITLES = (
    r"(?:mr|mrs|ms|dr|sen|rep|gov|lt|sgt|capt|det|prof)\.|president|senator|governor|mayor|"
    r"judge|sheriff|prime minister|lieutenant|cmdr\.|officer|detective|deputy"
)
_LOWER_PERSON = re.compile(
    rf"\b(?:{_LOWER_TITLES})[ ]+([a-z][a-z’'-]+(?:[ ][a-z][a-z’'-]+)?)\b|"
    r"\b([a-z][a-z’'-]+[ ][a-z][a-z’'-]+),[ ]\d{1,2},"
)


def _plausible_lower_name(name: str) -> bool:
    words = name.split()
    return len(name) >= 4 and not any(
        w in _STOP
        or w in _NON_NAMES
        or len(w) < 3
        or re.search(r"['’]s?$", w)
        or (len(w) > 4 and re.search(r"(ed|ing|ly)$", w))
        for w in words
    )


def _entities(text: str) -> list[tuple[str, int]]:
    out = []
    lowercase = not re.search(r"[A-Z]", text)
    if lowercase:
        for m in _LOWER_PERSON.finditer(text):
            g = 1 if m.group(1) else 2
            name = m.group(g)
            if _plausible_lower_name(name):
                out.append((name, m.start(g)))
        return out
    for m in _ENTITY_RE.finditer(text):
        name, start = m.group(0), m.start()
        toks = name.split()
        while toks and (
            toks[0] in _NOT_NAMES
            or toks[0].rstrip(".") in _NOT_NAMES
            or re.sub(r"['’]s$", "", toks[0]) in _NOT_NAMES  # "Friday's"
        ):
            start += text[start:].index(toks[0]) + len(toks[0])
            start += len(text[start:]) - len(text[start:].lstrip())
            toks = toks[1:]
        while toks and toks[-1].lower() in ("of", "de", "von", "van", "al", "bin", "the"):
            toks = toks[:-1]
        if not toks:
            continue
        name = text[start : start + len(" ".join(toks))]
        if name != " ".join(toks) or len(name) < 3:
            continue
        dateline = name.isupper() and (
            len(name) > 5 or (text[start + len(name) : start + len(name) + 1] == "," and start == 0)
        )
        if name in _NOT_ENTITIES or dateline:
            continue  # "GMT"; a dateline ("REYKJAVIK", "SANAA, Jan 12") is no name to swap
        out.append((name, start))
    return out


def _type_of(name: str, context: str) -> str:
    if not re.search(r"[A-Z]", name):
        return "person"  # lower-cased text: only persons are found
    toks = name.split()
    if toks[-1].lower() in ("flight", "flights"):
        return "other"  # "Alaska Airlines Flight 1282": a designation, not a place
    if toks[-1].lower().rstrip(".") in _ORG_WORDS or re.fullmatch(r"[A-Z]{2,}", name):
        return "org"
    if toks[-1].lower() in _PLACE_WORDS:
        return "place"  # "Red Sea", "Noto Peninsula"
    if re.search(r"['’]s\b", name):
        return "other"  # "Japan's Noto": a phrase, not one name
    if len(toks) == 1 and (
        re.search(r"(?:ian|ese|ish)$", name) and len(name) >= 6 or name in _DEMONYMS_I
    ):
        return "other"  # "Russian", "Japanese", "Israeli": an adjective, not a name"
    esc = re.escape(name)
    if re.search(rf"(?:{_TITLES})\s+{esc}\b", context):
        return "person"
    # "officials in Japan said": the preposition makes a place, whatever the place then says
    if re.search(rf"\b(?:in|at|from|near|into|across|to)\s+{esc}\b", context):
        return "place"
    if re.search(rf"\b{esc},?\s+{_SAID}\b|according to {esc}\b", context):
        return "person"
    if len(toks) >= 2 and all(re.fullmatch(r"[A-Z][a-z’'-]+", t) for t in toks):
        return "person"
    return "other"


_STATES = (
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon "
    "pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming "
    "new_hampshire new_jersey new_mexico new_york north_carolina north_dakota rhode_island "
    "south_carolina south_dakota west_virginia canada mexico france germany italy spain "
    "britain england ireland scotland russia ukraine china japan india australia israel iran "
    "iraq syria egypt brazil belgium tonga"
).split()
_STATES = [st.replace("_", " ") for st in _STATES]
_NON_NAMES = frozenset(
    "office police department officials authorities spokesman spokeswoman spokesperson "
    "statement report reports company court agency family people officers investigators "
    "prosecutors witnesses neighbors sources source campaign government officer lawyer "
    "attorney sheriff's county city state network magazine paper newspaper site website "
    "scientist scientists science guard parents parent lieutenant cmdr expert experts "
    "researchers doctor doctors teacher mother father wife husband friend sister brother "
    "daughter son official student students owner manager new one two three agent agents "
    "driver drivers coach rep defendant defendants later hopes lane street road avenue "
    "boulevard drive island south north east west city town village neighbor neighbors "
    "witness victim victims suspect suspects worker workers employee employees".split()
)
_STATE_RE = "|".join(sorted(_STATES, key=len, reverse=True))


def _lower_pool(sources: list[str]) -> dict[str, str]:
    """Names in lower-cased sources, by pattern: name -> "person" or "place"."""
    pool: dict[str, str] = {}
    said = re.compile(r"\b([a-z][a-z’'-]+ [a-z][a-z’'-]+),? (?:said|says|told|tells)\b")
    city = re.compile(
        rf"\b(?:in|at|from|near|of) ([a-z][a-z.’'-]+(?: [a-z][a-z’'-]+)?), (?:{_STATE_RE})\b"
    )
    for t in sources:
        for m in re.finditer(rf"\b(?:{_STATE_RE})\b", t):
            pool.setdefault(m.group(0), "place")
        for m in city.finditer(t):
            name = m.group(1)
            part_of_state = any(re.search(rf"\b{re.escape(name)}\b", st) for st in _STATES)
            if _plausible_lower_name(name) and not part_of_state:
                pool.setdefault(name, "place")
        for name, _ in _entities(t):
            if _plausible_lower_name(name):
                pool[name] = "person"
        for m in said.finditer(t):
            name = m.group(1)
            if _plausible_lower_name(name) and not set(name.split()) & _NON_NAMES:
                pool[name] = "person"
    # last names stand for their persons ("levine" for "adam levine")
    for name, kind in list(pool.items()):
        parts = name.split()
        if kind == "person" and len(parts) == 2 and len(parts[1]) >= 4 and parts[1] not in pool:
            pool[parts[1]] = "surname"
    return pool


def _contains(outer: str, name: str, sources: list[str]) -> bool:
    """Whether the sources give ``outer`` as the place that holds ``name`` ("atlanta,
    georgia"): a swap to it would still be true, not a corruption."""
    rx = re.compile(rf"\b{re.escape(name.lower())},\s+{re.escape(outer.lower())}\b")
    return any(rx.search(t.lower()) for t in sources)


def _lower_entity(text, sources, rng, quoted):
    pool = _lower_pool(sources)
    low = text.lower()
    found, taken = [], []
    for name in sorted(pool, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(name)}\b", low):
            if _inside(m.start(), quoted) or any(s < m.end() and m.start() < e for s, e in taken):
                continue
            found.append((m.start(), m.end(), name, pool[name]))
            taken.append((m.start(), m.end()))
    if not found:
        return None, "no name in the summary"
    for k in rng.permutation(len(found)):
        s, e, name, kind = found[int(k)]
        toks = set(name.split())
        alts = sorted(
            n
            for n, t in pool.items()
            if t == kind
            and not toks & set(n.split())
            and not re.search(rf"\b{re.escape(n)}\b", low)
            and not _contains(n, name, sources)
        )
        if alts:
            new = alts[rng.integers(len(alts))]
            orig = text[s:e]
            if orig[:1].isupper():
                new = " ".join(w.capitalize() for w in new.split())
            return (s, e, new, f"{kind} {orig!r} -> {new!r}"), None
    return None, "no other name of the same type in the sources"


def _named_together(a: str, b: str, sentences: Sequence[str]) -> bool:
    """Two places the sources name in the same sentence at least twice ("Taipei" and
    "Taiwan"): one may stand for the other, so swapping them changes no fact for sure."""
    ra = re.compile(rf"\b{re.escape(a)}\b", re.I)
    rb = re.compile(rf"\b{re.escape(b)}\b", re.I)
    return sum(bool(ra.search(x) and rb.search(x)) for x in sentences) >= 2


def _entity(text, sources, rng, spans, quoted, strict=False):
    context = " ".join(sources)
    if not re.search(r"[A-Z]", context):  # lower-cased sources (Multi-News)
        return _lower_entity(text, sources, rng, quoted)
    # a framing line ("Here is the latest on X.") is no claim: its names are left alone
    ents = [
        (n, s)
        for n, s in _entities(text)
        if not _inside(s, quoted) and not is_preamble(spans[_sentence_index(s, spans)][2])
    ]
    if not ents:
        return None, "no name in the summary outside framing lines"
    lower_ctx = context.lower()
    pool: dict[str, set[str]] = {}
    for t in sources:
        for n, _ in _entities(t):
            pool.setdefault(_type_of(n, context), set()).add(n)
    supported = [(n, s) for n, s in ents if n.lower() in lower_ctx] or ([] if strict else ents)
    if not supported:
        return None, "no name in the summary that the sources use"
    order = [supported[int(i)] for i in rng.permutation(len(supported))]
    typed = [(n, s, _type_of(n, context + " " + text)) for n, s in order]
    # a person for a person, a place for a place, an organisation for an organisation; words
    # of no known type ("Russian", "Wajima's") make no meaningful swap
    typed = [t for t in typed if t[2] != "other"]
    sentences = None
    for name, start, kind in typed:
        toks = {t.lower() for t in name.split()}
        alts = sorted(
            n
            for n in pool.get(kind, ())
            if n.lower() not in text.lower()
            and not toks & {t.lower() for t in n.split()}
            and n.lower() not in name.lower()
        )
        if kind == "place":
            if sentences is None:
                sentences = [x for t in sources for _s, _e, x in sentence_spans(t)]
            alts = [n for n in alts if not _named_together(name, n, sentences)]
        if alts:
            new = alts[rng.integers(len(alts))]
            if name[0].isupper() and new.islower():  # a name from lower-cased sources
                new = " ".join(w.capitalize() for w in new.split())
            return (start, start + len(name), new, f"{kind} {name!r} -> {new!r}"), None
    return None, "no other name of the same type in the sources"


# ---------------------------------------------------------------- negation


def _negation(text, sources, rng, spans, quoted):
    cands = []
    for m in _NEG.finditer(text):
        if _inside(m.start(), quoted):
            continue
        if m.group(2):  # "did not" -> "did"
            s = m.start(2) - 1
            cands.append((s, m.end(2), "", f"removed '{m.group(2)}'"))
        elif m.group(3).lower() in ("did", "does", "do", "was", "were", "is", "are", "has",
                                    "have", "had", "could", "would", "should", "wo", "ca"):  # fmt: skip
            base = {"wo": "will", "ca": "can"}.get(m.group(3).lower(), m.group(3))
            cands.append((m.start(3), m.end(4), base, f"removed '{m.group(4)}'"))
    for m in _CANNOT.finditer(text):
        if not _inside(m.start(), quoted):
            cands.append((m.start(), m.end(), "can", "removed 'not' of 'cannot'"))
    for m in _AUX.finditer(text):
        if _inside(m.start(), quoted):
            continue
        cands.append((m.end(), m.end(), " not", f"inserted 'not' after '{m.group(1)}'"))
    # a framing line ("Here is what we know") is no claim
    cands = [c for c in cands if not is_preamble(spans[_sentence_index(c[0], spans)][2])]
    if not cands:
        return None, "no auxiliary verb or negation to flip"
    # the earliest sentence that has a candidate; random among its candidates
    first = min(_sentence_index(c[0], spans) for c in cands)
    pool = [c for c in cands if _sentence_index(c[0], spans) == first] or cands
    s, e, rep, detail = pool[rng.integers(len(pool))]
    return (s, e, rep, detail), None


def find_names(text: str, sources: Sequence[str] = ()) -> list[tuple[str, int, int, str]]:
    """Names (people, places, organisations) in ``text``, by the heuristics of the entity swap.

    In cased text: runs of capitalised words, typed by context (a title or "said" makes a
    person, "in/at/from" a place, "Ministry/Agency/..." or an acronym an organisation, else
    "other"). In lower-cased text (such as Multi-News), the names that ``sources`` give by
    pattern (after a title, before an age, before "said", a US state or country, a city
    before a state) are looked up, and a surname stands for its person (type "surname").

    Parameters
    ----------
    text : str
    sources : sequence of str
        Texts that give context for typing the names (and the name list in lower-cased text).

    Returns
    -------
    list of (name, start, end, type)

    Examples
    --------
    >>> find_names("Mayor Vitali Klitschko said Kyiv was hit.", ["Strikes hit homes in Kyiv."])
    [('Vitali Klitschko', 6, 22, 'person'), ('Kyiv', 28, 32, 'place')]
    >>> find_names("officials say ullestad, 25, died.", ["benjamin ullestad, 25, was found"])
    [('ullestad', 14, 22, 'surname')]
    """
    context = " ".join(sources)
    if not re.search(r"[A-Z]", text) or (context and not re.search(r"[A-Z]", context)):
        pool = _lower_pool(list(sources) or [text])
        low, out, taken = text.lower(), [], []
        for name in sorted(pool, key=len, reverse=True):
            for m in re.finditer(rf"\b{re.escape(name)}\b", low):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                out.append((text[m.start() : m.end()], m.start(), m.end(), pool[name]))
                taken.append((m.start(), m.end()))
        return sorted(out, key=lambda t: t[1])
    return [(n, st, st + len(n), _type_of(n, context + " " + text)) for n, st in _entities(text)]


_MAKERS = {
    "number": _number,
    "quote": _quote,
    "date": _date,
    "entity": _entity,
    "negation": _negation,
}


def perturb(
    summary_text: str,
    story_df: pd.DataFrame,
    kinds=PERTURBATION_KINDS,
    seed: int = 0,
    *,
    published=None,
    supported_only: bool = True,
) -> pd.DataFrame:
    """Make corrupted copies of a summary, one per kind of factual error.

    Parameters
    ----------
    summary_text : str
        The (presumed faithful) summary.
    story_df : DataFrame
        The story's articles (``text`` column); replacements are chosen so that no source
        supports them (a scaled number no source gives, a name of the sources that the
        summary does not use, a day no source gives).
    kinds : iterable of str
        Any of ``"number", "quote", "date", "entity", "negation"``.
    seed : int
        Random seed; the same seed gives the same copies.
    published : date-like, optional
        The summary's dateline, used to read dates without a year.
    supported_only : bool
        Corrupt only numbers, dates and names that a source gives (as FactCC corrupts claims
        the source entails): changing a figure that was already wrong into another wrong
        figure does not make a summary less faithful, so no metric can be expected to
        notice. A kind with no such spot is skipped, with the reason. ``False`` falls back
        to any spot of the kind.

    Returns
    -------
    DataFrame
        One row per corrupted copy: ``kind``, ``text`` (the corrupted summary),
        ``original`` and ``replacement`` (the changed span before and after), ``start`` and
        ``end`` (offsets of ``original`` in ``summary_text``), ``sentence`` (its index) and
        ``detail``. ``attrs["skipped"]`` maps each kind that gave no copy to the reason.

    Raises
    ------
    ValueError
        For an unknown kind, an empty summary, or sources without a ``text`` column.

    Examples
    --------
    >>> src = pd.DataFrame({"text": ["Strikes hit homes in Kyiv, and a school in Lviv."]})
    >>> out = perturb("Strikes hit homes in Kyiv.", src, kinds=("entity", "date"))
    >>> out.text.tolist(), out.attrs["skipped"]
    (['Strikes hit homes in Lviv.'], {'date': 'no date in the summary'})
    """
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in _MAKERS]
    if bad:
        raise ValueError(f"unknown perturbation kind(s) {bad}; choose from {PERTURBATION_KINDS}")
    if not isinstance(summary_text, str) or not summary_text.strip():
        raise ValueError("cannot perturb an empty summary")
    sources = _source_text(story_df)
    spans = sentence_spans(summary_text)
    quoted = _quoted(summary_text)
    rows, skipped = [], {}
    for kind in kinds:
        rng = _rng(seed, kind)
        maker = _MAKERS[kind]
        extra = {"strict": supported_only} if kind in ("number", "date", "entity") else {}
        if kind == "date":
            extra["published"] = published
        change, why = maker(summary_text, sources, rng, spans, quoted, **extra)
        if change is None:
            skipped[kind] = why
            continue
        s, e, rep, detail = change
        new_text = summary_text[:s] + rep + summary_text[e:]
        if new_text == summary_text:
            skipped[kind] = "the change left the text unchanged"
            continue
        rows.append(
            {
                "kind": kind,
                "text": new_text,
                "original": summary_text[s:e],
                "replacement": rep,
                "start": s,
                "end": e,
                "sentence": _sentence_index(s if s < len(summary_text) else s - 1, spans),
                "detail": detail,
            }
        )
    out = pd.DataFrame(rows, columns=PERTURB_COLUMNS)
    out = out.astype({"start": "int64", "end": "int64", "sentence": "int64"})
    out.attrs["skipped"] = skipped
    return out
