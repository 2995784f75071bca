"""SiameseEmojiRanker: the public contract, zero-shot candidates, numeric features, errors."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import top_k_accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.extmath import softmax

from skemoji._ranker import SiameseEmojiRanker
from skemoji._text import normalize_tweet
from skemoji._vae import EmojiVAE
from skemoji.datasets import load_emoji_names, load_tweeteval, load_twemoji, make_emojis

EMOJIS = ["🎄", "😡", "🔥", "🎉", "😂", "❤", "🍕", "🐶"]
FAST = dict(epochs=30, batch_size=32, validation_fraction=0, random_state=0)


@pytest.fixture(scope="module")
def vae():
    return EmojiVAE(latent_dim=4, epochs=1, random_state=0).fit(make_emojis(64, random_state=0))


@pytest.fixture(scope="module")
def names():
    """(text, emoji) pairs: the names of 8 emojis in 5 languages."""
    data = load_emoji_names(languages=("en", "fr", "es", "de", "it"))
    keep = np.isin(data.emoji, EMOJIS)
    return data.text[keep], data.emoji[keep]


@pytest.fixture(scope="module")
def tiny(vae):
    """A one-epoch fit on two texts, one with a stray U+FE0F."""
    return SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1}).fit(
        ["love it \ufe0f", "fire"], ["❤️", "🔥"])


@pytest.fixture(scope="module")
def ranker(vae, names):
    return SiameseEmojiRanker(vae=vae, **FAST).fit(*names)


def test_contract_shapes(ranker, names):
    texts, emojis = names
    assert list(ranker.classes_) == sorted(EMOJIS)
    scores = ranker.decision_function(texts)
    assert scores.shape == (len(texts), len(EMOJIS))
    assert np.all(np.isfinite(scores))
    proba = ranker.predict_proba(texts)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(proba, softmax(scores.astype(np.float64)), rtol=1e-5)
    predicted = ranker.predict(texts)
    assert set(predicted) <= set(EMOJIS)
    ranked = ranker.rank(texts, k=3)
    assert ranked.shape == (len(texts), 3)
    np.testing.assert_array_equal(ranked[:, 0], predicted)
    assert 0.0 <= ranker.score(texts, emojis) <= 1.0
    columns = [list(ranker.classes_).index(e) for e in emojis]
    np.testing.assert_allclose(
        ranker.similarity(texts, emojis), scores[np.arange(len(texts)), columns], rtol=1e-5
    )
    assert set(ranker.history_) == {"loss", "accuracy", "learned_loss", "learned_accuracy"}
    assert ranker.n_iter_ == len(ranker.history_["loss"]) == FAST["epochs"]


def test_learns_the_training_pairs(ranker, names):
    texts, emojis = names
    assert ranker.score(texts, emojis) > 0.8
    assert top_k_accuracy_score(emojis, ranker.decision_function(texts), k=3,
                                labels=ranker.classes_) > 0.9


def test_variation_selectors_are_ignored_in_lookups(ranker, tiny):
    assert ranker.similarity(["love"], ["❤️"])[0] == pytest.approx(
        ranker.similarity(["love"], ["❤"])[0]
    )
    assert ranker.score(["red heart"], ["❤️"]) == ranker.score(["red heart"], ["❤"])
    assert list(tiny.classes_) == ["❤", "🔥"]
    with pytest.raises(ValueError, match="already candidates"):
        pickle.loads(pickle.dumps(tiny)).add_candidates(["❤️"])


def test_add_catalog_candidates_zero_shot(ranker):
    zero_shot = pickle.loads(pickle.dumps(ranker)).add_candidates(["🎅", "🌲"])
    assert list(zero_shot.classes_[-2:]) == ["🎅", "🌲"]
    for embeddings in (zero_shot.candidate_embeddings_, zero_shot.candidate_name_embeddings_):
        assert embeddings.shape == (len(EMOJIS) + 2, ranker.embedding_dim)
        np.testing.assert_allclose(np.linalg.norm(embeddings, axis=1), 1, rtol=1e-5)
    assert zero_shot.decision_function(["santa"]).shape == (1, len(EMOJIS) + 2)
    assert zero_shot.rank(["santa claus"], k=len(zero_shot.classes_)).shape[1] == 10
    assert len(ranker.classes_) == len(EMOJIS)


def test_unseen_emojis_rank_by_their_content(ranker):
    # Never training answers: only their names and images (no learned score) can place them.
    unseen = ["🎅", "🌲", "🍔", "🐱"]
    zero_shot = pickle.loads(pickle.dumps(ranker)).add_candidates(unseen)
    texts = ["santa claus is coming", "an evergreen tree", "a hamburger please", "my cat"]
    scores = zero_shot.decision_function(texts)
    positions = (scores > scores[np.arange(4), len(EMOJIS) + np.arange(4)][:, None]).sum(axis=1)
    # 12 candidates: by chance an emoji is in the top 3 for a quarter of the texts.
    assert np.mean(positions < 3) >= 0.75, positions


def test_zero_shot_on_tweets_borrows_from_look_alikes(vae, tweeteval_dir):
    # 📷 and 💙 never answer in training, but 📸 and 💜 (alike in picture and name) do:
    # added afterwards, 📷 and 💙 borrow their learned scores. On these 6,000 tweets their
    # top-5 recall among the 20 answers is 0.61 with that and 0.40 without.
    held_out = ["📷", "💙"]
    train, val = load_tweeteval(tweeteval_dir, "train"), load_tweeteval(tweeteval_dir, "val")
    seen = ~np.isin(train.emoji[:6000], held_out)
    ranker = SiameseEmojiRanker(vae=vae, epochs=5, random_state=0)
    ranker.fit(train.text[:6000][seen], train.emoji[:6000][seen]).add_candidates(held_out)
    unseen = np.isin(val.emoji, held_out)
    top5 = ranker.rank(val.text[unseen], k=5)
    recall = np.mean([emoji in row for emoji, row in zip(val.emoji[unseen], top5)])
    assert recall >= 0.5, recall  # chance: 0.25 (5 of 20 candidates)


def test_whole_catalog_added_does_not_crowd_out_the_training_emojis(vae, tweeteval_dir):
    # ~3,960 added emojis against 20 trained ones: without the shared prior of added
    # emojis, top-5 accuracy on these tweets falls from 0.56 to 0.04 (0.55 with it).
    train, val = load_tweeteval(tweeteval_dir, "train"), load_tweeteval(tweeteval_dir, "val")
    ranker = SiameseEmojiRanker(vae=vae, epochs=5, random_state=0)
    ranker.fit(train.text[:6000], train.emoji[:6000])
    texts, answers = val.text[:2000], val.emoji[:2000]
    alone = ranker.rank(texts, k=5)
    ranker.add_candidates([e for e in load_twemoji().emojis if e not in set(ranker.classes_)])
    among_all = ranker.rank(texts, k=5)

    def top5(ranks):
        return np.mean([answer in row for answer, row in zip(answers, ranks)])

    assert top5(among_all) >= top5(alone) - 0.05, (top5(among_all), top5(alone))
    assert not np.isin(among_all, ranker.classes_[:20]).all()  # added emojis do get in


def test_learned_scores_and_their_weight(vae, names):
    texts, emojis = names
    ranker = SiameseEmojiRanker(vae=vae, **{**FAST, "validation_fraction": 0.3}).fit(texts, emojis)
    assert 0.0 <= ranker.content_weight_ <= 4.0
    assert ranker.emoji_scorer_.output_shape == (None, len(EMOJIS))
    without = SiameseEmojiRanker(vae=vae, answer_features=("image", "name"), **FAST)
    without.fit(texts, emojis)
    assert without.emoji_scorer_ is None and without.content_weight_ == 1.0
    assert without.score(texts, emojis) > 0.8  # the towers rank on their own


def test_add_custom_and_generated_candidates(ranker, vae):
    extended = pickle.loads(pickle.dumps(ranker))
    images = make_emojis(2, random_state=1)
    extended.add_candidates(["team:party", "team:cat"], images=images, names=["party", "cat"])
    extended.add_candidates(["gen:1", "gen:2"], images=vae.sample(2, random_state=0))
    assert list(extended.classes_[-4:]) == ["team:party", "team:cat", "gen:1", "gen:2"]
    assert set(extended.rank(["party time"], k=12)[0]) == set(extended.classes_)
    flat = images.reshape(2, -1)
    extended.add_candidates(["team:flat", "team:flat2"], images=flat)
    assert extended.candidate_embeddings_.shape[0] == len(extended.classes_)


def test_add_candidates_errors(ranker):
    extended = pickle.loads(pickle.dumps(ranker))
    with pytest.raises(ValueError, match="not in the Twemoji catalog.*images="):
        extended.add_candidates(["team:parrot"])
    with pytest.raises(ValueError, match="same length"):
        extended.add_candidates(["team:a", "team:b"], images=make_emojis(1, random_state=0))
    with pytest.raises(ValueError, match="same length"):
        extended.add_candidates(["🎅"], names=["santa", "claus"])
    with pytest.raises(ValueError, match="repeated"):
        extended.add_candidates(["🎅", "🎅"])
    with pytest.raises(ValueError, match="shape"):
        extended.add_candidates(["team:a"], images=np.zeros((1, 10)))
    assert len(extended.classes_) == len(EMOJIS)


def test_numeric_features_in_a_pipeline(vae, names):
    texts, emojis = names
    pipe = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)),
                         SiameseEmojiRanker(vae=vae, **FAST))
    pipe.fit(texts, emojis)
    assert pipe.score(texts, emojis) > 0.5
    ranker = pipe[-1]
    assert not ranker.text_input_ and ranker.n_features_in_ == pipe[0].transform(texts[:1]).shape[1]
    assert ranker.candidate_name_embeddings_ is None  # its first layer cannot read names
    ranker.add_candidates(["🎅"])
    assert pipe.decision_function(texts[:3]).shape == (3, len(EMOJIS) + 1)
    with pytest.raises(TypeError, match="numeric feature array"):
        ranker.predict(texts[:2])
    dense = SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1}).fit(
        pipe[0].transform(texts).toarray(), emojis)
    assert dense.predict(pipe[0].transform(texts[:2]).toarray()).shape == (2,)
    with pytest.raises(ValueError, match="features"):
        dense.predict(np.zeros((2, 3)))


def test_pickle_round_trip_gives_identical_outputs(ranker, names):
    texts, _ = names
    restored = pickle.loads(pickle.dumps(ranker))
    np.testing.assert_array_equal(restored.decision_function(texts), ranker.decision_function(texts))
    np.testing.assert_array_equal(restored.rank(texts, k=4), ranker.rank(texts, k=4))
    # With added emojis too, whose name features are recomputed on loading, not stored.
    extended = pickle.loads(pickle.dumps(ranker)).add_candidates(["🎅", "🌲"])
    assert "candidate_name_features_" not in extended.__getstate__()
    restored = pickle.loads(pickle.dumps(extended))
    assert restored.candidate_name_features_.shape[0] == len(EMOJIS) + 2
    np.testing.assert_array_equal(restored.decision_function(texts), extended.decision_function(texts))


def test_clone_and_vae_parameter(ranker, vae):
    fresh = clone(ranker)
    assert fresh.get_params()["epochs"] == FAST["epochs"]
    assert not hasattr(fresh, "classes_")
    assert ranker.vae_ is not vae  # a fitted vae is copied, not shared
    unfitted = EmojiVAE(latent_dim=3, epochs=1, random_state=0)
    fitted = SiameseEmojiRanker(vae=unfitted, **{**FAST, "epochs": 1}).fit(["a", "b"], ["🔥", "🎉"])
    assert fitted.vae_.latent_dim == 3 and fitted.candidate_embeddings_.shape == (2, 128)
    with pytest.raises(NotFittedError):
        unfitted.transform(make_emojis(1, random_state=0))


@pytest.mark.parametrize("params", [
    {"question_tower": "cnn"},
    {"question_tower": "bilstm", "loss": "hinge", "answer_features": ("image",),
     "hidden_units": (100, 50), "embedding_dim": 10, "activation": "tanh"},
    {"answer_features": ("name",), "class_weight": None},
])
def test_other_configurations_fit(vae, names, params):
    texts, emojis = names
    ranker = SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1, **params}).fit(texts, emojis)
    assert ranker.rank(texts[:3], k=2).shape == (3, 2)
    assert list(ranker.add_candidates(["🎅"]).classes_[-1:]) == ["🎅"]


def test_validation_split_and_early_stopping(vae, tweeteval_dir):
    tweets = load_tweeteval(tweeteval_dir, "val")
    ranker = SiameseEmojiRanker(vae=vae, epochs=3, random_state=0, n_iter_no_change=1)
    ranker.fit(tweets.text[:400], tweets.emoji[:400])
    stages = {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert set(ranker.history_) == stages | {f"learned_{key}" for key in stages}
    assert 1 <= ranker.n_iter_ <= 3 and 1 <= len(ranker.history_["learned_loss"]) <= 3
    scores = ranker.decision_function(tweets.text[400:600])
    assert scores.shape == (200, len(set(tweets.emoji[:400])))


def test_strip_variation_selectors_changes_the_features(vae, tiny):
    stripped = clone(tiny).set_params(strip_variation_selectors=True).fit(
        ["love it \ufe0f", "fire"], ["❤", "🔥"])
    assert "\ufe0f" in "".join(tiny.vectorizers_[1].vocabulary_)
    assert "\ufe0f" not in "".join(stripped.vectorizers_[1].vocabulary_)
    assert normalize_tweet("@Bob see https://x.co NOW") == "@user see httpurl now"


@pytest.mark.parametrize("call, error, match", [
    (lambda r: r.fit(["a", "b", "c"], ["🔥", "🎉"]), ValueError, "same length"),
    (lambda r: r.fit(["a", "b"], ["🔥", "🔥"]), ValueError, "at least 2 distinct"),
    (lambda r: r.fit(["a", "b"], ["🔥", "team:parrot"]), ValueError, "not in the Twemoji catalog"),
    (lambda r: r.fit("a text", ["🔥"]), TypeError, "single str"),
    (lambda r: r.fit([], []), ValueError, "empty"),
    (lambda r: r.fit(["a", None], ["🔥", "🎉"]), TypeError, "only str"),
    (lambda r: r.set_params(answer_features=("id",)).fit(["a", "b"], ["🔥", "🎉"]),
     ValueError, "answer_features"),
    (lambda r: r.set_params(epochs=0).fit(["a", "b"], ["🔥", "🎉"]), ValueError, "epochs"),
    (lambda r: r.predict(["a"]), NotFittedError, "not fitted"),
])
def test_fit_errors(vae, call, error, match):
    with pytest.raises(error, match=match):
        call(SiameseEmojiRanker(vae=vae, **FAST))


@pytest.mark.parametrize("k", [0, 9, 1.5, "3"])
def test_rank_rejects_bad_k(ranker, k):
    with pytest.raises(ValueError, match="k must be"):
        ranker.rank(["fire"], k=k)


def test_prediction_errors(ranker):
    with pytest.raises(TypeError, match="fitted on texts"):
        ranker.predict(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="Unknown emoji"):
        ranker.similarity(["fire"], ["🦄"])
    with pytest.raises(ValueError, match="same length"):
        ranker.similarity(["fire", "pizza"], ["🔥"])
    with pytest.raises(TypeError, match="single str"):
        ranker.predict("fire")
