"""The candidate set: every rankable emoji, with what the scoring formula needs of it.

For each candidate: its id (the emoji string), the name text it was
embedded from, its unit answer embedding, the unit text vector and word
vector of its name, the weights of its content and word scores, its head
column (over the training emojis' head scores), its bias and its sentiment
log-odds. Fitting fills
it with the training emojis; :meth:`CandidateSet.extend` only appends,
imputing the head columns and biases of new emojis from their embeddings.
"""

import numpy as np
from scipy.special import logsumexp

from ..datasets._popularity import emoji_popularity
from ._scoring import neighbour_weights


def _half(x):
    """float32 values rounded to float16 precision: what a saved candidate set keeps, so a
    loaded ranker scores exactly as the one saved (cosines move by ~1e-3)."""
    return np.asarray(x, dtype=np.float16).astype(np.float32)


class CandidateSet:
    """Arrays describing the candidates, in ``classes_`` order.

    Parameters
    ----------
    emojis, names : ndarray of shape (n,), object
    embeddings : ndarray of shape (n, embedding_dim), float32
        Unit answer embeddings.
    text_vectors : ndarray of shape (n, n_text), float32
        Unit text vectors of the names (``n_text`` is 0 where the ranker has
        none: sequence towers, numeric features).
    head : ndarray of shape (n, n_head), float32
        Weights of each candidate's score over the head's scores.
    bias : ndarray of shape (n,), float32
    content : ndarray of shape (n,), float32, default=None
        Weight of each candidate's content score (cosine / temperature);
        ones if None.
    word_vectors : ndarray of shape (n, n_word_dims), float32, default=None
        Unit word vectors of the names; (n, 0) if None (no word vectors).
    word_weight : ndarray of shape (n,), float32, default=None
        Weight of each candidate's word-vector score; ones if None.
    sentiment : ndarray of shape (n,), float32, default=None
        Each candidate's sentiment log-odds (``o_e`` of the sentiment term;
        see ``_sentiment.fill_sentiment``); NaN (not set yet) if None.
    """

    def __init__(self, emojis, names, embeddings, text_vectors, head, bias, content=None,
                 word_vectors=None, word_weight=None, sentiment=None):
        self.emojis = np.asarray(emojis, dtype=object)
        self.names = np.asarray(names, dtype=object)
        self.embeddings = _half(embeddings)
        self.text_vectors = _half(text_vectors)
        self.word_vectors = _half(np.zeros((len(self.emojis), 0)) if word_vectors is None
                                  else word_vectors)
        self.head = np.asarray(head, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.content = (np.ones(len(self.emojis), np.float32) if content is None
                        else np.asarray(content, dtype=np.float32))
        self.word_weight = (np.ones(len(self.emojis), np.float32) if word_weight is None
                            else np.asarray(word_weight, dtype=np.float32))
        self.sentiment = (np.full(len(self.emojis), np.nan, np.float32) if sentiment is None
                          else np.asarray(sentiment, dtype=np.float32))

    def state(self):
        """The arrays, the wide ones in float16 (a whole catalog's are most of a file's size)."""
        return {"emojis": self.emojis, "names": self.names,
                "embeddings": self.embeddings.astype(np.float16),
                "text_vectors": self.text_vectors.astype(np.float16),
                "word_vectors": self.word_vectors.astype(np.float16), "head": self.head,
                "bias": self.bias, "content": self.content, "word_weight": self.word_weight,
                "sentiment": self.sentiment}

    def __len__(self):
        return len(self.emojis)

    def extend(self, emojis, names, embeddings, text_vectors, word_vectors, head, bias):
        """Append candidates (in place)."""
        self.emojis = np.concatenate([self.emojis, np.asarray(emojis, dtype=object)])
        self.names = np.concatenate([self.names, np.asarray(names, dtype=object)])
        self.embeddings = np.concatenate([self.embeddings, _half(embeddings)])
        self.text_vectors = np.concatenate([self.text_vectors, _half(text_vectors)])
        self.word_vectors = np.concatenate([self.word_vectors, _half(word_vectors)])
        self.head = np.concatenate([self.head, head]).astype(np.float32)
        self.bias = np.concatenate([self.bias, bias]).astype(np.float32)
        self.content = np.concatenate([self.content, np.ones(len(emojis), np.float32)])
        self.word_weight = np.concatenate([self.word_weight, np.ones(len(emojis), np.float32)])
        self.sentiment = np.concatenate([self.sentiment, np.full(len(emojis), np.nan, np.float32)])


def impute(embeddings, head_embeddings, *, w_borrow, temperature):
    """Head columns of emojis without a head score: ``w_borrow`` x softmax over look-alikes."""
    return w_borrow * neighbour_weights(embeddings, head_embeddings, temperature)


def imputed_bias(b_imputed, n_imputed, n_imputed_in_fit):
    """The bias of each imputed emoji: the fitted one, lowered once they outnumber the fit's.

    In the simulated zero-shot, ``n_imputed_in_fit`` emojis shared the
    bias ``b_imputed``; more of them split that prior mass between them.
    """
    return np.float32(b_imputed - np.log(max(1.0, n_imputed / max(n_imputed_in_fit, 1))))


def popularity_weight(classes, counts, headed):
    """``w_popularity``: how much an imputed emoji's bias follows its popularity.

    The least-squares slope of the log number of pairs of the headed emojis
    on their popularity (:func:`emoji_popularity`), clipped to 0 to ln 10
    (one Zipf unit is ten times the uses); 0 when fewer than 3 headed emojis
    have a known popularity.
    """
    popularity = emoji_popularity(classes)
    rows = headed & np.isfinite(popularity)
    if rows.sum() < 3 or np.ptp(popularity[rows]) == 0:
        return 0.0
    x, y = popularity[rows], np.log([counts[e] for e in classes[rows]])
    return float(np.clip(np.cov(x, y)[0, 1] / np.var(x, ddof=1), 0.0, np.log(10)))


def popularity_shift(emojis, w_popularity):
    """Bias moves of the imputed ``emojis``, ``w_popularity`` x popularity less a common level
    that keeps their prior mass (their mean exponentiated move is 1); 0 where unknown."""
    popularity = emoji_popularity(emojis)
    known = np.isfinite(popularity)
    shift = np.zeros(len(emojis), dtype=np.float64)
    if known.any():
        moves = w_popularity * popularity[known]
        shift[known] = moves - (logsumexp(moves) - np.log(known.sum()))
    return shift.astype(np.float32)
