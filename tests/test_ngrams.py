"""The vectorised n-gram TF-IDF gives scikit-learn's matrix."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from skemoji.ranker._ngrams import NgramTransform

CORPUS = ["merry christmas everyone", "so angry right now!!", "je suis fatigué, bonne nuit",
          "😂😂 lol", "a b c", "I love you so much ❤️", "ab", "x", "tab\tseparated  and   spaced"]
TRICKY = ["", " ", "a", "  padded  ", "new\nline", "unknown zzz qqq", "😂", "christmas christmas",
          "é è ê", "\U0001f469\u200d\U0001f4bb coding", " lead", "trail ", "a\tb", "nul\0inside", "", ""]
ANALYZERS = [
    dict(analyzer="char_wb", ngram_range=(2, 5)),  # the featuriser's
    dict(analyzer="word", ngram_range=(1, 2), token_pattern=r"\w+|[^\w\s]"),
    dict(analyzer="word", ngram_range=(1, 3), token_pattern=r"(?u)\b\w+\b"),
    dict(analyzer="word", ngram_range=(2, 2)),
]


@pytest.mark.parametrize("params", ANALYZERS, ids=lambda p: f"{p['analyzer']}{p['ngram_range']}")
def test_same_matrix_as_scikit_learn(params):
    vectorizer = TfidfVectorizer(lowercase=False, sublinear_tf=True, dtype=np.float32,
                                 **params).fit(CORPUS)
    texts = CORPUS + TRICKY
    expected = vectorizer.transform(texts)
    got = NgramTransform(vectorizer).transform(texts)
    assert got.shape == expected.shape and got.dtype == np.float32
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("params", ANALYZERS, ids=lambda p: f"{p['analyzer']}{p['ngram_range']}")
def test_same_matrix_on_real_tweets(tweeteval_dir, params):
    from skemoji.datasets import load_tweeteval

    texts = load_tweeteval(tweeteval_dir, "val").text[:2000]
    vectorizer = TfidfVectorizer(lowercase=False, min_df=2, sublinear_tf=True, dtype=np.float32,
                                 max_features=20_000, **params).fit(texts[:1000])
    expected = vectorizer.transform(texts)
    got = NgramTransform(vectorizer).transform(texts)
    assert got.nnz == expected.nnz
    assert abs(got - expected).max() < 1e-6


def test_other_analyzers_are_refused():
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3)).fit(CORPUS)
    with pytest.raises(ValueError, match="analyzer must be one of"):
        NgramTransform(vectorizer)


def test_key_table_finds_every_key_and_nothing_else():
    from skemoji.ranker._ngrams import KeyTable

    rng = np.random.RandomState(0)
    keys = np.unique(rng.randint(0, 2**63, size=20_000, dtype=np.int64).astype(np.uint64))
    keys = np.concatenate([keys, np.arange(1, 3000, dtype=np.uint64)])  # small ones, as n=1
    columns = rng.permutation(len(keys))
    table = KeyTable(keys, columns)
    assert 0 < len(table.overflow_keys) < len(keys) // 4
    absent = rng.randint(0, 2**63, size=5000, dtype=np.int64).astype(np.uint64)
    absent = absent[~np.isin(absent, keys)]
    queries = np.concatenate([keys, absent, np.arange(3000, 4000, dtype=np.uint64)])
    expected = {int(k): int(c) for k, c in zip(keys, columns)}
    np.testing.assert_array_equal(table.lookup(queries),
                                  [expected.get(int(k), -1) for k in queries])
