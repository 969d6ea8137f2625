"""Language identification of article text (py3langid), with a declared-language fallback.

Examples
--------
>>> detect_language("The government announced a new budget on Tuesday, with more money for schools.")
'en'
>>> detect_language("", declared="fr-FR")
'fr'
"""

from __future__ import annotations

import functools
import re

__all__ = ["detect_language", "normalize_language"]


@functools.lru_cache(maxsize=1)
def _identifier():
    # the model ships inside the py3langid wheel: no download
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalize_language(code: str | None) -> str | None:
    """Reduce a language tag (``en-US``, ``pt_BR``, ``EN``) to its ISO 639-1 part.

    Examples
    --------
    >>> normalize_language("pt_BR"), normalize_language(" EN "), normalize_language("x")
    ('pt', 'en', None)
    """
    if not code:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_].*)?\s*$", str(code))
    return m.group(1).lower() if m else None


def detect_language(
    text: str | None,
    *,
    declared: str | None = None,
    min_chars: int = 40,
    min_probability: float = 0.5,
) -> str | None:
    """Detect the language of ``text``; fall back to ``declared`` when unsure.

    Parameters
    ----------
    text : str
        The article body.
    declared : str, optional
        The language the page declares (``<html lang>``, ``og:locale``...). Used only
        when the text is shorter than ``min_chars`` or the detector is unsure.
    min_chars : int
        Shorter texts are not classified.
    min_probability : float
        Below this probability the declared language (if any) is preferred.

    Returns
    -------
    str or None
        ISO 639-1 code.

    Examples
    --------
    >>> detect_language("Der Bundestag hat am Freitag das neue Gesetz beschlossen.", declared="en")
    'de'
    """
    declared_code = normalize_language(declared)
    sample = (text or "").strip()
    if len(sample) < min_chars:
        return declared_code
    lang, prob = _identifier().classify(sample[:2000])
    if prob < min_probability and declared_code:
        return declared_code
    return str(lang)
