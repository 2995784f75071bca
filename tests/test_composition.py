"""Both estimators inside scikit-learn's machinery: clone, Pipeline, searches, CV, Dask."""

import random

import numpy as np
import pytest
from conftest import TINY_VAE_PARAMS
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline

from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import make_emojis

WORDS = {
    "❤": ["love", "heart", "adore", "darling", "sweetheart", "romance"],
    "🔥": ["fire", "hot", "lit", "flames", "burning", "heat"],
    "😂": ["lol", "funny", "hilarious", "joke", "laughing", "haha"],
    "🎄": ["christmas", "xmas", "tree", "santa", "december", "presents"],
}


def _texts(n_per_class=12, seed=0):
    rng = np.random.RandomState(seed)
    texts, emojis = [], []
    for emoji, words in WORDS.items():
        for _ in range(n_per_class):
            texts.append(" ".join(rng.choice(words, size=3)) + " today")
            emojis.append(emoji)
    return np.array(texts, dtype=object), np.array(emojis, dtype=object)


TINY_VAE = TINY_VAE_PARAMS


@pytest.fixture(scope="module")
def images():
    return make_emojis(48, random_state=0, return_labels=True)


@pytest.fixture
def fitted_vae(tiny_vae):
    return tiny_vae  # EmojiVAE(**TINY_VAE) fitted on the same 48 images


@pytest.fixture(scope="module")
def pairs():
    return _texts()


def test_clone_and_nested_params(fitted_vae):
    ranker = SiameseEmojiRanker(vae=EmojiVAE(latent_dim=8), epochs=3)
    assert ranker.get_params()["vae__latent_dim"] == 8
    ranker.set_params(vae__latent_dim=4, epochs=2)
    assert ranker.vae.latent_dim == 4 and ranker.epochs == 2
    copy = clone(ranker)
    assert copy.vae is not ranker.vae and copy.vae.latent_dim == 4
    vae_copy = clone(fitted_vae)
    assert not hasattr(vae_copy, "encoder_"), "clone gives an unfitted estimator"


def test_clones_share_a_fitted_vae(fitted_vae):
    """A fitted VAE is a frozen feature extractor: searches reuse it instead of refitting it."""
    ranker = SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=3)
    copy = clone(ranker)
    assert copy.vae is fitted_vae and copy.epochs == 3


def test_vae_in_pipeline_features_for_a_classifier(images):
    X, y = images
    pipe = make_pipeline(EmojiVAE(**TINY_VAE), LogisticRegression(max_iter=500))
    pipe.fit(X, y)
    assert pipe.predict(X).shape == (len(X),)
    assert list(pipe[:-1].get_feature_names_out()) == [f"emojivae{i}" for i in range(4)]


def test_ranker_pipeline_from_numeric_features(pairs, fitted_vae):
    texts, emojis = pairs
    ranker = SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), head_min_pairs=5, epochs=3,
                                random_state=0)
    pipe = Pipeline([("tfidf", TfidfVectorizer()), ("rank", ranker)])
    pipe.fit(texts, emojis)
    assert set(pipe.predict(texts)) <= set(WORDS)
    assert pipe.score(texts, emojis) > 0.5


def test_vae_grid_search_parallel(images):
    X, _ = images
    search = GridSearchCV(EmojiVAE(**TINY_VAE), {"latent_dim": [2, 4]}, cv=2, n_jobs=2)
    search.fit(X)
    assert search.best_params_["latent_dim"] in (2, 4)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_ranker_grid_search_f1_macro_stratified(pairs, fitted_vae):
    texts, emojis = pairs
    search = GridSearchCV(
        SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=2, random_state=0),
        {"learning_rate": [0.003, 0.01]},
        scoring="f1_macro",
        cv=StratifiedKFold(n_splits=2, shuffle=True, random_state=0),
    )
    search.fit(texts, emojis)
    assert 0.0 <= search.best_score_ <= 1.0
    assert search.best_estimator_.predict(texts[:3]).shape == (3,)


def test_cross_val_score_ranker(pairs, fitted_vae):
    texts, emojis = pairs
    ranker = SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=2, random_state=0)
    scores = cross_val_score(ranker, texts, emojis, cv=3)
    assert scores.shape == (3,) and np.all((0 <= scores) & (scores <= 1))


def test_fit_leaves_callers_random_state_alone(images, pairs, fitted_vae):
    np.random.seed(123)
    random.seed(123)
    expected_np, expected_py = np.random.rand(), random.random()
    np.random.seed(123)
    random.seed(123)
    EmojiVAE(**TINY_VAE).fit(images[0])
    SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=1, random_state=0).fit(*pairs)
    assert np.random.rand() == expected_np and random.random() == expected_py


def test_same_random_state_same_ranker(pairs, fitted_vae):
    texts, emojis = pairs
    a = SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=2, random_state=3).fit(texts, emojis)
    b = SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=2, random_state=3).fit(texts, emojis)
    np.testing.assert_array_equal(a.decision_function(texts), b.decision_function(texts))


def test_grid_search_on_dask(images):
    distributed = pytest.importorskip("distributed")
    import joblib

    X, _ = images
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        search = GridSearchCV(EmojiVAE(**TINY_VAE), {"latent_dim": [2, 4]}, cv=2)
        with joblib.parallel_backend("dask"):
            search.fit(X)
    assert np.isfinite(search.best_score_)


def test_later_fits_release_their_graphs_and_leave_earlier_estimators_alone(images, pairs, fitted_vae):
    """Each fit drops the gradients its training trace registered process-wide (they pinned
    every fit's graph: tensorflow#97697); estimators fitted before are unaffected."""
    from tensorflow.python.framework import ops

    X, _ = images
    texts, emojis = pairs
    vae = EmojiVAE(**TINY_VAE).fit(X)
    codes, decoded = vae.transform(X), vae.inverse_transform(vae.transform(X[:4]))
    ranker = SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=2, random_state=0).fit(texts, emojis)
    scores, predicted = ranker.decision_function(texts), ranker.predict(texts)
    registered = set(ops._gradient_registry._registry)

    EmojiVAE(**{**TINY_VAE, "latent_dim": 3, "random_state": 1}).fit(X)
    SiameseEmojiRanker(vae=fitted_vae, catalog_languages=(), epochs=2, learning_rate=0.01,
                       random_state=1).fit(texts, emojis)

    new = set(ops._gradient_registry._registry) - registered
    assert not [name for name in new if name.startswith("CustomGradient-")]
    np.testing.assert_array_equal(vae.transform(X), codes)
    np.testing.assert_array_equal(vae.inverse_transform(vae.transform(X[:4])), decoded)
    np.testing.assert_array_equal(ranker.decision_function(texts), scores)
    np.testing.assert_array_equal(ranker.predict(texts), predicted)
