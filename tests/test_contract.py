"""The estimator contract of scikit-learn's common checks, on inputs the estimators accept.

scikit-learn's own checks feed a few columns of random numbers and integer
labels (see ``test_common.py``); the VAE takes emoji images only and the
ranker answers with emoji strings only, so where those checks cannot run,
the same properties are tested here on emoji images and on short texts. Each
test names the sklearn check whose property it holds. Only public API is used
(fit on small text lists, ``rank``, ``predict_proba``, ...), so the tests hold
for any implementation of the estimators.
"""

import copy
import pickle

import joblib
import numpy as np
import pytest
from conftest import TINY_VAE_PARAMS
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.utils.validation import check_is_fitted

from skemoji import EmojiVAE, SiameseEmojiRanker

TEXTS = np.array(["I love you", "love you so much", "so hot today", "fire everywhere", "lol so funny",
                  "haha what a joke", "my heart is yours", "burning hot"], dtype=object)
EMOJIS = np.array(["❤", "❤", "🔥", "🔥", "😂", "😂", "❤", "🔥"], dtype=object)
# A few epochs of the tiny configurations: enough to exercise the whole fit, seconds each.
RANKER_PARAMS = {"epochs": 1, "catalog_languages": (), "random_state": 0}
VAE_METHODS = ("transform", "score", "score_samples")
RANKER_METHODS = ("predict", "predict_proba", "decision_function", "rank", "score")


@pytest.fixture
def vae():
    return EmojiVAE(**{**TINY_VAE_PARAMS, "epochs": 1})


@pytest.fixture
def ranker(tiny_vae):
    return SiameseEmojiRanker(vae=tiny_vae, **RANKER_PARAMS)


def _call(estimator, method, X, y=None):
    if method == "score" and isinstance(estimator, SiameseEmojiRanker):
        return estimator.score(X, y)
    if method == "rank":
        return estimator.rank(X, k=2)
    return getattr(estimator, method)(X)


def _params_hash(estimator):
    """A deep fingerprint of the parameters (a fitted ``vae`` parameter included, by its state)."""
    return joblib.hash({k: (pickle.dumps(v) if hasattr(v, "fit") else v) for k, v in estimator.get_params().items()})


def _fit(estimator, images):
    if isinstance(estimator, EmojiVAE):
        return estimator.fit(images)
    return estimator.fit(TEXTS, EMOJIS)


def _X(estimator, images):
    return images if isinstance(estimator, EmojiVAE) else TEXTS


@pytest.fixture(params=["vae", "ranker"])
def unfitted(request, vae, ranker):
    return {"vae": vae, "ranker": ranker}[request.param]


def test_fit_returns_self(unfitted, tiny_images):
    """check_estimators_fit_returns_self."""
    assert _fit(unfitted, tiny_images) is unfitted


def test_fit_check_is_fitted(unfitted, tiny_images):
    """check_fit_check_is_fitted: not fitted before fit, fitted after."""
    with pytest.raises(NotFittedError):
        check_is_fitted(unfitted)
    check_is_fitted(_fit(unfitted, tiny_images))


def test_fit_does_not_change_parameters(unfitted, tiny_images):
    """check_estimators_overwrite_params: get_params() is the same, deeply, after fit."""
    before = _params_hash(unfitted)
    _fit(unfitted, tiny_images)
    assert _params_hash(unfitted) == before


def test_fit_adds_only_private_or_trailing_underscore_attributes(unfitted, tiny_images):
    """check_dont_overwrite_parameters: fit sets no public attribute without a trailing underscore."""
    before = set(vars(unfitted))
    _fit(unfitted, tiny_images)
    added = set(vars(unfitted)) - before
    assert added, "fit sets fitted attributes"
    assert [a for a in added if not (a.endswith("_") or a.startswith("_"))] == []


def test_methods_leave_the_estimator_unchanged(unfitted, tiny_images):
    """check_dict_unchanged: predicting, transforming and scoring rebind and add no attribute."""
    estimator = _fit(unfitted, tiny_images)
    X = _X(estimator, tiny_images)
    methods = VAE_METHODS + ("inverse_transform",) if isinstance(estimator, EmojiVAE) else RANKER_METHODS
    for method in methods:
        before = dict(vars(estimator))
        if method == "inverse_transform":
            estimator.inverse_transform(estimator.transform(X[:4]))
        else:
            _call(estimator, method, X, EMOJIS)
        after = vars(estimator)
        assert after.keys() == before.keys(), method
        assert [k for k in before if after[k] is not before[k]] == [], method


def test_fit_is_idempotent(unfitted, tiny_images):
    """check_fit_idempotent: fitting twice with the same random_state gives the same outputs."""
    estimator = _fit(unfitted, tiny_images)
    X = _X(estimator, tiny_images)
    method = "transform" if isinstance(estimator, EmojiVAE) else "predict_proba"
    first = getattr(estimator, method)(X)
    second = getattr(_fit(estimator, tiny_images), method)(X)
    np.testing.assert_allclose(first, second, rtol=1e-5, atol=1e-6)
    # A clone fitted afresh agrees too.
    np.testing.assert_allclose(getattr(_fit(clone(estimator), tiny_images), method)(X), first, rtol=1e-5, atol=1e-6)


def test_methods_subset_and_order_invariance(tiny_vae, tiny_ranker, tiny_images):
    """check_methods_subset_invariance and check_methods_sample_order_invariance."""
    order = np.random.RandomState(0).permutation(len(tiny_images))
    encoder_only = copy.deepcopy(tiny_vae).set_params(refine_steps=0)
    # The encoder's codes agree to float precision; the refined ones to 1e-3: float32 kernels round
    # differently with the batch size, and the refinement's Adam steps, normalised by the gradient's
    # size, carry those differences on.
    for vae, tolerance in ((encoder_only, 1e-5), (tiny_vae, 1e-3)):
        codes = vae.transform(tiny_images)
        np.testing.assert_allclose(vae.transform(tiny_images[:7]), codes[:7], rtol=tolerance, atol=tolerance)
        np.testing.assert_allclose(vae.transform(tiny_images[order]), codes[order], rtol=tolerance, atol=tolerance)
    for method in ("predict_proba", "decision_function"):
        full = getattr(tiny_ranker, method)(TEXTS)
        np.testing.assert_allclose(getattr(tiny_ranker, method)(TEXTS[:3]), full[:3], rtol=1e-5, atol=1e-6)
        order = np.random.RandomState(0).permutation(len(TEXTS))
        np.testing.assert_allclose(getattr(tiny_ranker, method)(TEXTS[order]), full[order], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(tiny_ranker.predict(TEXTS[order]), tiny_ranker.predict(TEXTS)[order])


def test_vae_input_layouts_and_dtypes(tiny_vae, tiny_images):
    """check_estimators_dtypes, check_f_contiguous_array_estimator, check_readonly_memmap_input,
    check_transformer_data_not_an_array: the same images in any accepted form encode alike."""
    codes = tiny_vae.transform(tiny_images)
    flat = tiny_images.reshape(len(tiny_images), -1)
    readonly = tiny_images.copy()
    readonly.flags.writeable = False
    for X in (tiny_images / 255.0, (tiny_images / 255.0).astype(np.float32), flat, np.asfortranarray(flat),
              readonly, flat.tolist()):
        np.testing.assert_allclose(tiny_vae.transform(X), codes, rtol=1e-4, atol=1e-4)
    assert codes.dtype == np.float32 and codes.shape == (len(tiny_images), tiny_vae.latent_dim)


def test_vae_fit_on_readonly_fortran_images(tiny_images):
    """check_readonly_memmap_input and check_f_contiguous_array_estimator, for fit."""
    X = np.asfortranarray(tiny_images.reshape(len(tiny_images), -1))
    X.flags.writeable = False
    vae = EmojiVAE(**{**TINY_VAE_PARAMS, "epochs": 1}).fit(X)
    assert vae.n_features_in_ == X.shape[1]


def test_vae_fit_transform_equals_fit_then_transform(tiny_images):
    """check_transformer_general and check_fit_score_takes_y: fit(X, y=None) and fit_transform agree."""
    params = {**TINY_VAE_PARAMS, "epochs": 1}
    a = EmojiVAE(**params).fit_transform(tiny_images)
    b = EmojiVAE(**params).fit(tiny_images, None).transform(tiny_images)
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert np.isfinite(EmojiVAE(**params).fit(tiny_images).score(tiny_images, None))


def test_vae_pipeline_consistency(tiny_vae, tiny_images):
    """check_pipeline_consistency: inside a Pipeline, the same results as alone."""
    pipe = make_pipeline(copy.deepcopy(tiny_vae))
    np.testing.assert_allclose(pipe.transform(tiny_images), tiny_vae.transform(tiny_images), rtol=1e-6)
    np.testing.assert_allclose(pipe.score(tiny_images), tiny_vae.score(tiny_images), rtol=1e-6)


def test_ranker_texts_in_any_container(tiny_ranker):
    """check_classifier_data_not_an_array, check_readonly_memmap_input: list, array, read-only array
    and pandas Series of texts give the same answers."""
    pd = pytest.importorskip("pandas")
    expected = tiny_ranker.predict_proba(TEXTS)
    readonly = TEXTS.copy()
    readonly.flags.writeable = False
    for X in (list(TEXTS), readonly, pd.Series(TEXTS, index=np.arange(len(TEXTS)) + 100)):
        np.testing.assert_allclose(tiny_ranker.predict_proba(X), expected, rtol=1e-6)


def test_ranker_outputs_are_consistent(tiny_ranker):
    """check_classifiers_train and check_decision_proba_consistency: predict is the arg-max of
    predict_proba and decision_function; rank orders as decision_function does; probabilities sum to 1."""
    proba = tiny_ranker.predict_proba(TEXTS)
    decision = tiny_ranker.decision_function(TEXTS)
    classes = np.asarray(tiny_ranker.classes_)
    assert proba.shape == decision.shape == (len(TEXTS), len(classes))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(tiny_ranker.predict(TEXTS), classes[np.argmax(proba, axis=1)])
    np.testing.assert_array_equal(tiny_ranker.predict(TEXTS), classes[np.argmax(decision, axis=1)])
    np.testing.assert_array_equal(tiny_ranker.rank(TEXTS, k=len(classes)),
                                  classes[np.argsort(-decision, axis=1, kind="stable")])
    assert tiny_ranker.score(TEXTS, EMOJIS) == pytest.approx(np.mean(tiny_ranker.predict(TEXTS) == EMOJIS))


def test_ranker_one_label_is_refused_clearly(tiny_vae):
    """check_classifiers_one_label: one answer emoji is refused with a message that names it."""
    with pytest.raises(ValueError, match="class|emoji"):
        SiameseEmojiRanker(vae=tiny_vae, **RANKER_PARAMS).fit(TEXTS, ["❤"] * len(TEXTS))


def test_ranker_classes_are_the_answers(tiny_ranker):
    """check_classifiers_classes: classes_ are the distinct training answers (variation selectors
    removed), and predictions are among them."""
    assert set(tiny_ranker.classes_) == {"❤", "🔥", "😂"}
    assert set(tiny_ranker.predict(TEXTS)) <= set(tiny_ranker.classes_)


def test_ranker_column_vector_y(tiny_vae):
    """check_supervised_y_2d: y of shape (n, 1) gives the same ranker as y of shape (n,).

    (sklearn's check also wants a DataConversionWarning for it; whether one is
    raised is left to the implementation.)
    """
    a = SiameseEmojiRanker(vae=tiny_vae, **RANKER_PARAMS).fit(TEXTS, EMOJIS)
    b = SiameseEmojiRanker(vae=tiny_vae, **RANKER_PARAMS).fit(TEXTS, EMOJIS.reshape(-1, 1))
    np.testing.assert_allclose(a.predict_proba(TEXTS), b.predict_proba(TEXTS), rtol=1e-5, atol=1e-6)
