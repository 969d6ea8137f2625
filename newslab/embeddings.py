"""Static word vectors for short texts (headlines), loaded from local files only.

A headline's vector is the mean of its sub-word token vectors, L2-normalised, so the cosine
of two headlines is high when they use related words ("pot" / "marijuana", "quake" /
"earthquake") even when they share none. The default table is the 256-dimension one shipped
inside the ``wordllama`` wheel (MIT licence; its vectors are distilled from Llama 2 token
embeddings, so the Llama 2 community licence may also apply to them). It is read from the
installed package; nothing is downloaded.

Examples
--------
>>> from newslab.embeddings import load_word_vectors
>>> vec = load_word_vectors()
>>> v = vec(["Pot legalised in Colorado", "Marijuana now legal in Colorado", "Apple unveils iPhone"])
>>> v.shape
(3, 256)
>>> bool(v[0] @ v[1] > v[0] @ v[2])
True
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["WordVectors", "load_word_vectors"]

_WORDLLAMA_WEIGHTS = os.path.join("weights", "l2_supercat_256.safetensors")
_WORDLLAMA_TOKENIZER = os.path.join("tokenizers", "l2_supercat_tokenizer_config.json")


class WordVectors:
    """Embed texts as the normalised mean of their token vectors.

    Parameters
    ----------
    weights : numpy.ndarray
        The token table, one row per token id.
    tokenizer : tokenizers.Tokenizer
        A Hugging Face ``tokenizers`` tokenizer whose ids index ``weights``.
    max_chars : int
        Only the first ``max_chars`` characters of each text are embedded.

    Examples
    --------
    >>> import numpy as np
    >>> from newslab.embeddings import load_word_vectors
    >>> vec = load_word_vectors()
    >>> np.round(np.linalg.norm(vec(["Storm hits the coast", ""]), axis=1), 3).tolist()
    [1.0, 0.0]
    """

    def __init__(self, weights: np.ndarray, tokenizer: object, max_chars: int = 300):
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.tokenizer = tokenizer
        self.max_chars = max_chars

    @property
    def dim(self) -> int:
        """Number of dimensions of each vector."""
        return int(self.weights.shape[1])

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(n, dim)`` float32 array; a text without tokens gets a zero row."""
        texts = [t[: self.max_chars] if isinstance(t, str) else "" for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encoded = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        ids = [e.ids for e in encoded]
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        if lengths.sum() == 0:
            return out
        flat = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=int(lengths.sum()))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        counts = sp.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), flat, indptr),
            shape=(len(ids), self.weights.shape[0]),
        )
        out = np.asarray(counts @ self.weights, dtype=np.float32)  # sums of token vectors
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norm, out=out, where=norm > 0)
        return out

    def __repr__(self) -> str:
        return f"WordVectors(tokens={self.weights.shape[0]}, dim={self.dim})"


@functools.lru_cache(maxsize=4)
def load_word_vectors(path: str | None = None) -> WordVectors:
    """Load the word vectors shipped in the installed ``wordllama`` package (cached).

    Parameters
    ----------
    path : str, optional
        A directory laid out like the ``wordllama`` package (``weights/`` and ``tokenizers/``);
        by default the installed package's own directory.

    Raises
    ------
    ImportError
        When ``wordllama`` (or ``tokenizers``/``safetensors``) is not installed.
    FileNotFoundError
        When the weight or tokenizer file is missing (named in the message).
    """
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - both come with wordllama
        raise ImportError(
            f"word vectors need the 'tokenizers' and 'safetensors' packages ({exc}); "
            "pip install wordllama"
        ) from exc
    if path is None:
        import importlib.util

        spec = importlib.util.find_spec("wordllama")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError(
                "word vectors need the 'wordllama' package (pip install wordllama), or pass "
                "embedding_weight=0 to cluster without them"
            )
        path = list(spec.submodule_search_locations)[0]
    weights_file = os.path.join(path, _WORDLLAMA_WEIGHTS)
    tokenizer_file = os.path.join(path, _WORDLLAMA_TOKENIZER)
    for f in (weights_file, tokenizer_file):
        if not os.path.isfile(f):
            raise FileNotFoundError(f"word-vector file not found: {f}")
    tokenizer = Tokenizer.from_file(tokenizer_file)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tables = load_file(weights_file)
    if "embedding.weight" not in tables:
        raise ValueError(f"{weights_file} has no 'embedding.weight' table: {sorted(tables)}")
    return WordVectors(tables["embedding.weight"], tokenizer)
