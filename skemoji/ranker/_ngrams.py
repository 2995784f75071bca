"""A vectorised ``transform`` for fitted TF-IDF vectorizers: scikit-learn's matrix, in NumPy.

scikit-learn's ``TfidfVectorizer`` cuts and looks up every n-gram in Python,
some 300 per tweet: at ~10,000 tweets/s on one core it would be most of what
ranking costs. Here the n-grams of a whole batch are hashed at once: each
text becomes a sequence of codes (its code points for the ``"char_wb"``
analyzer, its token ids for ``"word"``), a polynomial hash over them (mod
2**64) gives every n-gram's key, and a hash table of the fitted vocabulary's
keys (:class:`KeyTable`) gives its column. Counts, sublinear TF, IDF and the
L2 norm then follow scikit-learn's definitions, so the matrix is the one
``vectorizer.transform`` gives (tests check it), several times faster.
"""

import re

import numpy as np
import scipy.sparse as sp

_SPACE = ord(" ")
_SEPARATOR = 0  # between texts; no n-gram spans one
_BASE = np.uint64(0x100000001B3)  # an odd multiplier (FNV's prime); overflow wraps mod 2**64
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd
ANALYZERS = ("char_wb", "word")


def _char_codes(strings):
    """Code points of the strings between separators, and each string's start."""
    joined = "\0" + "\0".join(strings) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(s) for s in strings), dtype=np.int64, count=len(strings))
    return codes, _starts(lengths), lengths


def _token_codes(token_lists):
    """Token ids of the texts between separators, and each text's start."""
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    flat = np.fromiter((i for tokens in token_lists for i in tokens), dtype=np.uint64,
                       count=int(lengths.sum()))
    codes = np.zeros(1 + len(flat) + len(token_lists), dtype=np.uint64)
    # Token j of text i sits after i + 1 separators.
    codes[np.arange(len(flat)) + np.repeat(np.arange(1, len(token_lists) + 1), lengths)] = flat
    return codes, _starts(lengths), lengths


def _starts(lengths):
    """Where each sequence starts once joined with a separator before each and one at the end."""
    return 1 + np.concatenate([[0], np.cumsum(lengths[:-1] + 1)]) if len(lengths) else lengths


def _rolling_hashes(codes, max_n):
    """For n = 1..max_n, the hash of the n-gram starting at each position (truncated at the end)."""
    acc = codes + np.uint64(1)
    hashes = [acc]
    with np.errstate(over="ignore"):
        for n in range(2, max_n + 1):
            acc = acc[:-1] * _BASE + codes[n - 1:] + np.uint64(1)
            hashes.append(acc)
    return hashes


def _sublinear_tfidf(rows, columns, n_rows, n_features, idf, sublinear_tf):
    """scikit-learn's TF-IDF (optionally sublinear TF, then L2 rows) of the found n-grams."""
    counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                           shape=(n_rows, n_features))
    counts.sum_duplicates()
    if sublinear_tf:
        np.log(counts.data, out=counts.data)
        counts.data += 1
    counts.data *= idf[counts.indices]
    row_lengths = np.diff(counts.indptr)
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n_rows), row_lengths),
                                weights=counts.data.astype(np.float64) ** 2, minlength=n_rows))
    norms[norms == 0] = 1
    counts.data /= np.repeat(norms, row_lengths).astype(np.float32)
    return counts


class KeyTable:
    """Columns of uint64 keys: an open table indexed by a key's mixed top bits, in NumPy.

    A binary search over 100,000 keys was the largest cost of a transform;
    here most lookups are one array read. Each key that finds its slot taken
    goes to a small sorted overflow, searched only for queries landing on
    such a slot.
    """

    def __init__(self, keys, columns):
        keys, columns = np.asarray(keys, dtype=np.uint64), np.asarray(columns, dtype=np.int64)
        # At least 4 slots per key: few keys share one.
        bits = max(4, int(np.ceil(np.log2(4 * max(len(keys), 1)))))
        self.shift = np.uint64(64 - bits)
        slots = self._slots(keys)
        _, first = np.unique(slots, return_index=True)
        placed = np.zeros(len(keys), dtype=bool)
        placed[first] = True
        self.keys = np.zeros(2**bits, dtype=np.uint64)
        self.columns = np.full(2**bits, -1, dtype=np.int64)
        self.keys[slots[placed]], self.columns[slots[placed]] = keys[placed], columns[placed]
        self.shared = np.zeros(2**bits, dtype=bool)
        self.shared[slots[~placed]] = True
        order = np.argsort(keys[~placed])
        self.overflow_keys, self.overflow_columns = keys[~placed][order], columns[~placed][order]

    def _slots(self, keys):
        # Fibonacci hashing: short n-grams have small keys, whose top bits alone are all 0.
        with np.errstate(over="ignore"):
            return (keys * _MIX) >> self.shift

    def lookup(self, keys):
        """The column of each key, -1 where it is not in the table."""
        slots = self._slots(keys)
        columns = np.where(self.keys[slots] == keys, self.columns[slots], -1)
        if len(self.overflow_keys):
            ask = np.flatnonzero(self.shared[slots] & (columns < 0))
            found = np.minimum(np.searchsorted(self.overflow_keys, keys[ask]),
                               len(self.overflow_keys) - 1)
            hit = self.overflow_keys[found] == keys[ask]
            columns[ask[hit]] = self.overflow_columns[found[hit]]
        return columns


class NgramTransform:
    """``transform`` of a fitted ``TfidfVectorizer`` with a char_wb or word analyzer.

    The vectorizer must use scikit-learn's default preprocessing apart from
    ``lowercase`` (texts arrive normalised), ``norm="l2"`` and ``use_idf``;
    word tokens must not contain spaces (a vocabulary entry is its tokens
    joined by one space).
    """

    def __init__(self, vectorizer):
        if vectorizer.analyzer not in ANALYZERS:
            raise ValueError(f"analyzer must be one of {ANALYZERS}, got {vectorizer.analyzer!r}.")
        self.analyzer = vectorizer.analyzer
        self.min_n, self.max_n = vectorizer.ngram_range
        self.n_features = len(vectorizer.vocabulary_)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.sublinear_tf = vectorizer.sublinear_tf
        grams = list(vectorizer.vocabulary_)
        if self.analyzer == "word":
            self.token_pattern = re.compile(vectorizer.token_pattern)
            token_lists = [gram.split(" ") for gram in grams]
            tokens = sorted({t for tokens in token_lists for t in tokens})
            # Ids from 1 (0 separates texts); an unknown token takes the next one.
            self.token_ids = {token: i for i, token in enumerate(tokens, start=1)}
            self.unknown = len(tokens) + 1
            codes, starts, lengths = _token_codes([[self.token_ids[t] for t in tokens]
                                                   for tokens in token_lists])
        else:
            codes, starts, lengths = _char_codes(grams)
        keys = np.zeros(len(grams), dtype=np.uint64)
        for n, hashes in enumerate(_rolling_hashes(codes, self.max_n), start=1):
            at = lengths == n
            keys[at] = hashes[starts[at]]
        self.table = KeyTable(keys, np.fromiter(vectorizer.vocabulary_.values(), dtype=np.int64,
                                                count=len(grams)))

    def _codes(self, texts):
        if self.analyzer == "word":
            get, unknown, findall = self.token_ids.get, self.unknown, self.token_pattern.findall
            return _token_codes([[get(t, unknown) for t in findall(text)] for text in texts])
        # Words padded by one space each side, as in scikit-learn's char_wb.
        return _char_codes([" " + " ".join(t.split()) + " " for t in texts])

    def transform(self, texts):
        """The TF-IDF matrix of ``texts`` (float32 CSR), as the vectorizer's own transform."""
        codes, starts, lengths = self._codes(texts)
        row_of = np.zeros(len(codes), dtype=np.int64)
        row_of[starts] = 1
        row_of = np.cumsum(row_of) - 1
        separators = np.concatenate([[0], np.cumsum(codes == _SEPARATOR)])
        if self.analyzer == "char_wb":
            spaces = np.concatenate([[0], np.cumsum(codes == _SPACE)])
        rows, columns = [], []
        for n, hashes in enumerate(_rolling_hashes(codes, self.max_n), start=1):
            if n < self.min_n or len(hashes) == 0:
                continue
            at = np.arange(len(hashes))
            valid = separators[at + n] == separators[at]  # within one text
            if self.analyzer == "char_wb":
                # Within a padded word: no space inside (its ends may be spaces), not all
                # spaces (an empty text pads to "  ").
                valid &= spaces[at + n - 1] == spaces[at + 1]
                valid &= spaces[at + n] - spaces[at] < n
            positions = at[valid]
            found = self.table.lookup(hashes[positions])
            hit = found >= 0
            rows.append(row_of[positions[hit]])
            columns.append(found[hit])
        rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        columns = np.concatenate(columns) if columns else np.zeros(0, np.int64)
        return _sublinear_tfidf(rows, columns, len(texts), self.n_features, self.idf,
                                self.sublinear_tf)
