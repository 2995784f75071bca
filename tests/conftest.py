"""Fixtures shared by the test modules: real data paths, and tiny fitted models built once.

The fitted models are session-scoped, so every module that needs a tiny VAE
or ranker shares one fit. Tests must not change them: a test that adds
candidates or refits works on a copy (``pickle.loads(pickle.dumps(...))``
or ``sklearn.base.clone``).
"""

import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SKEMOJI_SHARED_DATA", REPO.parent / "shared" / "data"))

# (text, emoji) pairs the tiny ranker learns; both spellings of the heart, on purpose.
TINY_TEXTS = np.array(["I love you", "so much love", "this is hot", "fire fire", "laughing so hard", "lol funny"] * 6,
                      dtype=object)
TINY_EMOJIS = np.array(["❤️", "❤", "🔥", "🔥", "😂", "😂"] * 6, dtype=object)
TINY_VAE_PARAMS = {"latent_dim": 4, "epochs": 2, "batch_size": 16, "random_state": 0}


def _shared(subdir):
    path = SHARED_DATA / subdir
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data sets live beside the checkout)")
    return path


@pytest.fixture(scope="session")
def tweeteval_dir():
    """The TweetEval emoji directory of ../shared/data, or skip."""
    return _shared("tweeteval_emoji")


@pytest.fixture(scope="session")
def airline_csv():
    """The airline tweets CSV of ../shared/data, or skip."""
    return _shared("airline_tweets") / "tweets.csv"


@pytest.fixture(scope="session")
def twemoji():
    """The Twemoji catalog (loaded once; the loader caches it too)."""
    from skemoji.datasets import load_twemoji

    return load_twemoji()


@pytest.fixture(scope="session")
def tiny_images():
    """48 synthetic emoji images, uint8 of shape (48, 36, 36, 4)."""
    from skemoji.datasets import make_emojis

    return make_emojis(48, random_state=0)


@pytest.fixture(scope="session")
def tiny_vae(tiny_images):
    """An EmojiVAE with 4 latent dimensions fitted for 2 epochs on ``tiny_images`` (a few seconds)."""
    from skemoji import EmojiVAE

    return EmojiVAE(**TINY_VAE_PARAMS).fit(tiny_images)


@pytest.fixture(scope="session")
def tiny_ranker(tiny_vae):
    """A SiameseEmojiRanker over ❤ 🔥 😂, fitted for 2 epochs on ``TINY_TEXTS`` with ``tiny_vae``."""
    from skemoji import SiameseEmojiRanker

    return SiameseEmojiRanker(vae=tiny_vae, catalog_languages=(), epochs=2,
                              random_state=0).fit(TINY_TEXTS, TINY_EMOJIS)


def pytest_collection_modifyitems(items):
    """Mark ``slow`` every test that trains on the shared TweetEval or airline data.

    Those train on thousands of tweets (minutes on 2 cores); ``make test``
    leaves them out and ``make test-slow`` runs them. The data loaders' own
    tests in ``test_datasets.py`` only read the files, in a second, and stay.
    """
    for item in items:
        uses_shared_data = {"tweeteval_dir", "airline_csv"} & set(getattr(item, "fixturenames", ()))
        if uses_shared_data and item.path.name != "test_datasets.py":
            item.add_marker(pytest.mark.slow)
