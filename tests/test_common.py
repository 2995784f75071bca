"""scikit-learn's common estimator checks on both estimators, in tiny configurations.

Every check that runs passes. The checks listed below are expected to fail,
each with the reason that applies to that check: they feed generic data (a
few columns of random numbers, integer or word labels) that the VAE (36x36x4
emoji images only) or the ranker (emoji answers only) refuses with a clear
error before the property the check is about is reached. Each reason names
the test that holds that property on inputs the estimator accepts, mostly in
``test_contract.py``.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skemoji import EmojiVAE, SiameseEmojiRanker

_IMAGES = "EmojiVAE takes 36x36x4 emoji images (or their 5184 columns) only, and refuses the check's"

VAE_EXPECTED_FAILURES = {
    "check_fit_score_takes_y": f"{_IMAGES} (30, 3) X; fit(X, y=None) and score(X, y=None) on images: "
    "test_contract.py::test_vae_fit_transform_equals_fit_then_transform.",
    "check_estimators_overwrite_params": f"{_IMAGES} (21, 2) blobs; get_params() unchanged by fit: "
    "test_contract.py::test_fit_does_not_change_parameters[vae].",
    "check_dont_overwrite_parameters": f"{_IMAGES} (20, 3) X; fit adds only attributes ending in '_': "
    "test_contract.py::test_fit_adds_only_private_or_trailing_underscore_attributes[vae].",
    "check_estimators_fit_returns_self": f"{_IMAGES} (21, 2) blobs; fit returns self: "
    "test_contract.py::test_fit_returns_self[vae].",
    "check_readonly_memmap_input": f"{_IMAGES} memory-mapped (21, 2) X; read-only images: "
    "test_contract.py::test_vae_fit_on_readonly_fortran_images.",
    "check_n_features_in_after_fitting": f"{_IMAGES} (15, 4) X; n_features_in_ after fitting images: "
    "test_contract.py::test_vae_fit_on_readonly_fortran_images, a wrong width refused by name: "
    "test_bad_input.py::test_vae_transform_rejects_bad_images.",
    "check_positive_only_tag_during_fit": f"{_IMAGES} negative (n, d) X with a shape message, not sklearn's "
    "'Negative values' wording; out-of-range images are refused by their range: "
    "test_bad_input.py::test_vae_fit_rejects_bad_images.",
    "check_estimators_dtypes": f"{_IMAGES} (20, 5) X; uint8, float32 and float64 images: "
    "test_contract.py::test_vae_input_layouts_and_dtypes.",
    "check_dtype_object": f"{_IMAGES} (56, 10) object X; non-numeric images are refused with a TypeError: "
    "test_bad_input.py::test_vae_fit_rejects_bad_images.",
    "check_estimators_empty_data_messages": f"{_IMAGES} (n, 0) X with the image-shape message, not sklearn's "
    "'0 feature(s)' wording; empty batches: test_bad_input.py::test_vae_fit_rejects_bad_images.",
    "check_pipeline_consistency": f"{_IMAGES} (30, 3) blobs; the same results in a Pipeline: "
    "test_contract.py::test_vae_pipeline_consistency.",
    "check_estimators_nan_inf": f"{_IMAGES} (10, 3) X for its shape before NaN is looked at; NaN and "
    "infinite images are refused by name: test_bad_input.py::test_vae_fit_rejects_bad_images.",
    "check_estimators_pickle": f"{_IMAGES} (30, 3) blobs; pickle and joblib give identical outputs: "
    "test_persistence.py::test_pickle_and_joblib_round_trips.",
    "check_f_contiguous_array_estimator": f"{_IMAGES} (20, 3) X; Fortran-ordered images: "
    "test_contract.py::test_vae_fit_on_readonly_fortran_images.",
    "check_transformer_data_not_an_array": f"{_IMAGES} (30, 3) list-like X; images as nested lists: "
    "test_contract.py::test_vae_input_layouts_and_dtypes.",
    "check_transformer_general": f"{_IMAGES} (30, 3) blobs; fit_transform equals fit().transform(): "
    "test_contract.py::test_vae_fit_transform_equals_fit_then_transform.",
    "check_transformer_preserve_dtypes": f"{_IMAGES} (30, 3) X; codes are float32 whatever the input "
    "dtype, as the public contract says: test_contract.py::test_vae_input_layouts_and_dtypes.",
    "check_methods_sample_order_invariance": f"{_IMAGES} (20, 3) X; permuted images give permuted codes: "
    "test_contract.py::test_methods_subset_and_order_invariance.",
    "check_methods_subset_invariance": f"{_IMAGES} (20, 3) X; a subset's codes are the codes' subset: "
    "test_contract.py::test_methods_subset_and_order_invariance.",
    "check_fit2d_1sample": f"{_IMAGES} (1, 10) X for its width, before sklearn's '1 sample' wording applies.",
    "check_fit2d_1feature": f"{_IMAGES} (10, 1) X with the image-shape message, not sklearn's '1 feature(s)' "
    "wording: test_bad_input.py::test_vae_fit_rejects_bad_images.",
    "check_dict_unchanged": f"{_IMAGES} (20, 3) X; transform, score and inverse_transform change no "
    "attribute: test_contract.py::test_methods_leave_the_estimator_unchanged[vae].",
    "check_fit_idempotent": f"{_IMAGES} (80, 2) X; refitting with the same random_state gives the same codes: "
    "test_contract.py::test_fit_is_idempotent[vae].",
    "check_fit_check_is_fitted": f"{_IMAGES} (100, 2) X; not fitted before fit, fitted after: "
    "test_contract.py::test_fit_check_is_fitted[vae].",
    "check_n_features_in": f"{_IMAGES} (100, 2) X; n_features_in_ after fitting images: "
    "test_contract.py::test_vae_fit_on_readonly_fortran_images.",
    "check_fit2d_predict1d": f"{_IMAGES} (20, 3) X; 1-D input to transform is refused by name: "
    "test_bad_input.py::test_vae_transform_rejects_bad_images.",
}

_LABELS = ("SiameseEmojiRanker answers with emoji strings only, and fit refuses the check's integer labels")

RANKER_EXPECTED_FAILURES = {
    "check_fit_score_takes_y": f"{_LABELS}; fit(X, y) and score(X, y) on texts: "
    "test_contract.py::test_ranker_outputs_are_consistent.",
    "check_estimators_overwrite_params": f"{_LABELS}; get_params() unchanged by fit: "
    "test_contract.py::test_fit_does_not_change_parameters[ranker].",
    "check_dont_overwrite_parameters": f"{_LABELS}; fit adds only attributes ending in '_': "
    "test_contract.py::test_fit_adds_only_private_or_trailing_underscore_attributes[ranker].",
    "check_estimators_fit_returns_self": f"{_LABELS}; fit returns self: "
    "test_contract.py::test_fit_returns_self[ranker].",
    "check_readonly_memmap_input": f"{_LABELS}; read-only text arrays: "
    "test_contract.py::test_ranker_texts_in_any_container.",
    "check_n_features_in_after_fitting": f"{_LABELS}; numeric features from an earlier step: "
    "test_composition.py::test_ranker_pipeline_from_numeric_features.",
    "check_positive_only_tag_during_fit": f"{_LABELS} (it accepts the negative X itself), which the check "
    "takes for a refusal of negative values.",
    "check_estimators_dtypes": f"{_LABELS}; numeric features: "
    "test_composition.py::test_ranker_pipeline_from_numeric_features.",
    "check_complex_data": "The check's complex labels (1j) are refused as answers that are no emoji strings, "
    "before its complex X is looked at, so its 'Complex data not supported' wording does not appear.",
    "check_dtype_object": f"{_LABELS}; object arrays of texts: test_contract.py::test_ranker_texts_in_any_container.",
    "check_estimators_empty_data_messages": f"{_LABELS} before the (n, 0) X is looked at; empty input is "
    "refused by name: test_bad_input.py::test_ranker_fit_rejects_bad_input.",
    "check_pipeline_consistency": f"{_LABELS}; inside a Pipeline: "
    "test_composition.py::test_ranker_pipeline_from_numeric_features.",
    "check_estimators_nan_inf": f"{_LABELS} before NaN in X is looked at; NaN features are refused by name: "
    "test_bad_input.py::test_ranker_rejects_nan_features.",
    "check_estimator_sparse_tag": f"{_LABELS}, which the check takes for a failure on its sparse X; sparse "
    "TF-IDF features: test_composition.py::test_ranker_pipeline_from_numeric_features.",
    "check_estimator_sparse_array": f"{_LABELS}, which the check takes for a failure on its sparse array.",
    "check_estimator_sparse_matrix": f"{_LABELS}, which the check takes for a failure on its sparse matrix.",
    "check_estimators_pickle": f"{_LABELS}; pickle and joblib give identical outputs: "
    "test_persistence.py::test_pickle_and_joblib_round_trips.",
    "check_f_contiguous_array_estimator": f"{_LABELS}; numeric features of any layout go through "
    "scikit-learn's own validation.",
    "check_classifier_data_not_an_array": f"{_LABELS}; texts as a list, an array and a pandas Series agree: "
    "test_contract.py::test_ranker_texts_in_any_container.",
    "check_classifiers_one_label": "A ranker over one emoji has nothing to rank: fit refuses a single answer "
    "with its own message (test_contract.py::test_ranker_one_label_is_refused_clearly), not the check's.",
    "check_classifiers_classes": "The check's labels 'one', 'two' are not emojis of the Twemoji catalog, so "
    "they have no image; classes_ are the answers: test_contract.py::test_ranker_classes_are_the_answers.",
    "check_classifiers_train": f"{_LABELS}; predict, predict_proba and decision_function agree: "
    "test_contract.py::test_ranker_outputs_are_consistent.",
    "check_supervised_y_2d": f"{_LABELS}; y of shape (n, 1): test_contract.py::test_ranker_column_vector_y.",
    "check_decision_proba_consistency": f"{_LABELS}; decision_function and predict_proba order alike: "
    "test_contract.py::test_ranker_outputs_are_consistent.",
    "check_methods_sample_order_invariance": f"{_LABELS}; permuted texts give permuted outputs: "
    "test_contract.py::test_methods_subset_and_order_invariance.",
    "check_methods_subset_invariance": f"{_LABELS}; a subset's outputs are the outputs' subset: "
    "test_contract.py::test_methods_subset_and_order_invariance.",
    "check_fit2d_1sample": f"{_LABELS} before the single sample is looked at.",
    "check_fit2d_1feature": f"{_LABELS} before the single feature is looked at.",
    "check_dict_unchanged": f"{_LABELS}; predict, predict_proba, decision_function, rank and score change no "
    "attribute: test_contract.py::test_methods_leave_the_estimator_unchanged[ranker].",
    "check_fit_idempotent": f"{_LABELS}; refitting with the same random_state gives the same probabilities: "
    "test_contract.py::test_fit_is_idempotent[ranker].",
    "check_fit_check_is_fitted": f"{_LABELS}; not fitted before fit, fitted after: "
    "test_contract.py::test_fit_check_is_fitted[ranker].",
    "check_n_features_in": f"{_LABELS}; numeric features: "
    "test_composition.py::test_ranker_pipeline_from_numeric_features.",
    "check_fit2d_predict1d": f"{_LABELS}; 1-D text input is the ranker's normal input.",
    "check_class_weight_classifiers": "class_weight is 'balanced' or None; the check's per-class dict is keyed "
    "by integer labels, which are not emoji answers.",
}


def _expected_failed_checks(estimator):
    if isinstance(estimator, EmojiVAE):
        return VAE_EXPECTED_FAILURES
    return RANKER_EXPECTED_FAILURES


def _tiny_fitted_vae():
    # The ranker's answer tower needs a fitted VAE; a tiny one keeps the checks fast.
    from skemoji.datasets import make_emojis

    return EmojiVAE(latent_dim=2, epochs=1, batch_size=16, random_state=0).fit(make_emojis(32, random_state=0))


@parametrize_with_checks(
    [
        EmojiVAE(latent_dim=2, epochs=1, batch_size=16, random_state=0),
        SiameseEmojiRanker(vae=_tiny_fitted_vae(), catalog_languages=(), epochs=1, random_state=0),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_common_checks(estimator, check):
    check(estimator)
