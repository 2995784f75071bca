"""Bad input gets a clear ValueError/TypeError (or NotFittedError) naming the problem.

Odd but valid input (empty strings, very long texts, any Unicode) works. The
property-based tests at the end let hypothesis look for texts and images that
break either estimator.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import NotFittedError

from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import make_emojis

TEXTS = np.array(["I love you", "love love", "so hot", "fire now", "lol", "haha funny"] * 4, dtype=object)
EMOJIS = np.array(["❤", "❤", "🔥", "🔥", "😂", "😂"] * 4, dtype=object)
GOOD = make_emojis(8, random_state=0)


@pytest.fixture
def vae(tiny_vae):
    return tiny_vae  # 4 latent dimensions


@pytest.fixture
def ranker(tiny_ranker):
    return tiny_ranker  # candidates ❤ 🔥 😂


def _nan_images():
    x = GOOD / 255.0
    x[0, 0, 0, 0] = np.nan
    return x


def _inf_images():
    x = GOOD / 255.0
    x[1, 2, 3, 1] = np.inf
    return x


BAD_IMAGES = [
    (np.zeros((4, 36, 36, 3)), ValueError, "36, 36, 4"),  # RGB, no alpha
    (np.zeros((4, 32, 32, 4)), ValueError, "36, 36, 4"),  # wrong size
    (np.zeros((4, 100)), ValueError, "5184"),  # wrong number of features
    (np.zeros((36, 36, 4)), ValueError, "36, 36, 4"),  # a single image without the batch axis
    (np.zeros((0, 36, 36, 4)), ValueError, "empty"),
    (GOOD.astype(np.float64), ValueError, "0..255 scale"),  # floats on the 0-255 scale
    (-(GOOD / 255.0) - 0.1, ValueError, r"\[0, 1\]"),
    (_nan_images(), ValueError, "NaN"),
    (_inf_images(), ValueError, "NaN or infinity"),
    (np.full((2, 36, 36, 4), "a"), TypeError, "numeric"),
    (np.zeros((2, 36, 36, 4), dtype=bool), TypeError, "numeric"),
    ("images.png", TypeError, "str"),
    (np.full((2, 36, 36, 4), 300, dtype=np.int32), ValueError, "0..255"),
]


@pytest.mark.parametrize("X, error, message", BAD_IMAGES)
def test_vae_fit_rejects_bad_images(X, error, message):
    with pytest.raises(error, match=message):
        EmojiVAE(epochs=1).fit(X)


@pytest.mark.parametrize("X, error, message", BAD_IMAGES)
def test_vae_transform_rejects_bad_images(vae, X, error, message):
    with pytest.raises(error, match=message):
        vae.transform(X)


@pytest.mark.parametrize(
    "Z, message",
    [
        (np.zeros((2, 5)), "4"),  # wrong latent width
        (np.full((2, 4), np.nan), "finite"),
        (np.zeros(3), "2-D"),
    ],
)
def test_vae_inverse_transform_rejects_bad_codes(vae, Z, message):
    with pytest.raises(ValueError, match=message):
        vae.inverse_transform(Z)


@pytest.mark.parametrize(
    "params",
    [{"latent_dim": 0}, {"latent_dim": -3}, {"latent_dim": 2.5}, {"epochs": 0}, {"epochs": -1},
     {"batch_size": 0}, {"learning_rate": -0.1}, {"beta": -1.0}],
)
def test_vae_rejects_bad_parameters(params):
    with pytest.raises(ValueError, match=next(iter(params))):
        EmojiVAE(**params).fit(GOOD)


def test_vae_generation_arguments(vae):
    with pytest.raises(ValueError, match="n_samples"):
        vae.sample(0)
    with pytest.raises(ValueError, match="layout"):
        vae.latent_grid(layout="Z")
    with pytest.raises(ValueError, match="ticks"):
        vae.latent_grid(ticks=0)
    with pytest.raises(ValueError, match="n_steps"):
        vae.interpolate(GOOD[0], GOOD[1], n_steps=1)


@pytest.mark.parametrize("method", ["transform", "score", "score_samples"])
def test_unfitted_vae(method):
    with pytest.raises(NotFittedError):
        getattr(EmojiVAE(), method)(GOOD)


def test_unfitted_vae_generation():
    with pytest.raises(NotFittedError):
        EmojiVAE().sample(3)
    with pytest.raises(NotFittedError):
        EmojiVAE().inverse_transform(np.zeros((1, 16)))


@pytest.mark.parametrize(
    "X, y, error, message",
    [
        (TEXTS, EMOJIS[:-1], ValueError, "inconsistent|length|samples"),
        (TEXTS, np.array(["❤"] * len(TEXTS), dtype=object), ValueError, "class"),
        ([], [], ValueError, "empty|0 "),
        ("just one string", ["❤"], TypeError, "str"),
        ([1, 2, 3], ["❤", "🔥", "😂"], TypeError, "str"),
        (["a", None, "c"], ["❤", "🔥", "😂"], TypeError, "str"),
        (["a", "b", "c"], ["❤", "not-an-emoji", "😂"], ValueError, "not-an-emoji"),
        (["a", "b", "c"], ["❤", "", "😂"], ValueError, "empty"),
    ],
)
def test_ranker_fit_rejects_bad_input(vae, X, y, error, message):
    with pytest.raises(error, match=message):
        SiameseEmojiRanker(vae=vae, catalog_languages=(), epochs=1).fit(X, y)


def test_ranker_rejects_nan_features(vae):
    X = np.random.RandomState(0).rand(len(TEXTS), 5)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SiameseEmojiRanker(vae=vae, catalog_languages=(), epochs=1).fit(X, EMOJIS)


@pytest.mark.parametrize("params, name", [({"epochs": 0}, "epochs"), ({"batch_size": -1}, "batch_size"),
                                          ({"learning_rate": 0}, "learning_rate")])
def test_ranker_rejects_bad_parameters(vae, params, name):
    with pytest.raises(ValueError, match=name):
        SiameseEmojiRanker(vae=vae, catalog_languages=(), **params).fit(TEXTS, EMOJIS)


@pytest.mark.parametrize("k", [0, -1, 2.5, "3"])
def test_rank_rejects_bad_k(ranker, k):
    with pytest.raises((ValueError, TypeError), match="k"):
        ranker.rank(TEXTS[:2], k=k)


def test_rank_k_larger_than_candidates(ranker):
    with pytest.raises(ValueError, match="k"):
        ranker.rank(TEXTS[:2], k=len(ranker.classes_) + 1)


def test_unknown_emoji_needs_an_image(ranker):
    with pytest.raises(ValueError, match="custom:parrot"):
        ranker.add_candidates(["custom:parrot"])
    with pytest.raises(ValueError, match="images"):
        ranker.add_candidates(["custom:a", "custom:b"], images=GOOD[:1])
    with pytest.raises(ValueError, match="similarity|emoji|candidate"):
        ranker.similarity(TEXTS[:1], ["custom:never-added"])


def test_similarity_lengths_must_match(ranker):
    with pytest.raises(ValueError, match="length|same"):
        ranker.similarity(TEXTS[:3], ["❤", "🔥"])


@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function"])
def test_unfitted_ranker(method):
    with pytest.raises(NotFittedError):
        getattr(SiameseEmojiRanker(), method)(TEXTS)


def test_unfitted_ranker_rank_and_add():
    with pytest.raises(NotFittedError):
        SiameseEmojiRanker().rank(TEXTS, k=2)
    with pytest.raises(NotFittedError):
        SiameseEmojiRanker().add_candidates(["🎄"])


def test_odd_but_valid_texts(ranker):
    odd = ["", "   ", "a" * 20000, "😂😂😂", "日本語のテキスト", "مرحبا", "\x00\x01 control", "@user http://x.co #tag",
           "\ufe0f"]
    proba = ranker.predict_proba(odd)
    assert proba.shape == (len(odd), len(ranker.classes_))
    assert np.isfinite(proba).all() and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert ranker.rank(odd, k=2).shape == (len(odd), 2)


def test_variation_selectors_do_not_matter(ranker):
    with_vs = ranker.similarity(TEXTS[:2], ["❤️", "❤️"])
    without = ranker.similarity(TEXTS[:2], ["❤", "❤"])
    np.testing.assert_allclose(with_vs, without)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=300), min_size=1, max_size=6))
def test_any_unicode_texts_rank(ranker, texts):
    scores = ranker.decision_function(texts)
    assert scores.shape == (len(texts), len(ranker.classes_)) and np.isfinite(scores).all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrays(np.uint8, st.tuples(st.integers(1, 4), st.just(36), st.just(36), st.just(4))))
def test_any_uint8_images_encode_finitely(vae, images):
    codes = vae.transform(images)
    assert codes.shape == (len(images), vae.latent_dim) and np.isfinite(codes).all()
    decoded = vae.inverse_transform(codes)
    assert decoded.dtype == np.float32 and decoded.min() >= 0 and decoded.max() <= 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrays(np.float64, (2, 5184), elements=st.floats(0, 1)))
def test_any_unit_float_flat_images_encode_finitely(vae, flat):
    assert np.isfinite(vae.transform(flat)).all()
