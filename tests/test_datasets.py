import time

import numpy as np
import pytest
from sklearn.utils import Bunch

from skemoji.datasets import (
    load_airline_tweets,
    load_emoji_names,
    load_emoji_sentiment,
    load_tweeteval,
    load_twemoji,
    make_emojis,
)
from skemoji.datasets._emoticons import _DATA_FILE as _EMOTICONS_FILE
from skemoji.datasets._emoticons import emoticon_emojis
from skemoji.datasets._popularity import _DATA_FILE as _POPULARITY_FILE
from skemoji.datasets._popularity import emoji_popularity
from skemoji.datasets._sentiment import _DATA as _SENTIMENT_DATA
from skemoji.datasets._sentiment import emoji_sentiment_log_odds, sentiment_sentences


def _index(twemoji, char):
    return list(twemoji.emojis).index(char)


def test_twemoji_shapes_and_types(twemoji):
    assert isinstance(twemoji, Bunch)
    n = len(twemoji.images)
    assert 3500 <= n <= 5000
    assert twemoji.images.shape == (n, 36, 36, 4)
    assert twemoji.images.dtype == np.uint8
    assert len(twemoji.emojis) == len(twemoji.names) == n
    assert len(set(twemoji.emojis)) == n, "each emoji appears once"
    assert all(isinstance(name, str) and name for name in twemoji.names)
    assert "Twemoji" in twemoji.DESCR and "CC-BY" in twemoji.DESCR


def test_twemoji_images_are_the_right_emojis(twemoji):
    joy = twemoji.images[_index(twemoji, "😂")].astype(float)
    fire = twemoji.images[_index(twemoji, "🔥")].astype(float)
    assert twemoji.names[_index(twemoji, "😂")] == "face with tears of joy"
    assert twemoji.names[_index(twemoji, "🔥")] == "fire"
    assert np.abs(joy - fire).mean() > 20
    # The joy face is a yellow disc: opaque pixels are mostly yellow (R, G high; B low).
    opaque = joy[..., 3] > 200
    red, green, blue = (joy[..., c][opaque].mean() for c in range(3))
    assert red > 180 and green > 130 and blue < 120
    # Fire is red-orange: red dominates green.
    opaque = fire[..., 3] > 200
    assert fire[..., 0][opaque].mean() > fire[..., 1][opaque].mean() + 40


def test_twemoji_alpha_is_a_real_mask(twemoji):
    alpha = twemoji.images[_index(twemoji, "😂")][..., 3]
    assert alpha[0, 0] == 0 and alpha[-1, -1] == 0, "corners are transparent"
    assert alpha[18, 18] == 255, "the centre of the face is opaque"
    assert 0.3 < (alpha > 127).mean() < 0.95
    # Resampling keeps soft edges: some partly transparent pixels exist.
    assert ((alpha > 0) & (alpha < 255)).any()


def test_twemoji_lookups_ignore_variation_selector(twemoji):
    assert "\ufe0f" not in "".join(twemoji.emojis)
    heart = _index(twemoji, "❤")
    assert twemoji.names[heart] == "red heart"
    from skemoji._emoji import normalize_emoji

    assert normalize_emoji("❤️") == twemoji.emojis[heart]


def test_twemoji_other_sizes_and_return_X_y():
    images, emojis = load_twemoji(size=18, return_X_y=True)
    assert images.shape[1:] == (18, 18, 4) and len(emojis) == len(images)
    full = load_twemoji(size=72)
    assert full.images.shape[1:] == (72, 72, 4)


def test_twemoji_returns_copies(twemoji):
    first = load_twemoji()
    first.images[:] = 0
    assert load_twemoji().images.any()


@pytest.mark.parametrize("size", [0, 73, 3.5, "36", True])
def test_twemoji_rejects_bad_size(size):
    with pytest.raises(ValueError, match="size"):
        load_twemoji(size=size)


def test_twemoji_loads_fast():
    from skemoji.datasets import _twemoji

    _twemoji._load_catalog.cache_clear()
    start = time.perf_counter()
    load_twemoji()
    assert time.perf_counter() - start < 10


def test_emoji_names_languages():
    en = load_emoji_names()
    assert set(en.language) == {"en"}
    assert len(en.text) == len(en.emoji) > 4000
    fire = set(en.text[en.emoji == "🔥"])
    assert "fire" in fire
    assert "joy" in set(en.text[en.emoji == "😂"]), "aliases are included"
    multi = load_emoji_names(languages=("en", "es", "de"))
    assert set(multi.language) == {"en", "es", "de"}
    assert "feuer" in set(multi.text[(multi.emoji == "🔥") & (multi.language == "de")])
    assert len(set(load_emoji_names("all").language)) == 14
    assert "\ufe0f" not in "".join(multi.emoji)
    text, emoji = load_emoji_names(return_X_y=True)
    assert len(text) == len(emoji)


@pytest.mark.parametrize("languages", [(), ("xx",), "klingon"])
def test_emoji_names_rejects_unknown_language(languages):
    with pytest.raises(ValueError, match="languages"):
        load_emoji_names(languages)


def test_make_emojis():
    images, labels = make_emojis(20, random_state=0, return_labels=True)
    assert images.shape == (20, 36, 36, 4) and images.dtype == np.uint8
    assert set(labels) <= {0, 1, 2, 3}
    np.testing.assert_array_equal(images, make_emojis(20, random_state=0))
    assert not np.array_equal(images, make_emojis(20, random_state=1))
    assert images[:, 0, 0, 3].max() < 128, "corners are (mostly) transparent"
    assert (images[..., 3] == 255).any()
    with pytest.raises(ValueError, match="n_samples"):
        make_emojis(0)


def test_tweeteval_reads_shared_data(tweeteval_dir):
    train = load_tweeteval(tweeteval_dir, "train")
    val = load_tweeteval(tweeteval_dir, split="val")
    assert len(train.text) == len(train.emoji) == len(train.target) == 45000
    assert len(val.text) == 5000
    assert len(train.target_names) == 20
    assert train.target_names[0] == "❤" and train.target_names[2] == "😂"
    assert train.names[4] == "fire"
    np.testing.assert_array_equal(train.emoji, train.target_names[train.target])
    assert set(train.target) == set(range(20))
    # Texts are kept as written, stray U+FE0F included (the documented leak).
    assert any("\ufe0f" in t for t in train.text[:200])
    text, emoji = load_tweeteval(tweeteval_dir, "val", return_X_y=True)
    assert len(text) == len(emoji) == 5000


def _write_tweeteval(tmp_path, mapping, texts, labels):
    (tmp_path / "mapping.txt").write_text(mapping, encoding="utf-8")
    (tmp_path / "train_text.txt").write_text(texts, encoding="utf-8")
    (tmp_path / "train_labels.txt").write_text(labels, encoding="utf-8")
    return tmp_path


def test_tweeteval_small_directory(tmp_path):
    path = _write_tweeteval(tmp_path, "0\t❤\t_red_heart_\n1\t🔥\t_fire_\n", "love it\nhot\n", "0\n1\n")
    data = load_tweeteval(path)
    assert list(data.emoji) == ["❤", "🔥"] and list(data.text) == ["love it", "hot"]


@pytest.mark.parametrize(
    "mapping, texts, labels, message",
    [
        ("0\t❤\n", "a\nb\n", "0\n", "pair up"),
        ("0\t❤\n", "a\n", "7\n", "expected a label"),
        ("0\t❤\n", "a\n", "x\n", "expected a label"),
        ("zero heart\n", "a\n", "0\n", "label<TAB>emoji"),
        ("0\t❤\n2\t🔥\n", "a\n", "0\n", "without gaps"),
    ],
)
def test_tweeteval_malformed_files(tmp_path, mapping, texts, labels, message):
    path = _write_tweeteval(tmp_path, mapping, texts, labels)
    with pytest.raises(ValueError, match=message):
        load_tweeteval(path)


def test_tweeteval_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_tweeteval(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="mapping.txt"):
        load_tweeteval(tmp_path)
    with pytest.raises(ValueError, match="split"):
        load_tweeteval(tmp_path, split="dev")


def test_airline_reads_shared_data(airline_csv):
    data = load_airline_tweets(airline_csv)
    assert len(data.text) == 14640
    assert set(data.emoji) == {"🎉", "😈", "😡"}
    mapping = {"positive": "🎉", "neutral": "😈", "negative": "😡"}
    assert all(mapping[s] == e for s, e in zip(data.sentiment, data.emoji))
    assert (data.emoji == "😡").sum() == 9178
    same = load_airline_tweets(airline_csv.parent)  # a directory works too
    np.testing.assert_array_equal(same.text, data.text)


def test_airline_malformed_files(tmp_path):
    bad_columns = tmp_path / "cols.csv"
    bad_columns.write_text("sentiment,tweet\npositive,hi\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        load_airline_tweets(bad_columns)
    bad_value = tmp_path / "vals.csv"
    bad_value.write_text("airline_sentiment,text\nhappy,hi\n", encoding="utf-8")
    with pytest.raises(ValueError, match="airline_sentiment must be one of"):
        load_airline_tweets(bad_value)
    with pytest.raises(FileNotFoundError):
        load_airline_tweets(tmp_path / "missing.csv")


def test_emoji_popularity_reads_the_vendored_frequencies():
    laughing, heart, heart_fe0f, melting, custom = emoji_popularity(
        ["😂", "❤", "❤\ufe0f", "🫠", "team:grinch"])
    # Zipf frequencies: 😂 is among the most used emojis (about 10,000 uses per billion words).
    assert 3.5 < laughing < 5 and heart == heart_fe0f > 3
    assert melting == 0.0  # an emoji, but newer than the frequency lists
    # Symbols mostly typed as text (copyright, registered, trade mark) count only their emoji use.
    assert np.all(emoji_popularity(["©", "®", "™"]) < laughing - 1.5)
    assert np.isnan(custom)  # not an emoji at all: unknown
    lines = [line for line in _POPULARITY_FILE.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    values = [float(line.split("\t")[1]) for line in lines]
    assert values == sorted(values, reverse=True) and min(values) > 0
    assert not any("\ufe0f" in line for line in lines)
    licence = _POPULARITY_FILE.parent / "LICENSE-wordfreq.txt"
    assert "Attribution-ShareAlike 4.0" in licence.read_text(encoding="utf-8")
    assert "wordfreq 3.1.1" in _POPULARITY_FILE.read_text(encoding="utf-8")


def test_emoji_sentiment_reads_the_vendored_ranking():
    data = load_emoji_sentiment()
    assert len(data.emoji) == len(set(data.emoji)) == 969
    assert not any("\ufe0f" in e for e in data.emoji)
    assert np.isin(["😂", "❤", "😡", "😭"], data.emoji).all()
    assert all(a.dtype.kind == "i" and (a >= 0).all()
               for a in (data.negative, data.neutral, data.positive))
    assert "Kralj Novak" in data.DESCR
    data.positive[:] = 0  # a copy: the next load is unchanged
    assert load_emoji_sentiment().positive.max() > 0
    loved, angry, heart, heart_fe0f, thumb, thumb_toned, newer, custom = emoji_sentiment_log_odds(
        ["😍", "😡", "❤", "❤\ufe0f", "👍", "👍🏽", "🥳", "team:grinch"])
    assert loved > 0 > angry and heart == heart_fe0f > 0 and thumb == thumb_toned
    assert np.isnan(newer) and np.isnan(custom)  # not listed (🥳 is newer than the ranking)
    # An emoji seen in few tweets stays nearer 0 than its own counts say.
    few = [e for e, n in zip(data.emoji, data.negative + data.neutral + data.positive) if n < 10]
    assert np.abs(emoji_sentiment_log_odds(few, pseudo_tweets=20)).max() < \
        np.abs(emoji_sentiment_log_odds(few, pseudo_tweets=1)).max()
    licence = _SENTIMENT_DATA / "LICENSE-emoji-sentiment.txt"
    assert "Attribution-ShareAlike 4.0" in licence.read_text(encoding="utf-8")


def test_sentiment_sentences_read_the_vendored_files():
    texts, positive = sentiment_sentences()
    # 2,982 review sentences (1,490 positive), then 3,432 tweets (2,345 positive).
    assert len(texts) == len(set(texts)) == len(positive) == 2982 + 3432
    assert positive[:2982].sum() == 1490 and positive[2982:].sum() == 2345
    assert positive.dtype == bool
    assert "Good case, Excellent value." in set(texts[:2982][positive[:2982]])
    # HTML entities decoded; a tweet rated near 0 ("Do you have what it takes ... &gt;&gt; URL",
    # mean 0.04) is left out.
    assert "Yay. Another good phone interview." in set(texts[2982:][positive[2982:]])
    assert not any("&amp;" in text or "&lt;" in text for text in texts[2982:])
    assert not any(text.startswith("Do you have what it takes to be an entrepreneur")
                   for text in texts)
    assert "Attribution 4.0" in (_SENTIMENT_DATA / "LICENSE-sentiment-sentences.txt").read_text(
        encoding="utf-8")
    assert "MIT License" in (_SENTIMENT_DATA / "LICENSE-vader-tweets.txt").read_text(
        encoding="utf-8")


def test_emoticons_read_the_vendored_table(twemoji):
    emojis = emoticon_emojis()
    assert emojis[":)"] == emojis[":-)"] == "🙂" and emojis[":'("] == "😢" and emojis["<3"] == "❤"
    # Every emoticon stands for an emoji of the catalog, written without U+FE0F.
    assert set(emojis.values()) <= set(twemoji.emojis)
    assert len(emojis) > 90
    licence = _EMOTICONS_FILE.parent / "LICENSE-emojibase.txt"
    assert "MIT License" in licence.read_text(encoding="utf-8")
    assert "emojibase-data 17.0.0" in _EMOTICONS_FILE.read_text(encoding="utf-8")
