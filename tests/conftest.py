"""Fixtures shared by the test modules: real data paths, and small data sets built once."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SKEMOJI_SHARED_DATA", REPO.parent / "shared" / "data"))


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
