"""A vectorised ``transform`` for a fitted char_wb TF-IDF vectorizer: same matrix, in NumPy.

scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` cuts and looks up every
n-gram in Python, some 250 per tweet: at ~14,000 tweets/s on one core it is
most of what ranking costs. Here the n-grams of a whole batch are hashed at
once (a polynomial hash over code points, mod 2**64) and looked up by binary
search among the hashes of the fitted vocabulary; counts, sublinear TF, IDF
and the L2 norm then follow scikit-learn's definitions, so the matrix is the
one ``vectorizer.transform`` gives (tests check it), several times faster.
"""

import re

import numpy as np
import scipy.sparse as sp

_SPACES = re.compile(r"\s+")
_SPACE = ord(" ")
_SEPARATOR = 0  # between texts; cannot occur in an n-gram
_BASE = np.uint64(0x100000001B3)  # an odd multiplier (FNV's prime); overflow wraps mod 2**64


def _codes(strings):
    """Code points of the strings, each preceded by a separator, and each string's start."""
    joined = "\0".join(strings)
    codes = np.frombuffer(("\0" + joined).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(s) for s in strings), dtype=np.int64, count=len(strings))
    starts = 1 + np.concatenate([[0], np.cumsum(lengths[:-1] + 1)]) if len(strings) else lengths
    return codes, starts, lengths


def _hashes(codes, n):
    """The hash of the n-gram starting at each position (positions too close to the end: 0)."""
    out = np.zeros(len(codes), dtype=np.uint64)
    if len(codes) < n:
        return out
    m = len(codes) - n + 1
    acc = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            acc = acc * _BASE + codes[j: j + m] + np.uint64(1)
    out[:m] = acc
    return out


class CharNgramTransform:
    """``transform`` of a fitted ``TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)``."""

    def __init__(self, vectorizer):
        self.min_n, self.max_n = vectorizer.ngram_range
        self.n_features = len(vectorizer.vocabulary_)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.sublinear_tf = vectorizer.sublinear_tf
        grams = list(vectorizer.vocabulary_)
        codes, starts, lengths = _codes(grams)
        keys = np.zeros(len(grams), dtype=np.uint64)
        for n in range(1, self.max_n + 1):
            at = lengths == n
            if at.any():
                keys[at] = _hashes(codes, n)[starts[at]]
        index = np.fromiter(vectorizer.vocabulary_.values(), dtype=np.int64, count=len(grams))
        order = np.argsort(keys, kind="stable")
        self.keys, self.index = keys[order], index[order]

    def transform(self, texts):
        """The TF-IDF matrix of ``texts`` (float32 CSR), as the vectorizer's own transform."""
        padded = [" " + _SPACES.sub(" ", t).strip() + " " for t in texts]
        codes, starts, lengths = _codes(padded)
        row_of = np.zeros(len(codes), dtype=np.int64)
        row_of[starts] = 1
        row_of = np.cumsum(row_of) - 1
        spaces = np.concatenate([[0], np.cumsum(codes == _SPACE)])
        separators = np.concatenate([[0], np.cumsum(codes == _SEPARATOR)])
        rows, columns = [], []
        for n in range(self.min_n, self.max_n + 1):
            m = len(codes) - n + 1
            if m <= 0:
                continue
            at = np.arange(m)
            # An n-gram of a padded word: no separator, no space inside (its ends may be
            # spaces), and not all spaces (an empty text pads to "  ").
            valid = separators[at + n] == separators[at]
            valid &= spaces[at + n - 1] == spaces[at + 1]
            valid &= spaces[at + n] - spaces[at] < n
            positions = at[valid]
            keys = _hashes(codes, n)[positions]
            found = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            hit = self.keys[found] == keys
            rows.append(row_of[positions[hit]])
            columns.append(self.index[found[hit]])
        rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        columns = np.concatenate(columns) if columns else np.zeros(0, np.int64)
        counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                               shape=(len(texts), self.n_features))
        counts.sum_duplicates()
        if self.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1
        counts.data *= self.idf[counts.indices]
        row_lengths = np.diff(counts.indptr)
        norms = np.sqrt(np.bincount(np.repeat(np.arange(len(texts)), row_lengths),
                                    weights=counts.data.astype(np.float64) ** 2,
                                    minlength=len(texts)))
        norms[norms == 0] = 1
        counts.data /= np.repeat(norms, row_lengths).astype(np.float32)
        return counts
