"""TextFeaturizer's pretrained word vectors: what they know, and that they can be left out."""

import numpy as np
import pytest

from skemoji.datasets._word_vectors import load_word_vectors
from skemoji.ranker._featurizer import TextFeaturizer, sentence_encoder

TEXTS = ["vote in america today", "the united states flag", "pizza for dinner", "hot pizza",
         "fire is hot", "election day in the states", "a flag on the wall", "dinner with pasta"]


@pytest.fixture(scope="module")
def featurizer():
    return TextFeaturizer(word_vectors="glove", n_components=4, random_state=0).fit(TEXTS)


def vectors(featurizer, texts):
    return featurizer.word_vectors_of(featurizer.transform_both(texts)[0])


def test_vendored_vectors_are_glove():
    index, table = load_word_vectors()
    assert table.shape == (50_000, 50) and table.dtype == np.float32
    assert index["the"] == 0  # GloVe's vocabulary is in order of frequency
    unit = table / np.linalg.norm(table, axis=1, keepdims=True)
    assert unit[index["king"]] @ unit[index["queen"]] > unit[index["king"]] @ unit[index["pizza"]]


def test_word_vectors_carry_meaning_beyond_the_training_texts(featurizer):
    america, states, pizza, pasta = vectors(featurizer, ["america", "united states", "pizza",
                                                         "pasta"])
    np.testing.assert_allclose(np.linalg.norm([america, states, pizza]), np.sqrt(3), rtol=1e-5)
    assert america @ states > america @ pizza
    assert pizza @ pasta > pizza @ states


def test_vectors_are_tfidf_weighted_sums_of_known_words(featurizer):
    tfidf = featurizer.transform_both(["hot pizza", "qwxz"])[0]
    index, table = load_word_vectors()
    weights = tfidf[0, featurizer.word_columns_].toarray().ravel()
    words = np.array(featurizer.vectorizers_[0].get_feature_names_out())[featurizer.word_columns_]
    expected = sum(w * table[index[word]] for w, word in zip(weights, words) if w)
    got = featurizer.word_vectors_of(tfidf)
    np.testing.assert_allclose(got[0], expected / np.linalg.norm(expected), atol=2e-3)
    np.testing.assert_array_equal(got[1], 0)  # no known word: zeros


def test_without_word_vectors_there_are_none():
    plain = TextFeaturizer(n_components=4, random_state=0).fit(TEXTS)
    assert vectors(plain, ["hot pizza"]).shape == (1, 0)
    assert plain.word_vectors_.shape == (0, 0)


def test_without_a_projection_the_tower_input_is_the_sentence_embedding_alone():
    featurizer = TextFeaturizer(sentence_encoder="use", n_components=0).fit(TEXTS)
    texts = ["ti amo tanto", "I love you so much", "hot pizza"]
    tfidf, inputs = featurizer.transform_both(texts)
    assert featurizer.components_.shape == (featurizer.n_tfidf_features_, 0)
    assert tfidf.shape == (3, featurizer.n_tfidf_features_)  # still there, for the head
    expected = sentence_encoder("use").encode(list(featurizer.normalized(texts)))
    np.testing.assert_allclose(inputs, expected, atol=1e-6)
    assert inputs.shape[1] == featurizer.n_features_out_
    # Its meaning carries across languages, which n-grams of these texts could not give.
    assert inputs[0] @ inputs[1] > inputs[1] @ inputs[2]


@pytest.mark.parametrize("n_components, sentence_weight", [(0, 1.0), (4, 0.5)])
def test_sentence_part_of_the_tower_input_is_the_sentence_embedding(n_components, sentence_weight):
    featurizer = TextFeaturizer(sentence_encoder="use", n_components=n_components,
                                sentence_weight=sentence_weight, random_state=0).fit(TEXTS)
    texts = ["Ti amo tanto @someone", "hot pizza"]
    embeddings = featurizer.sentence_embeddings(texts)
    np.testing.assert_allclose(
        embeddings, sentence_encoder("use").encode(list(featurizer.normalized(texts))), atol=1e-6)
    np.testing.assert_allclose(featurizer.sentence_part(featurizer.transform(texts)), embeddings,
                               atol=1e-6)


def test_no_projection_needs_a_sentence_encoder():
    with pytest.raises(ValueError, match="n_components=0 .* set sentence_encoder='use'"):
        TextFeaturizer(n_components=0).fit(TEXTS)
