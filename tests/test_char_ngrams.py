"""The vectorised char_wb TF-IDF gives scikit-learn's matrix."""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from skemoji.ranker._char_ngrams import CharNgramTransform

CORPUS = ["merry christmas everyone", "so angry right now!!", "je suis fatigué, bonne nuit",
          "😂😂 lol", "a b c", "I love you so much ❤️", "ab", "x", "tab\tseparated  and   spaced"]
TRICKY = ["", " ", "a", "  padded  ", "new\nline", "unknown zzz qqq", "😂", "christmas christmas",
          "é è ê", "\U0001f469\u200d\U0001f4bb coding"]


def test_same_matrix_as_scikit_learn():
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False,
                                 sublinear_tf=True, dtype=np.float32).fit(CORPUS)
    texts = CORPUS + TRICKY
    expected = vectorizer.transform(texts)
    got = CharNgramTransform(vectorizer).transform(texts)
    assert got.shape == expected.shape and got.dtype == np.float32
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=1e-5, atol=1e-6)


def test_same_matrix_on_real_tweets(tweeteval_dir):
    from skemoji.datasets import load_tweeteval

    texts = load_tweeteval(tweeteval_dir, "val").text[:2000]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False,
                                 min_df=2, sublinear_tf=True, dtype=np.float32,
                                 max_features=20_000).fit(texts[:1000])
    expected = vectorizer.transform(texts)
    got = CharNgramTransform(vectorizer).transform(texts)
    assert abs(got - expected).max() < 1e-6
