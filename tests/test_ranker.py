"""SiameseEmojiRanker: the public contract, the one scoring formula, zero-shot candidates, errors."""

import copy
import pickle
import time
import warnings

import numpy as np
import pytest
from scipy.special import log_softmax, logsumexp
from scipy.special import softmax as scipy_softmax
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, top_k_accuracy_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils.extmath import softmax
from sklearn.utils.validation import check_is_fitted

import skemoji
from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji._text import normalize_tweet
from skemoji._vae import TRAINING_0_3
from skemoji.datasets import load_emoji_names, load_tweeteval, load_twemoji, make_emojis
from skemoji.datasets._popularity import emoji_popularity
from skemoji.datasets._sentiment import emoji_sentiment_log_odds
from skemoji.ranker import _estimator, _scoring, _training
from skemoji.ranker._scoring import (
    CHUNK_SIZE,
    HEAD_SCALES,
    LEVEL_OFFSETS,
    TOP_K_BLOCK,
    WEIGHT_NAMES,
    balanced_offset,
    combine,
    fit_head_mixing,
    fit_weights,
    macro_f1_biases,
    matched_level,
    top_k,
)
from skemoji.ranker._sentiment import text_sentiment

EMOJIS = ["🎄", "😡", "🔥", "🎉", "😂", "❤", "🍕", "🐶"]
# Tiny and quick: no catalog pairs (the English catalog adds ~37k pairs), small towers,
# every emoji of the 5-7 pairs each headed.
FAST = dict(catalog_languages=(), epochs=5, batch_size=32, hidden_units=(32,), embedding_dim=16,
            head_min_pairs=3, validation_fraction=0, random_state=0)


@pytest.fixture(scope="module")
def vae():
    # Trained as the ranker trains its own VAE (skemoji 0.3's schedule and validation split, the
    # encoder's codes unrefined); narrow networks and a small prior keep refits on the whole
    # catalog quick.
    return EmojiVAE(latent_dim=4, filters=(8, 16), decoder_filters=(8, 16), residual_blocks=0, epochs=1,
                    batch_size=256, **TRAINING_0_3, refine_steps=0, prior_components=8,
                    random_state=0).fit(make_emojis(64, random_state=0))


@pytest.fixture(scope="module")
def names():
    """(text, emoji) pairs: the names of 8 emojis in 5 languages (47 pairs, 5-7 per emoji)."""
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
    """With a validation split, so the formula's weights are fitted on a simulated zero-shot."""
    return SiameseEmojiRanker(vae=vae, **{**FAST, "validation_fraction": 0.25}).fit(*names)


@pytest.fixture(scope="module")
def extended(ranker):
    """The ranker with two catalog emojis added (a private copy)."""
    return pickle.loads(pickle.dumps(ranker)).add_candidates(["🎅", "🌲"])


def _formula(ranker, texts):
    """decision_function computed by hand from the fitted parts."""
    tfidf, features = ranker.featurizer_.transform_both(texts)
    q = ranker.towers_.embed_questions(features)
    s = np.asarray(tfidf @ ranker.head_coef_.astype(np.float32).T) + ranker.head_intercept_
    c = ranker.candidates_
    content = c.content * (q @ c.embeddings.T) / ranker.temperature
    v = features / np.linalg.norm(features, axis=1, keepdims=True).clip(1e-12)
    text = ranker.weights_["w_text"] * (v @ c.text_vectors.T)
    f = ranker.featurizer_
    g = np.asarray(tfidf[:, f.word_columns_] @ f.word_vectors_.astype(np.float32))
    g /= np.linalg.norm(g, axis=1, keepdims=True).clip(1e-12)
    words = c.word_weight * ((g - ranker.word_mean_) @ c.word_vectors.T)
    head, bias = c.head, c.bias
    if ranker.head_mixing_ is not None and len(c) == len(ranker.head_emojis_):
        head, bias = ranker.head_mixing_, ranker.head_mixing_bias_  # stack_head: all headed
    return content + text + words + s @ head.T + bias


# ---------------------------------------------------------------- the contract


def test_contract_shapes(ranker, names):
    texts, emojis = names
    assert list(ranker.classes_) == sorted(EMOJIS)
    assert ranker.n_emojis_ == len(EMOJIS)
    scores = ranker.decision_function(texts)
    assert scores.shape == (len(texts), len(EMOJIS))
    assert np.all(np.isfinite(scores))
    proba = ranker.predict_proba(texts)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(proba, softmax(scores.astype(np.float64)), rtol=1e-5)
    predicted = ranker.predict(texts)
    assert set(predicted) <= set(EMOJIS)
    np.testing.assert_array_equal(predicted, ranker.classes_[np.argmax(scores, axis=1)])
    ranked = ranker.rank(texts, k=3)
    assert ranked.shape == (len(texts), 3)
    np.testing.assert_array_equal(ranked[:, 0], predicted)
    assert 0.0 <= ranker.score(texts, emojis) <= 1.0
    columns = [list(ranker.classes_).index(e) for e in emojis]
    np.testing.assert_allclose(
        ranker.similarity(texts, emojis), scores[np.arange(len(texts)), columns], rtol=1e-5
    )
    stages = {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert set(ranker.history_) == stages | {f"sim_{key}" for key in stages}
    assert 1 <= ranker.n_iter_ == len(ranker.history_["loss"]) <= FAST["epochs"]


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
    copied = pickle.loads(pickle.dumps(tiny))
    with pytest.raises(ValueError, match=r"each once; already candidates: \['❤'\]\.$"):
        copied.add_candidates(["❤️"])
    with pytest.raises(ValueError, match=r"each once; repeated: \['🎄'\]\.$"):
        copied.add_candidates(["🎄", "🎄"])


# ---------------------------------------------------------------- the one scoring formula


@pytest.mark.parametrize("which", ["fitted", "extended"])
def test_decision_function_is_the_formula(ranker, extended, names, which):
    model = ranker if which == "fitted" else extended
    texts = list(names[0]) + ["santa claus is coming", "an evergreen tree", ""]
    np.testing.assert_allclose(model.decision_function(texts), _formula(model, texts),
                               rtol=1e-4, atol=1e-4)
    c = model.candidates_
    assert c.embeddings.shape == (len(model.classes_), model.embedding_dim)
    np.testing.assert_allclose(np.linalg.norm(c.embeddings, axis=1), 1, rtol=2e-3)  # float16-rounded
    assert c.head.shape == (len(model.classes_), len(model.head_emojis_))
    assert model.head_coef_.shape[0] == len(model.head_emojis_) == len(EMOJIS)


def test_weights_are_fitted_on_a_simulated_zero_shot(ranker, tiny):
    w = ranker.weights_
    fitted = ("w_content", "w_content_imputed", "w_text", "w_words", "w_head", "w_borrow",
              "b_imputed")
    assert set(w) == set(fitted) | {"n_imputed_in_fit", "w_popularity", "head_scale",
                                    "w_sentiment", "mixed_head_scale"}
    assert w["head_scale"] in HEAD_SCALES and w["w_sentiment"] == 0.0  # the parameter's default
    assert tuple(w[k] for k in fitted) != (1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0)
    assert all(np.isfinite(w[k]) for k in fitted)
    # A quarter of the 8 headed emojis were hidden.
    assert w["n_imputed_in_fit"] == 2
    # Without a validation split there is nothing to fit them on: they stay at 1 (and 0).
    assert all(tiny.weights_[k] == 1.0 for k in fitted
               if k not in ("w_text", "w_words", "b_imputed"))
    assert tiny.weights_["w_text"] == tiny.weights_["w_words"] == 0.0
    assert tiny.weights_["b_imputed"] == 0.0 and not any(k.startswith("sim_") for k in tiny.history_)


def test_balanced_offset_takes_the_best_balance_of_both_recalls():
    rng = np.random.RandomState(0)
    imputed = np.array([0.0, 0.0, 0.0, 1.0])
    targets = np.repeat([0, 1, 2, 3], 50)
    scores = rng.normal(size=(200, 4))
    scores[np.arange(200), targets] += 1.0
    scores[:, 3] -= 1.0  # the imputed candidate's level is too low for its own pairs
    weight = rng.uniform(0.5, 1.5, size=200)

    def harmonic_top1(offset):
        top = np.argmax(scores + offset * imputed, axis=1) == targets
        to_imputed = targets == 3
        a = np.average(top[to_imputed], weights=weight[to_imputed])
        b = np.average(top[~to_imputed], weights=weight[~to_imputed])
        return 2 * a * b / (a + b)

    offset = balanced_offset(scores, imputed, targets, weight, k=1)
    assert offset in LEVEL_OFFSETS and offset > 0
    assert harmonic_top1(offset) == max(harmonic_top1(o) for o in LEVEL_OFFSETS) > harmonic_top1(0.0)
    # Of offsets as good, the one nearest the log-loss's level (0).
    assert all(harmonic_top1(o) < harmonic_top1(offset) for o in LEVEL_OFFSETS if abs(o) < offset)
    assert balanced_offset(scores, imputed, targets, weight, k=1) == offset  # deterministic
    # With no pairs of an imputed answer (or only such pairs) there is nothing to balance.
    seen = targets != 3
    assert balanced_offset(scores[seen], imputed, targets[seen], weight[seen], k=1) == 0.0
    assert balanced_offset(scores[~seen], imputed, targets[~seen], weight[~seen], k=1) == 0.0


def test_zero_shot_level_moves_only_the_imputed_bias(ranker, names, monkeypatch):
    # A fixed offset shows where the balanced one goes (the fixture's dozen held-out pairs
    # would choose one by chance).
    calls = []

    def offset(scores, imputed, targets, sample_weight, k):
        calls.append((scores.shape, k))
        return 0.35

    monkeypatch.setattr(_scoring, "balanced_offset", offset)
    # w_head as the log-loss fitted it: a head scaled for macro-F1 moves the level again.
    plain = clone(ranker).set_params(calibrate_head=False)
    balanced = clone(plain).fit(*names)
    log_loss = clone(plain).set_params(zero_shot_level="log_loss").fit(*names)
    assert ranker.zero_shot_level == "balanced" and len(calls) == 1
    (_, n_candidates), k = calls[0]
    assert n_candidates == len(EMOJIS) and k == 5  # the top 5 that rank() answers by default
    for name, value in balanced.weights_.items():
        expected = log_loss.weights_[name] + (0.35 if name == "b_imputed" else 0.0)
        assert value == pytest.approx(expected, rel=1e-6), name


def test_add_candidates_imputes_head_columns_and_biases(ranker, extended, names):
    c, w = extended.candidates_, extended.weights_
    assert list(extended.classes_) == sorted(EMOJIS) + ["🎅", "🌲"]
    assert list(c.emojis) == list(extended.classes_)
    headed = np.isin(c.emojis, extended.head_emojis_)
    np.testing.assert_array_equal(headed, [True] * len(EMOJIS) + [False, False])
    # A headed emoji weighs its own head score by w_head.
    for row in np.flatnonzero(headed):
        one_hot = (extended.head_emojis_ == c.emojis[row]).astype(np.float32)
        np.testing.assert_allclose(c.head[row], one_hot * w["w_head"], rtol=1e-6)
    # An added one borrows: w_borrow x softmax over its cosines with the headed emojis'.
    head_rows = [list(c.emojis).index(e) for e in extended.head_emojis_]
    cosines = c.embeddings[~headed] @ c.embeddings[head_rows].T
    borrowed = w["w_borrow"] * scipy_softmax(cosines / extended.neighbour_temperature, axis=1)
    np.testing.assert_allclose(c.head[~headed], borrowed, rtol=1e-4, atol=1e-6)
    # Content scores weigh w_content for headed emojis, w_content_imputed for the others.
    np.testing.assert_allclose(c.content[headed], w["w_content"], rtol=1e-6)
    np.testing.assert_allclose(c.content[~headed], w["w_content_imputed"], rtol=1e-6)
    # Its bias is the fitted one, shared out once they outnumber the fit's imputed emojis, and
    # moved by its popularity.
    n_added = int((~headed).sum())
    expected = (w["b_imputed"] - np.log(max(1.0, n_added / w["n_imputed_in_fit"]))
                + _popularity_moves(extended, c.emojis[~headed]))
    np.testing.assert_allclose(c.bias[~headed], expected, rtol=1e-5, atol=1e-6)
    # The training emojis keep their columns and biases (their scores, those of the formula
    # without the head mixing once an added emoji competes: test_stack_head_...).
    np.testing.assert_array_equal(c.head[:len(EMOJIS)], ranker.candidates_.head)
    np.testing.assert_array_equal(c.bias[:len(EMOJIS)], ranker.candidates_.bias)
    assert len(ranker.classes_) == len(EMOJIS)  # the fixture's ranker is untouched


def test_many_added_emojis_share_the_imputed_bias(extended):
    more = pickle.loads(pickle.dumps(extended)).add_candidates(["🍔", "🐱", "🌮", "🎂"])
    w, c = more.weights_, more.candidates_
    expected = w["b_imputed"] - np.log(6 / w["n_imputed_in_fit"])
    np.testing.assert_allclose(c.bias[len(EMOJIS):] - _popularity_moves(more, c.emojis[len(EMOJIS):]),
                               expected, rtol=1e-5, atol=1e-6)


def _popularity_moves(ranker, emojis):
    """w_popularity x popularity, less the level that keeps their mass, by hand: 0 if unknown."""
    moves = ranker.weights_["w_popularity"] * emoji_popularity(emojis)
    return np.nan_to_num(moves - np.log(np.nanmean(np.exp(moves))))


def test_popularity_prior_moves_added_emojis_by_how_much_they_are_used(ranker, names):
    # The slope of the log number of pairs on popularity, over the (all headed) emojis, clipped.
    popularity = emoji_popularity(EMOJIS)
    assert np.all(np.isfinite(popularity))
    counts = [np.sum(names[1] == e) for e in EMOJIS]
    slope = np.clip(np.polyfit(popularity, np.log(counts), 1)[0], 0, np.log(10))
    assert ranker.weights_["w_popularity"] == pytest.approx(slope, rel=1e-6, abs=1e-12)
    # Twice as many pairs for the more used half of the emojis: a clear slope.
    used = np.isin(names[1], np.array(EMOJIS)[popularity >= np.median(popularity)])
    texts = np.concatenate([names[0], names[0][used]])
    emojis = np.concatenate([names[1], names[1][used]])
    fitted = clone(ranker).fit(texts, emojis)
    slope = fitted.weights_["w_popularity"]
    assert 0.0 < slope <= np.log(10)
    added = pickle.loads(pickle.dumps(fitted)).add_candidates(["😉", "🫠"])
    added.add_candidates(["team:grinch"], images=make_emojis(1, random_state=0), names=["grinch"])
    bias = dict(zip(added.classes_, added.candidates_.bias))
    winking, melting = emoji_popularity(["😉", "🫠"])
    assert melting == 0.0 and winking > 3  # 🫠 is newer than the frequency lists
    assert bias["😉"] - bias["🫠"] == pytest.approx(slope * winking, rel=1e-5)
    # Together they keep their prior mass; a custom emoji, of no known popularity, is not moved.
    level = fitted.weights_["b_imputed"] - np.log(3 / fitted.weights_["n_imputed_in_fit"])
    assert logsumexp([bias["😉"], bias["🫠"]]) == pytest.approx(level + np.log(2), rel=1e-5)
    assert bias["team:grinch"] == pytest.approx(level, rel=1e-5, abs=1e-6)
    # A number is the weight itself, whatever the pairs say.
    fixed = clone(fitted).set_params(popularity_prior=0.5).fit(texts, emojis)
    assert fixed.weights_["w_popularity"] == 0.5
    # Without the prior, every added emoji has that bias.
    plain = clone(fitted).set_params(popularity_prior=False).fit(texts, emojis)
    assert "w_popularity" not in plain.weights_
    plain.add_candidates(["😉", "🫠"])
    np.testing.assert_allclose(plain.candidates_.bias[-2:], plain.candidates_.bias[-1], rtol=1e-6)


@pytest.mark.parametrize("folds, validation_fraction, calibrated_on", [
    (5, 0.0, "all"),  # every pair, its head scores out of fold (stratified folds)
    (6, 0.0, "all"),  # more folds than the rarest emoji's 5 pairs: unstratified, no warning
    (None, 0.25, "validation"),
    (None, 0.0, "none"),  # no validation pairs to calibrate on
])
def test_offsets_are_calibrated_where_calibration_folds_says(vae, names, monkeypatch, folds,
                                                             validation_fraction, calibrated_on):
    calls = []

    def spy(scores, targets, classes):
        calls.append((scores, targets, original(scores, targets, classes)[0]))
        return calls[-1][2], 0.0

    original = _scoring.macro_f1_biases
    monkeypatch.setattr(_scoring, "macro_f1_biases", spy)
    params = {**FAST, "epochs": 1, "calibration_folds": folds, "calibrate_head": False,
              "validation_fraction": validation_fraction, "stack_head": False}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ranker = SiameseEmojiRanker(vae=vae, **params).fit(*names)
    assert not [w for w in caught if "members" in str(w.message)]  # sklearn's few-members warning
    offsets = ranker.candidates_.bias[:len(EMOJIS)]
    if calibrated_on == "none":
        assert calls == [] and not offsets.any()
        return
    [(scores, targets, fitted)] = calls
    assert len(targets) == len(names[0]) if calibrated_on == "all" else 0 < len(targets) < len(names[0])
    # The fitted offsets, all moved alike so that the emojis keep their probability mass
    # (the imputed bias was fitted without offsets).
    np.testing.assert_allclose(offsets - fitted, (offsets - fitted)[0], atol=1e-6)
    np.testing.assert_allclose(logsumexp(scores + offsets, axis=1).mean(),
                               logsumexp(scores, axis=1).mean(), rtol=1e-5)


def test_calibrate_head_scales_w_head_by_the_multiple_with_the_best_macro_f1(vae, names,
                                                                          monkeypatch):
    calls = []

    def spy(scores, targets, classes):
        offsets, value = original(scores, targets, classes)
        calls.append((scores, offsets, value))
        return offsets, value

    original = _scoring.macro_f1_biases
    monkeypatch.setattr(_scoring, "macro_f1_biases", spy)
    params = {**FAST, "epochs": 1, "validation_fraction": 0.25, "stack_head": False}
    scaled = SiameseEmojiRanker(vae=vae, **params).fit(*names)
    monkeypatch.undo()
    plain = SiameseEmojiRanker(vae=vae, **params, calibrate_head=False).fit(*names)
    # One calibration per multiple; the first with the best macro-F1 is kept, with its offsets.
    assert len(calls) == len(HEAD_SCALES)
    values = [value for _, _, value in calls]
    best = int(np.argmax(values))
    scale = scaled.weights_["head_scale"]
    assert scale == HEAD_SCALES[best] and plain.weights_["head_scale"] == 1.0
    scores, offsets, _ = calls[best]
    kept = scaled.candidates_.bias[:len(EMOJIS)]
    np.testing.assert_allclose(kept - offsets, (kept - offsets)[0], atol=1e-5)
    # The same fit otherwise: the log-loss's weights, w_head times the multiple.
    for name in ("w_content", "w_content_imputed", "w_text", "w_words", "w_borrow"):
        assert scaled.weights_[name] == pytest.approx(plain.weights_[name], rel=1e-5)
    assert scaled.weights_["w_head"] == pytest.approx(scale * plain.weights_["w_head"], rel=1e-5)


def test_fit_head_mixing_lets_one_head_score_move_another_emoji():
    rng = np.random.RandomState(0)
    n = 3000
    own = rng.normal(size=(n, 4)).astype(np.float32)
    own[:, 3] = 0  # the last candidate has no head score (imputed)
    targets = np.argmax(own[:, :3] + rng.gumbel(size=(n, 3)), axis=1)
    targets[own[:, 0] > 1.0] = 2  # where emoji 0's head score is high, the answer is emoji 2
    zeros = np.zeros_like(own)
    parts = (zeros, zeros, zeros, own, zeros)
    imputed = np.array([0.0, 0.0, 0.0, 1.0])
    weights = {name: 0.0 for name in WEIGHT_NAMES}
    weights.update(w_head=1.0, w_borrow=1.0, b_imputed=-5.0)
    sample_weight = np.ones(n)

    def log_loss(mixing, intercept):
        scores = combine(*parts, [weights[k] for k in WEIGHT_NAMES], imputed, head_mixing=mixing)
        return -np.mean(log_softmax(scores + intercept, axis=1)[np.arange(n), targets])

    mixing, intercept = fit_head_mixing(parts, weights, imputed, targets, sample_weight)
    start = np.diag([1.0, 1.0, 1.0, 0.0]).astype(np.float32)
    assert log_loss(mixing, intercept) < log_loss(start, np.zeros(4)) - 0.05
    assert mixing[2, 0] > 0.5 > abs(mixing[1, 0])  # 0's score raises 2, not 1
    # Nothing for the imputed candidate: no head score to read, none read.
    assert not mixing[3].any() and not mixing[:, 3].any() and intercept[3] == 0
    # A strong penalty keeps the mixing at w_head times the identity.
    held, _ = fit_head_mixing(parts, weights, imputed, targets, sample_weight, C=1e-6)
    np.testing.assert_allclose(held, start, atol=1e-3)


def test_stack_head_mixes_the_head_scores_while_every_candidate_is_headed(ranker, names,
                                                                         monkeypatch):
    # "auto": the fixture's eight answers all have a head, few enough to mix.
    assert ranker.stack_head == "auto" and len(ranker.head_emojis_) == len(ranker.classes_)
    n_head = len(ranker.head_emojis_)
    assert ranker.head_mixing_.shape == (n_head, n_head) and ranker.head_mixing_.dtype == np.float32
    assert ranker.head_mixing_bias_.shape == (n_head,)
    assert ranker.weights_["mixed_head_scale"] in HEAD_SCALES
    np.testing.assert_allclose(ranker.decision_function(names[0]), _formula(ranker, names[0]),
                               rtol=1e-4, atol=1e-4)
    # Underneath is the ranker without the mix, every fitted part the same.
    plain = clone(ranker).set_params(stack_head=False).fit(*names)
    assert plain.head_mixing_ is None and plain.head_mixing_bias_ is None
    assert {k: v for k, v in ranker.weights_.items() if k != "mixed_head_scale"} == plain.weights_
    np.testing.assert_array_equal(ranker.candidates_.head, plain.candidates_.head)
    np.testing.assert_array_equal(ranker.candidates_.bias, plain.candidates_.bias)
    assert not np.allclose(ranker.decision_function(names[0]), plain.decision_function(names[0]))
    # Once an emoji without a head score competes, the headed emojis are scored by their own
    # head scores, as without the mix (against which its level was set); pickling keeps both.
    extended = pickle.loads(pickle.dumps(ranker)).add_candidates(["🎅"])
    np.testing.assert_allclose(extended.decision_function(names[0]),
                               clone(plain).fit(*names).add_candidates(["🎅"])
                               .decision_function(names[0]), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(extended.head_mixing_, ranker.head_mixing_)
    # Nothing to fit it on without the offsets' pairs; "auto" leaves many headed emojis unmixed.
    assert clone(ranker).set_params(calibrate_biases=False).fit(*names).head_mixing_ is None
    monkeypatch.setattr(_estimator, "AUTO_STACK_MAX_EMOJIS", n_head - 1)
    assert clone(ranker).fit(*names).head_mixing_ is None
    assert clone(ranker).set_params(stack_head=True).fit(*names).head_mixing_ is not None


def test_a_version_5_state_with_a_mix_in_its_head_columns_scores_as_it_did(ranker, names):
    # Version 5 held the mix as the headed candidates' head columns and biases.
    state = ranker.__getstate__()
    n_head = len(ranker.head_emojis_)
    state["candidates_"]["head"] = ranker.head_mixing_.copy()
    state["candidates_"]["bias"] = ranker.head_mixing_bias_.copy()
    del state["head_mixing_bias_"]
    state["state_version_"] = 5
    old = SiameseEmojiRanker.__new__(SiameseEmojiRanker)
    old.__setstate__(state)
    np.testing.assert_array_equal(old.head_mixing_bias_, ranker.head_mixing_bias_)
    np.testing.assert_allclose(old.decision_function(names[0]), ranker.decision_function(names[0]),
                               rtol=1e-6, atol=1e-6)
    assert old.candidates_.head.shape == (n_head, n_head)


def test_liblinear_never_fits_two_heads_at_once(vae, names, monkeypatch):
    # The calibration folds' heads are fitted in threads, and liblinear's shuffling generator
    # is one per process: fits at once would interleave its draws and make fits unrepeatable.
    running, most = [], []

    class CountingSVC(_training.LinearSVC):
        def fit(self, *args, **kwargs):
            running.append(self)
            most.append(len(running))
            time.sleep(0.05)  # long enough for another thread's fit to start, if it may
            try:
                return super().fit(*args, **kwargs)
            finally:
                running.remove(self)

    monkeypatch.setattr(_training, "LinearSVC", CountingSVC)
    SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1}).fit(*names)
    assert len(most) > 1 and max(most) == 1


def test_tower_scale_multiplies_the_towers_weights_as_the_log_loss_fitted_them(vae, names):
    params = {**FAST, "epochs": 1, "validation_fraction": 0.25, "calibrate_head": False}
    plain = SiameseEmojiRanker(vae=vae, **params).fit(*names)
    scaled = SiameseEmojiRanker(vae=vae, **params, tower_scale=0.25).fit(*names)
    for name in ("w_content", "w_content_imputed"):
        assert scaled.weights_[name] == pytest.approx(0.25 * plain.weights_[name], rel=1e-5)
    for name in ("w_text", "w_words", "w_head", "w_borrow", "b_imputed"):
        assert scaled.weights_[name] == pytest.approx(plain.weights_[name], rel=1e-5, abs=1e-6)
    # Emojis added later are scored with the scaled weight too.
    for ranker in (plain, scaled):
        ranker.add_candidates(["🍩"])
    np.testing.assert_allclose(scaled.candidates_.content, 0.25 * plain.candidates_.content,
                               rtol=1e-5)


def test_macro_f1_biases_raise_macro_f1_as_sklearn_counts_it():
    rng = np.random.RandomState(0)
    targets = rng.choice(6, size=500, p=[0.4, 0.3, 0.1, 0.1, 0.06, 0.04])
    targets[:2] = 5  # label 5 present; column 6 is never an answer
    scores = rng.normal(size=(500, 7))
    scores[np.arange(500), targets] += 1.0
    offsets, best = macro_f1_biases(scores, targets, np.arange(6))
    assert offsets[6] == 0.0  # only the given columns move

    def sklearn_f1(bias):
        return f1_score(targets, np.argmax(scores + bias, axis=1), labels=np.unique(targets),
                        average="macro", zero_division=0)

    assert best == pytest.approx(sklearn_f1(offsets), abs=1e-12)
    assert best > sklearn_f1(0.0) + 0.01  # the rare emojis' offsets help


def test_matched_level_keeps_the_imputed_emojis_top_k_recall_when_w_head_changes():
    rng = np.random.RandomState(0)
    n, n_candidates, k = 400, 8, 3
    imputed = np.array([0.0] * 6 + [1.0] * 2)
    targets = rng.randint(n_candidates, size=n)
    parts = [rng.normal(size=(n, n_candidates)) for _ in range(5)]
    parts[0][np.arange(n), targets] += 1.0  # the content scores know something of the answer
    parts[3] *= 1 - imputed  # own head scores only where there is a head...
    parts[4] *= imputed  # ...borrowed ones elsewhere
    weight = rng.uniform(0.5, 2.0, size=n)
    before = fit_weights(*parts, imputed, targets, weight)

    def recall(weights):
        scores = combine(*parts, [weights[name] for name in WEIGHT_NAMES], imputed)
        rank = np.argsort(np.argsort(-scores, axis=1), axis=1)[np.arange(n), targets]
        rows = imputed[targets] > 0
        return np.average(rank[rows] < k, weights=weight[rows])

    after = {**before, "w_head": 3 * before["w_head"]}
    level = matched_level(*parts, imputed, targets, weight, before, after, k)
    # The lowest level at which the imputed emojis' pairs are in the top k as often as before.
    assert recall({**after, "b_imputed": level}) >= recall(before)
    assert recall({**after, "b_imputed": level - 1e-3}) < recall(before)
    assert level != pytest.approx(before["b_imputed"], abs=1e-2)
    # With nothing imputed among the answers, the level stays.
    headed_rows = imputed[targets] == 0
    assert matched_level(*(p[headed_rows] for p in parts), imputed, targets[headed_rows],
                         weight[headed_rows], before, after, k) == before["b_imputed"]


def test_rank_on_many_texts_works_in_chunks(ranker, names, monkeypatch):
    texts = np.resize(np.asarray(names[0], dtype=object), 2 * CHUNK_SIZE + 1809)  # 10,001
    assert len(texts) > 10_000
    chunks = []
    score_chunk = ranker._scores_of_chunk
    monkeypatch.setattr(ranker, "_scores_of_chunk",
                        lambda X: chunks.append(X.shape[0] if hasattr(X, "shape") else len(X))
                        or score_chunk(X))
    ranked = ranker.rank(texts, k=3)
    assert sorted(chunks) == [1809, CHUNK_SIZE, CHUNK_SIZE]  # scored on parallel threads
    monkeypatch.undo()
    assert ranked.shape == (len(texts), 3)
    pieces = [texts[:3000], texts[3000:7000], texts[7000:]]
    np.testing.assert_array_equal(ranked, np.concatenate([ranker.rank(p, k=3) for p in pieces]))
    scores = ranker.decision_function(texts)
    np.testing.assert_allclose(
        scores, np.concatenate([ranker.decision_function(p) for p in pieces]), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(ranker.predict(texts), ranked[:, 0])
    # BLAS blocks a 376-row product differently from a 4,096-row one: last-bit differences.
    np.testing.assert_allclose(scores[:len(names[0])], ranker.decision_function(names[0]),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n_columns", [20, TOP_K_BLOCK * 40, TOP_K_BLOCK * 40 + 7, 3979])
@pytest.mark.parametrize("k", [1, 5, 12])
def test_top_k_is_the_k_best_in_order(n_columns, k):
    rng = np.random.RandomState(n_columns + k)
    scores = rng.standard_normal((300, n_columns)).astype(np.float32)
    scores[:5, -1] = 100  # the best in the short last block
    scores[5:10] = 0  # all tied: any k columns are the k best
    top = top_k(scores, k)
    assert top.shape == (300, k)
    assert all(len(set(row)) == k for row in top)
    expected = -np.sort(-scores, axis=1)[:, :k]
    np.testing.assert_array_equal(np.take_along_axis(scores, top, axis=1), expected)
    np.testing.assert_array_equal(top[:5, 0], n_columns - 1)


# ---------------------------------------------------------------- zero-shot candidates


@pytest.fixture(scope="module")
def catalog_ranker(vae, names):
    """Trained beside the English catalog pairs: it has read every catalog emoji's keywords."""
    params = {**FAST, "catalog_languages": ("en",), "epochs": 4, "batch_size": 512,
              "hidden_units": (64,), "embedding_dim": 32}
    return SiameseEmojiRanker(vae=vae, **params).fit(*names)


@pytest.mark.slow
def test_catalog_emoji_absent_from_the_pairs_ranks_for_its_keyword(catalog_ranker, names):
    unseen = ["🎅", "🌲", "🍔", "🐱"]
    assert not set(unseen) & set(names[1])
    zero_shot = pickle.loads(pickle.dumps(catalog_ranker)).add_candidates(unseen)
    assert list(zero_shot.classes_[-4:]) == unseen
    texts = ["santa claus is coming", "an evergreen tree", "a hamburger please", "my cat"]
    assert "🎅" in zero_shot.rank(texts[:1], k=2)[0]
    scores = zero_shot.decision_function(texts)
    own = scores[np.arange(4), len(EMOJIS) + np.arange(4)]
    positions = (scores > own[:, None]).sum(axis=1)
    # 12 candidates: by chance an emoji is in the top 3 for a quarter of the texts.
    assert np.mean(positions < 3) >= 0.75, positions


def test_add_catalog_candidates(extended, ranker):
    assert extended.decision_function(["santa"]).shape == (1, len(EMOJIS) + 2)
    assert extended.rank(["santa claus"], k=len(extended.classes_)).shape[1] == 10
    assert len(ranker.classes_) == len(EMOJIS)


def test_rank_can_answer_in_one_skin_tone_per_emoji(ranker):
    toned = pickle.loads(pickle.dumps(ranker)).add_candidates(["🎅", "🎅🏽", "🎅🏿", "👍🏾", "👍🏻"])
    texts = ["santa claus", "merry christmas", "thumbs up"]
    n = len(toned.classes_)
    every, one_tone = toned.rank(texts, k=n), toned.rank(texts, k=n - 3, skin_tones=False)
    for all_row, row in zip(every, one_tone):
        # 🎅 answers for its variants; of 👍🏾 and 👍🏻 (no toneless 👍 is a candidate), the
        # better-ranked one, in its place.
        worse_thumb = [e for e in all_row if e in ("👍🏾", "👍🏻")][1]
        assert list(row) == [e for e in all_row if e not in {"🎅🏽", "🎅🏿", worse_thumb}]
    with pytest.raises(ValueError, match=f"one skin tone each \\({n - 3}\\), got {n - 2}"):
        toned.rank(texts, k=n - 2, skin_tones=False)
    with pytest.raises(TypeError, match="skin_tones must be True or False"):
        toned.rank(texts, skin_tones="no")


def test_add_custom_and_generated_candidates(ranker, vae):
    model = pickle.loads(pickle.dumps(ranker))
    images = make_emojis(2, random_state=1)
    model.add_candidates(["team:party", "team:cat"], images=images, names=["party", "cat"])
    model.add_candidates(["gen:1", "gen:2"], images=vae.sample(2, random_state=0))
    assert list(model.classes_[-4:]) == ["team:party", "team:cat", "gen:1", "gen:2"]
    assert set(model.rank(["party time"], k=12)[0]) == set(model.classes_)
    model.add_candidates(["team:flat", "team:flat2"], images=images.reshape(2, -1))
    assert len(model.candidates_) == len(model.classes_) == len(EMOJIS) + 6
    assert list(model.candidates_.names[-6:]) == ["party", "cat", "", "", "", ""]
    np.testing.assert_allclose(model.decision_function(["party"]),
                               _formula(model, ["party"]), rtol=1e-4, atol=1e-4)


def test_add_candidates_errors(ranker):
    model = pickle.loads(pickle.dumps(ranker))
    with pytest.raises(ValueError, match="not in the Twemoji catalog.*images="):
        model.add_candidates(["team:parrot"])
    with pytest.raises(ValueError, match="same length"):
        model.add_candidates(["team:a", "team:b"], images=make_emojis(1, random_state=0))
    with pytest.raises(ValueError, match="same length"):
        model.add_candidates(["🎅"], names=["santa", "claus"])
    with pytest.raises(ValueError, match="repeated"):
        model.add_candidates(["🎅", "🎅"])
    with pytest.raises(ValueError, match="shape"):
        model.add_candidates(["team:a"], images=np.zeros((1, 10)))
    assert len(model.classes_) == len(model.candidates_) == len(EMOJIS)


# ---------------------------------------------------------------- numeric features


def test_numeric_features_in_a_pipeline(vae, names):
    texts, emojis = names
    pipe = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)),
                         SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 30}))
    pipe.fit(texts, emojis)
    assert pipe.score(texts, emojis) > 0.5
    ranker = pipe[-1]
    assert not ranker.text_input_ and ranker.n_features_in_ == pipe[0].transform(texts[:1]).shape[1]
    assert ranker.towers_.name_first is not None  # names have a first layer of their own
    ranker.add_candidates(["🎅"])
    assert pipe.decision_function(texts[:3]).shape == (3, len(EMOJIS) + 1)
    with pytest.raises(TypeError, match="numeric feature array"):
        ranker.predict(texts[:2])
    dense = SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1}).fit(
        pipe[0].transform(texts).toarray(), emojis)
    assert dense.predict(pipe[0].transform(texts[:2]).toarray()).shape == (2,)
    with pytest.raises(ValueError, match="features"):
        dense.predict(np.zeros((2, 3)))


# ---------------------------------------------------------------- persistence, clone, the vae


def test_pickle_round_trip_gives_identical_outputs(ranker, extended, names):
    texts, _ = names
    for model in (ranker, extended):
        state = model.__getstate__()
        assert "_matrix" not in state and "towers_" not in state
        restored = pickle.loads(pickle.dumps(model))
        np.testing.assert_array_equal(restored.classes_, model.classes_)
        np.testing.assert_array_equal(restored.decision_function(texts),
                                      model.decision_function(texts))
        np.testing.assert_array_equal(restored.rank(texts, k=4), model.rank(texts, k=4))
        assert restored.weights_ == model.weights_
    # A restored ranker takes new candidates as the original does.
    a = pickle.loads(pickle.dumps(ranker)).add_candidates(["🍔"])
    b = copy.deepcopy(ranker).add_candidates(["🍔"])
    np.testing.assert_array_equal(a.decision_function(texts), b.decision_function(texts))


def test_clone_and_vae_parameter(ranker, vae):
    fresh = clone(ranker)
    assert fresh.get_params()["epochs"] == FAST["epochs"]
    assert not hasattr(fresh, "classes_")
    assert ranker.vae_ is not vae  # a fitted vae is copied, not shared
    # Fitted by the ranker on the whole catalog: narrow networks and a small prior keep it quick.
    unfitted = EmojiVAE(latent_dim=3, filters=(8, 16), decoder_filters=(8, 16), residual_blocks=0, epochs=1,
                        batch_size=256, refine_steps=0, prior_components=8, random_state=0)
    fitted = SiameseEmojiRanker(vae=unfitted, **{**FAST, "epochs": 1}).fit(["a", "b"], ["🔥", "🎉"])
    assert fitted.vae_.latent_dim == 3
    assert fitted.candidates_.embeddings.shape == (2, FAST["embedding_dim"])
    with pytest.raises(NotFittedError):
        unfitted.transform(make_emojis(1, random_state=0))


def test_search_over_a_fitted_vaes_params_leaves_it_alone(vae, names):
    """Issue 13's bug: this search failed every fit and broke the caller's VAE."""
    texts, emojis = names
    images = make_emojis(8, random_state=3)
    codes = vae.transform(images)
    weights = [w.copy() for w in vae.encoder_.get_weights() + vae.decoder_.get_weights()]
    params = vae.get_params()
    # The grid was [2, 8]; one value other than the VAE's 4 shows the bug in fewer fits
    # (each refits a VAE on the whole catalog).
    search = GridSearchCV(SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 2}),
                          {"vae__latent_dim": [2]}, cv=2, error_score="raise")
    search.fit(texts, emojis)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    # The search fitted a fresh VAE of the latent_dim it set (GridSearchCV over an unfitted
    # VAE's parameters takes the same path).
    assert best.vae_.latent_dim == search.best_params_["vae__latent_dim"] == 2
    assert best.vae is not vae and best.vae_ is not vae
    assert best.predict(texts[:3]).shape == (3,)
    # The caller's VAE: same parameters, same weights, same codes, still copyable.
    assert vae.get_params() == params and vae.latent_dim == 4
    after = vae.encoder_.get_weights() + vae.decoder_.get_weights()
    assert len(after) == len(weights)
    for w0, w1 in zip(weights, after):
        np.testing.assert_array_equal(w0, w1)
    np.testing.assert_array_equal(vae.transform(images), codes)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(vae)).transform(images), codes)
    np.testing.assert_array_equal(copy.deepcopy(vae).transform(images), codes)


def test_set_params_on_a_fitted_vae_configures_a_clone(vae):
    ranker = SiameseEmojiRanker(vae=vae).set_params(vae__latent_dim=8)
    assert ranker.vae is not vae and ranker.vae.latent_dim == 8 and vae.latent_dim == 4
    with pytest.raises(NotFittedError):
        check_is_fitted(ranker.vae)


@pytest.mark.parametrize("where", ["train_towers", "fit_head"])
def test_a_failed_fit_leaves_no_fitted_state(vae, names, monkeypatch, where):
    model = SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1}).fit(*names)
    check_is_fitted(model)

    def fail(*args, **kwargs):
        raise RuntimeError("failed midway")

    monkeypatch.setattr(_estimator, where, fail)
    for estimator in (model, SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1})):
        with pytest.raises(RuntimeError, match="failed midway"):
            estimator.fit(*names)
        with pytest.raises(NotFittedError):
            check_is_fitted(estimator)
        with pytest.raises(NotFittedError):
            estimator.predict(["fire"])
        assert not [k for k in vars(estimator) if k.endswith("_") and not k.startswith("__")]


# ---------------------------------------------------------------- other configurations


@pytest.mark.parametrize("params", [
    {"question_tower": "cnn"},
    {"question_tower": "bilstm", "loss": "hinge", "answer_features": ("image",),
     "hidden_units": (100, 50), "embedding_dim": 10, "activation": "tanh"},
    {"loss": "hinge", "answer_features": ("image", "name")},
    {"answer_features": ("name",), "class_weight": None},
    {"answer_features": ("name", "id"), "validation_fraction": 0.25},
    {"sentence_encoder": "use", "n_components": 0},
])
def test_other_configurations_fit(vae, names, params):
    texts, emojis = names
    ranker = SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1, **params}).fit(texts, emojis)
    assert ranker.rank(texts[:3], k=2).shape == (3, 2)
    assert list(ranker.add_candidates(["🎅"]).classes_[-1:]) == ["🎅"]
    assert ranker.decision_function(texts[:3]).shape == (3, len(EMOJIS) + 1)
    restored = pickle.loads(pickle.dumps(ranker))
    np.testing.assert_array_equal(restored.decision_function(texts[:5]),
                                  ranker.decision_function(texts[:5]))
    if "id" not in ranker.answer_features or ranker.question_tower != "tfidf":
        assert len(ranker.head_emojis_) == 0  # no head: the towers rank alone
    if "image" not in ranker.answer_features:
        assert ranker.vae_ is None
    if ranker.n_components == 0:  # the towers and the text cosine read the sentence embedding alone
        assert ranker.featurizer_.components_.shape[1] == 0
        assert ranker.candidates_.text_vectors.shape[1] == ranker.featurizer_.n_features_out_ == 512


@pytest.fixture(scope="module")
def sentiment_ranker(vae, names):
    """A ranker reading the sentence embedding, with the sentiment term."""
    return SiameseEmojiRanker(vae=vae, **{**FAST, "epochs": 1, "sentence_encoder": "use",
                                          "n_components": 0, "sentiment_weight": 2.0}).fit(*names)


def _without_sentiment(ranker):
    """A copy of ``ranker`` scoring without its sentiment term."""
    without = pickle.loads(pickle.dumps(ranker))
    without.weights_["w_sentiment"] = 0.0
    without._build_scoring()
    return without


POSITIVE_TEXTS = ["what a wonderful day, I love it", "c'est magnifique, j'adore", "qué maravilla"]
NEGATIVE_TEXTS = ["this is awful, I hate it", "c'est horrible, je déteste", "qué asco, lo odio"]


def test_sentiment_term_reads_how_positive_a_text_is(sentiment_ranker):
    ranker = sentiment_ranker
    assert ranker.weights_["w_sentiment"] == 2.0 and ranker.sentiment_coef_.shape == (512,)
    embeddings = ranker.featurizer_.sentence_embeddings(POSITIVE_TEXTS + NEGATIVE_TEXTS)
    positive = text_sentiment(embeddings, ranker.sentiment_coef_, ranker.sentiment_intercept_)
    assert positive.shape == (6, 1)
    # In English and in the encoder's other languages, which the sentences never were in.
    assert (positive[:3] > 0).all() and (positive[3:] < 0).all(), positive.ravel()
    # The term is (p(x) - 1/2) * o_e, times the weight, over the formula without it.
    without = _without_sentiment(ranker)
    moved = ranker.decision_function(POSITIVE_TEXTS + NEGATIVE_TEXTS) - \
        without.decision_function(POSITIVE_TEXTS + NEGATIVE_TEXTS)
    np.testing.assert_allclose(moved, 2.0 * positive * ranker.candidates_.sentiment, atol=1e-5)
    # Every training emoji here is in the Emoji Sentiment Ranking: o_e is its log-odds there.
    np.testing.assert_array_equal(ranker.candidates_.sentiment,
                                  emoji_sentiment_log_odds(ranker.classes_))


def test_sentiment_term_covers_added_emojis_and_survives_saving(sentiment_ranker, tmp_path):
    ranker = pickle.loads(pickle.dumps(sentiment_ranker)).add_candidates(["😍", "😠", "🥳"])
    sentiment = ranker.candidates_.sentiment
    np.testing.assert_array_equal(sentiment[:-3], sentiment_ranker.candidates_.sentiment)
    np.testing.assert_allclose(sentiment[-3:-1], emoji_sentiment_log_odds(["😍", "😠"]))
    # 🥳 is newer than the ranking: its value is borrowed from its look-alikes among the others.
    weights = _scoring.neighbour_weights(ranker.candidates_.embeddings[-1:],
                                         ranker.candidates_.embeddings[:-1],
                                         ranker.neighbour_temperature)
    np.testing.assert_allclose(sentiment[-1:], weights @ sentiment[:-1], rtol=1e-5)
    scores = ranker.decision_function(POSITIVE_TEXTS)
    column = {e: i for i, e in enumerate(ranker.classes_)}
    margin = scores[:, column["😍"]] - scores[:, column["😠"]]
    without = _without_sentiment(ranker)
    plain = without.decision_function(POSITIVE_TEXTS)
    assert (margin > plain[:, column["😍"]] - plain[:, column["😠"]]).all()
    restored = skemoji.load(ranker.save(tmp_path / "ranker.skemoji"))
    np.testing.assert_array_equal(restored.decision_function(POSITIVE_TEXTS), scores)


@pytest.mark.slow
def test_validation_split_and_early_stopping(vae, tweeteval_dir):
    tweets = load_tweeteval(tweeteval_dir, "val")
    ranker = SiameseEmojiRanker(vae=vae, catalog_languages=(), epochs=3, random_state=0,
                                n_iter_no_change=1)
    ranker.fit(tweets.text[:400], tweets.emoji[:400])
    stages = {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert stages <= set(ranker.history_)
    assert 1 <= ranker.n_iter_ <= 3 and 1 <= len(ranker.history_["loss"]) <= 3
    scores = ranker.decision_function(tweets.text[400:600])
    assert scores.shape == (200, len(set(tweets.emoji[:400])))


# 📷 and 💙 never answer in training, but 📸 and 💜 (alike in picture and name) do.
HELD_OUT = ["📷", "💙"]


@pytest.fixture(scope="module")
def tweet_ranker(vae, tweeteval_dir):
    """A default ranker fitted on 15,000 TweetEval train tweets whose emoji is not held out."""
    train = load_tweeteval(tweeteval_dir, "train")
    keep = np.flatnonzero(~np.isin(train.emoji, HELD_OUT))[:15_000]
    return SiameseEmojiRanker(vae=vae, random_state=0).fit(train.text[keep], train.emoji[keep])


@pytest.mark.slow
def test_zero_shot_on_tweets_beats_chance(tweet_ranker, tweeteval_dir):
    val = load_tweeteval(tweeteval_dir, "val")
    ranker = pickle.loads(pickle.dumps(tweet_ranker)).add_candidates(HELD_OUT)
    unseen = np.isin(val.emoji, HELD_OUT)
    top5 = ranker.rank(val.text[unseen], k=5)
    recall = np.mean([emoji in row for emoji, row in zip(val.emoji[unseen], top5)])
    assert recall >= 0.4, recall  # chance: 0.25 (5 of 20 candidates)


@pytest.mark.slow
def test_whole_catalog_added_does_not_crowd_out_the_training_emojis(tweet_ranker, tweeteval_dir):
    val = load_tweeteval(tweeteval_dir, "val")
    seen = np.flatnonzero(~np.isin(val.emoji, HELD_OUT))[:2000]
    texts, answers = val.text[seen], val.emoji[seen]
    ranker = pickle.loads(pickle.dumps(tweet_ranker))
    alone = ranker.rank(texts, k=5)
    ranker.add_candidates([e for e in load_twemoji().emojis if e not in set(ranker.classes_)])
    among_all = ranker.rank(texts, k=5)

    def top5(ranks):
        return np.mean([answer in row for answer, row in zip(answers, ranks)])

    assert top5(among_all) >= top5(alone) - 0.05, (top5(among_all), top5(alone))
    # The added emojis share the prior mass that the imputed ones had in fitting (their
    # popularity only moves it among them).
    w, bias = ranker.weights_, ranker.candidates_.bias[ranker.n_emojis_:]
    assert w["w_popularity"] > 0 and np.ptp(bias) > 1
    mass = np.log(np.exp(bias.astype(np.float64)).sum())
    assert mass == pytest.approx(w["b_imputed"] + np.log(w["n_imputed_in_fit"]), abs=1e-3)


def test_strip_variation_selectors_changes_the_features(tiny):
    stripped = clone(tiny).set_params(strip_variation_selectors=True).fit(
        ["love it \ufe0f", "fire"], ["❤", "🔥"])
    assert "\ufe0f" in "".join(tiny.featurizer_.vectorizers_[1].vocabulary_)
    assert "\ufe0f" not in "".join(stripped.featurizer_.vectorizers_[1].vocabulary_)
    assert normalize_tweet("@Bob see https://x.co NOW") == "@user see httpurl now"


def test_name_emojis_reads_emojis_as_their_names(tiny):
    naming = clone(tiny).set_params(name_emojis=True).fit(
        ["love it \ufe0f", "fire", "so tired 😴"], ["❤️", "🔥", "😴"])
    assert "sleeping" in naming.featurizer_.vectorizers_[0].vocabulary_
    # The skin tone and the emoji's own U+FE0F go with it; the stray U+FE0F stays.
    assert normalize_tweet("Nice 👍🏽 \ufe0f ❤️", name_emojis=True) == "nice thumbs up \ufe0f red heart"
    # Emoticons standing alone, as typed, are read as their emoji; others are left as they are.
    assert normalize_tweet("thanks :-) <3! ok:) :d", name_emojis=True) == \
        "thanks slightly smiling face red heart ! ok:) :d"
    np.testing.assert_allclose(naming.decision_function(["so tired 😴"]),
                               naming.decision_function(["so tired sleeping face"]), rtol=1e-5)
    assert not np.allclose(tiny.decision_function(["so tired 😴"]),
                           tiny.decision_function(["so tired sleeping face"]))


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("call, error, match", [
    (lambda r: r.fit(["a", "b", "c"], ["🔥", "🎉"]), ValueError, "same length"),
    (lambda r: r.fit(["a", "b"], ["🔥", "🔥"]), ValueError, "at least 2 distinct"),
    (lambda r: r.fit(["a", "b"], ["🔥", "team:parrot"]), ValueError, "not in the Twemoji catalog"),
    (lambda r: r.fit("a text", ["🔥"]), TypeError, "single str"),
    (lambda r: r.fit([], []), ValueError, "empty"),
    (lambda r: r.fit(["a", None], ["🔥", "🎉"]), TypeError, "only str"),
    (lambda r: r.set_params(answer_features=("id",)).fit(["a", "b"], ["🔥", "🎉"]),
     ValueError, "answer_features"),
    (lambda r: r.set_params(hidden_units=()).fit(["a", "b"], ["🔥", "🎉"]),
     ValueError, "hidden_units"),
    (lambda r: r.set_params(epochs=0).fit(["a", "b"], ["🔥", "🎉"]), ValueError, "epochs"),
    (lambda r: r.set_params(n_components=0).fit(["a", "b"], ["🔥", "🎉"]), ValueError,
     "n_components=0 .* set sentence_encoder='use'"),
    (lambda r: r.set_params(zero_shot_fraction=1.5).fit(["a", "b"], ["🔥", "🎉"]),
     ValueError, "zero_shot_fraction"),
    (lambda r: r.set_params(sentiment_weight=1.0).fit(["a", "b"], ["🔥", "🎉"]), ValueError,
     "sentiment_weight .* needs sentence_encoder='use'.* got sentence_encoder=None"),
    (lambda r: r.set_params(sentiment_weight=1.0, sentence_encoder="use").fit(
        np.eye(2), ["🔥", "🎉"]), ValueError, "texts as X .* a numeric feature array"),
    (lambda r: r.set_params(sentiment_weight=-1.0).fit(["a", "b"], ["🔥", "🎉"]),
     ValueError, "sentiment_weight"),
    (lambda r: r.predict(["a"]), NotFittedError, "not fitted"),
    (lambda r: r.add_candidates(["🎅"]), NotFittedError, "not fitted"),
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


def test_the_default_vae_gives_unrefined_codes_of_the_0_3_networks():
    """The ranker's own VAE keeps the encoder's codes, from skemoji 0.3's networks
    (benchmarks/tune_ranker_vae.py)."""
    vae = SiameseEmojiRanker(random_state=0)._fit_vae(make_emojis(8, random_state=0), 0)
    assert vae.epochs == _estimator.DEFAULT_VAE_EPOCHS and vae.refine_steps == 0
    assert vae.network_ == {"filters": (64, 128), "decoder_filters": (64, 128), "kernel_size": 4,
                            "residual_blocks": 0}
