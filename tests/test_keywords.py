"""load_emoji_keywords: the vendored Unicode CLDR names and keywords."""

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.utils import Bunch

from skemoji._emoji import VARIATION_SELECTOR_16
from skemoji.datasets import load_emoji_keywords
from skemoji.datasets._keywords import _DATA_FILE, _available_languages

FIELDS = ("text", "emoji", "language", "kind")


@pytest.fixture(scope="module")
def everything():
    return load_emoji_keywords("all")


def _rows(data, emoji, language="en", kind=None):
    mask = (data.emoji == emoji) & (data.language == language)
    if kind is not None:
        mask &= data.kind == kind
    return list(data.text[mask])


def test_default_is_english_bunch():
    data = load_emoji_keywords()
    assert isinstance(data, Bunch)
    n = len(data.text)
    for field in FIELDS:
        assert getattr(data, field).shape == (n,)
        assert getattr(data, field).dtype == object
    assert set(data.language) == {"en"}
    assert data.languages == ["en"]
    assert set(data.kind) == {"name", "keyword"}
    assert all(isinstance(text, str) and text and text == text.strip() for text in data.text)
    assert "CLDR" in data.DESCR and "Unicode" in data.DESCR and "Licen" in data.DESCR


def test_known_names_and_keywords():
    data = load_emoji_keywords(("en", "fr", "pt"))
    assert _rows(data, "😂", kind="name") == ["face with tears of joy"]
    assert {"lol", "haha", "lmao"} <= set(_rows(data, "😂", kind="keyword"))
    assert _rows(data, "🔥", "fr", kind="name") == ["feu"]
    # Derived annotations: skin tones, flags, keycaps, families.
    assert _rows(data, "👍🏽", kind="name") == ["thumbs up: medium skin tone"]
    assert "like" in _rows(data, "👍🏽")
    assert _rows(data, "🇯🇵", kind="name") == ["flag: Japan"]
    assert _rows(data, "1\u20e3", kind="name") == ["keycap: 1"]
    assert _rows(data, "👨‍👩‍👧", kind="name") == ["family: man, woman, girl"]
    # Regional variants are merged into their language as keywords.
    assert "aubergine" in _rows(data, "🍆", kind="keyword")  # en-GB
    assert "beringela" in _rows(data, "🍆", "pt", kind="keyword")  # pt-PT


def test_languages_subset_order_and_alignment(everything):
    languages = ("de", "en", "ja")
    data = load_emoji_keywords(languages)
    assert data.languages == list(languages)
    assert list(dict.fromkeys(data.language)) == list(languages)
    for language in languages:
        part = load_emoji_keywords(language)
        mask = data.language == language
        for field in ("text", "emoji", "kind"):
            np.testing.assert_array_equal(getattr(data, field)[mask], getattr(part, field))
        mask = everything.language == language
        np.testing.assert_array_equal(everything.text[mask], part.text)
    # Duplicated codes are read once.
    assert len(load_emoji_keywords(["en", "en"]).text) == len(load_emoji_keywords("en").text)
    text, emoji = load_emoji_keywords(("en", "fr"), return_X_y=True)
    assert text.shape == emoji.shape == (np.sum(np.isin(everything.language, ["en", "fr"])),)


def test_all_languages(everything):
    known = _available_languages()
    assert everything.languages == list(known)
    assert set(everything.language) == set(known)
    assert len(known) >= 100
    for language in (
        "en",
        "es",
        "de",
        "fr",
        "it",
        "pt",
        "ja",
        "zh",
        "zh-Hant",
        "ru",
        "ar",
        "hi",
        "ko",
    ):
        assert language in known
    # Regional variants have no code of their own.
    assert not {"en-GB", "pt-PT", "fr-CA", "es-419", "zh-Hant-HK"} & set(known)
    for field in FIELDS:
        assert len(getattr(everything, field)) == len(everything.text)
    assert len(everything.text) > 1_000_000


def test_one_name_per_emoji_and_language(everything):
    names = everything.kind == "name"
    pairs = list(zip(everything.emoji[names], everything.language[names]))
    assert len(pairs) == len(set(pairs)), "exactly one name per (emoji, language)"
    assert set(zip(everything.emoji, everything.language)) == set(pairs), "every emoji has a name"
    # Each emoji's rows start with its name; no keyword repeats its name or another keyword.
    data = load_emoji_keywords("en")
    starts = np.flatnonzero(np.r_[True, data.emoji[1:] != data.emoji[:-1]])
    assert (data.kind[starts] == "name").all()
    assert (data.kind[np.setdiff1d(np.arange(len(data.kind)), starts)] == "keyword").all()
    for emoji, texts in _group(data).items():
        lowered = [text.casefold() for text in texts]
        assert len(lowered) == len(set(lowered)), emoji


def _group(data):
    groups = {}
    for text, emoji in zip(data.text, data.emoji):
        groups.setdefault(emoji, []).append(text)
    return groups


def test_no_variation_selector(everything):
    assert not any(VARIATION_SELECTOR_16 in emoji for emoji in set(everything.emoji))
    assert "❤" in set(everything.emoji) and "❤\ufe0f" not in set(everything.emoji)


def test_english_covers_the_twemoji_catalog(twemoji):
    english = set(load_emoji_keywords("en").emoji)
    catalog = set(twemoji.emojis)
    missing = catalog - english
    coverage = 1 - len(missing) / len(catalog)
    # CLDR annotates every emoji of the catalog but the 26 lone regional indicator letters.
    assert coverage >= 0.99, (coverage, sorted(missing)[:20])
    assert all(0x1F1E6 <= ord(emoji) <= 0x1F1FF for emoji in missing), sorted(missing)
    # Nearly every annotated emoji is in the catalog too.
    assert len(english - catalog) <= 0.01 * len(english), sorted(english - catalog)[:20]


def test_common_languages_are_well_covered(everything, twemoji):
    catalog = set(twemoji.emojis)
    for language in ("en", "es", "de", "fr", "it", "pt", "ja", "zh", "ru", "ar"):
        emojis = set(everything.emoji[everything.language == language])
        assert len(emojis & catalog) >= 0.95 * len(catalog), language


@pytest.mark.parametrize("languages", ["xx", ("en", "klingon"), (), "en-GB", [], None, 3])
def test_unknown_languages_are_refused(languages):
    with pytest.raises(ValueError) as info:
        load_emoji_keywords(languages)
    message = str(info.value)
    assert "'all'" in message
    if languages not in (None, 3):
        assert "'en'" in message and "'zh-Hant'" in message  # the known codes are listed


def test_results_are_independent_copies():
    first = load_emoji_keywords("en")
    first.text[0] = "changed"
    assert load_emoji_keywords("en").text[0] != "changed"


def test_data_file_is_compact_and_documented():
    assert _DATA_FILE.stat().st_size < 8_000_000
    licence = _DATA_FILE.parent / "LICENSE-CLDR.txt"
    assert "UNICODE LICENSE V3" in licence.read_text(encoding="utf-8")
    meta = json.loads(np.load(_DATA_FILE)["meta"].tobytes())
    assert meta["cldr_npm_packages"] == [
        "cldr-annotations-full@48.2.0",
        "cldr-annotations-derived-full@48.2.0",
    ]
    root = Path(__file__).resolve().parents[1]
    script = root / "tools" / "make_cldr_keywords.py"
    if script.exists():  # in a source checkout
        assert "npm pack cldr-annotations-full@48.2.0" in script.read_text(encoding="utf-8")
