"""The vectorised n-gram TF-IDF gives scikit-learn's matrix."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from skemoji._text import TOKEN_PATTERN
from skemoji.ranker._ngrams import NgramTransform

CORPUS = ["merry christmas everyone", "so angry right now!!", "je suis fatigué, bonne nuit",
          "😂😂 lol", "a b c", "I love you so much ❤️", "ab", "x", "tab\tseparated  and   spaced"]
TRICKY = ["", " ", "a", "  padded  ", "new\nline", "unknown zzz qqq", "😂", "christmas christmas",
          "é è ê", "\U0001f469\u200d\U0001f4bb coding", " lead", "trail ", "a\tb", "", ""]
ANALYZERS = [
    dict(analyzer="char_wb", ngram_range=(2, 5)),  # the featuriser of skemoji 0.2.0
    dict(analyzer="char", ngram_range=(1, 5)),
    dict(analyzer="char", ngram_range=(2, 4)),
    dict(analyzer="word", ngram_range=(1, 2), token_pattern=TOKEN_PATTERN),
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
    vectorizer = TfidfVectorizer(analyzer=str.split).fit(CORPUS)
    with pytest.raises(ValueError, match="analyzer must be one of"):
        NgramTransform(vectorizer)
