"""The one scoring formula, how its few weights are fitted, and ranking in bounded memory.

Every candidate ``e`` scores a text ``x`` as

    score(x, e) = c_e * cos(q(x), a_e) / temperature + w_text * cos(v(x), v_e)
                  + u_e * (g(x) - g_mean) . g_e + h_e . s(x) + b_e

where ``s(x)`` holds the head's linear scores of the training emojis for
``x``, and ``c_e`` is ``w_content`` for a training emoji with a head score of
its own and ``w_content_imputed`` for any other (whose content is most of
what is known of it); ``u_e`` is 0 for the first (its head score knows its
words better: with word vectors, the headed emojis' macro-F1 drops) and
``w_words`` for any other. ``w_words`` is fitted after the other weights,
with them fixed, as if it applied to every candidate: the few emojis hidden
in the simulated zero-shot are too few to say how much words tell, every
emoji's pairs are not. ``v`` is the featuriser's dense text vector (the LSA
projection of the TF-IDF, the sentence embedding, or both) of the text and
of the emoji's description: an untrained similarity, which the towers, fitted
to the training emojis, do not replace for emojis they never saw. ``g`` is
the unit word vector (pretrained GloVe) of the text and of the description,
the text's centred on the training questions' mean ``g_mean``: what words mean
beyond the training texts. A
training emoji's head column ``h_e`` is ``w_head`` on its own score; any
other emoji's (added later, or too rare in training for a head score of its
own) is imputed once, from its content: ``w_borrow`` times a softmax, over
the training emojis, of the cosines of their answer embeddings and its own
(an added 📷 borrows what was learned for 📸, after ConSE, Norouzi et al. 2014).
``b_e`` is a training emoji's bias (calibrated for macro-F1), or the fitted
bias of imputed emojis, lowered when they outnumber those of the fit so that
together they keep the prior mass they had there, and moved by how much more
or less used each is than the others (``_candidates.popularity_shift``). The weights are fitted by
the log-loss of held-out pairs in which some training emojis were hidden
(a simulated zero-shot); the imputed emojis' level may then be moved to
balance their top-k recall against the training emojis' (:func:`balanced_offset`).
The training emojis' biases are then offsets fitted for macro-F1, with a
multiple of the head term (:func:`macro_f1_head_scale`), after which the
imputed emojis' level is matched to keep their recall (:func:`matched_level`);
for a closed set of answers, optionally, each one's head column is also
fitted to read every head score, not only its own (:func:`fit_head_mixing`),
with its own multiple and offsets.
"""

import functools

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax, logsumexp
from sklearn.utils.extmath import softmax
from threadpoolctl import ThreadpoolController

# Texts scored at once, at most: bounds memory whatever the number of texts (4,096
# texts against 4,000 candidates is 64 MiB of float32 scores per thread).
CHUNK_SIZE = 4096
# Texts per scoring thread, at least: fewer are scored faster than a thread starts.
MIN_THREAD_ROWS = 256


@functools.lru_cache(maxsize=1)
def _threadpools():
    return ThreadpoolController()


def scoring_threads(n_rows):
    """Threads to score ``n_rows`` texts on: as many as BLAS may use, one per chunk at most.

    Scoring runs BLAS on one thread per chunk and the chunks on parallel
    threads: OpenBLAS's own threads spin between products, taking the cores
    the n-gram and sparse work needs (``benchmarks/results/ranker.md``,
    section 3, measures the throughput).
    """
    if n_rows < 2 * MIN_THREAD_ROWS:
        return 1
    blas = [pool["num_threads"] for pool in _threadpools().info() if pool["user_api"] == "blas"]
    return max(1, min(max(blas, default=1), n_rows // MIN_THREAD_ROWS))


def one_blas_thread():
    """A context in which BLAS uses one thread."""
    return _threadpools().limit(limits=1, user_api="blas")


def neighbour_weights(embeddings, trained_embeddings, temperature):
    """(n, n_trained) softmax over the cosines of each embedding with the trained ones'."""
    if trained_embeddings.shape[0] == 0:
        return np.zeros((embeddings.shape[0], 0), dtype=np.float32)
    cosines = embeddings @ trained_embeddings.T
    return softmax(cosines / np.float32(temperature)).astype(np.float32)


def combine(content, text, words, head_scores, borrowed, weights, imputed_bias, bias=None, *,
            words_everywhere=False, head_mixing=None):
    """Scores of the formula for given weights, from its parts (used in fitting).

    ``content`` (n, n_candidates) is cos / temperature; ``text`` the cosine
    of the text vectors; ``words`` the product of the centred word vectors; ``head_scores``
    (n, n_candidates) each candidate's own head score (0 where it has none);
    ``borrowed`` (n, n_candidates) the imputed head score (0 where it has
    its own); ``imputed_bias`` marks the imputed candidates (their content
    weight, bias and, unless ``words_everywhere``, the only word scores).
    With ``head_mixing`` (n_candidates, n_candidates; see
    :func:`fit_head_mixing`), a candidate's head term is its row of it times
    every head score, in place of ``w_head`` times its own (imputed candidates
    have none).
    """
    w_content, w_content_imputed, w_text, w_words, w_head, w_borrow, b_imputed = weights
    content_weight = w_content + (w_content_imputed - w_content) * imputed_bias
    words_weight = w_words if words_everywhere else w_words * imputed_bias
    head = w_head * head_scores if head_mixing is None else \
        (head_scores @ head_mixing.T) * (1 - imputed_bias)
    scores = (content_weight * content + w_text * text + words_weight * words
              + head + w_borrow * borrowed)
    scores = scores + b_imputed * imputed_bias
    return scores if bias is None else scores + bias


WEIGHT_NAMES = ("w_content", "w_content_imputed", "w_text", "w_words", "w_head", "w_borrow",
                "b_imputed")


def at_most(n_rows, rng, *arrays):
    """``arrays`` (rows aligned), or ``n_rows`` of their rows drawn without replacement with
    ``rng`` (a fixed seed if None) where they have more."""
    if len(arrays[0]) <= n_rows:
        return arrays
    rows = (rng or np.random.RandomState(0)).choice(len(arrays[0]), n_rows, replace=False)
    return tuple(a[rows] for a in arrays)


# Held-out pairs the weights are fitted on, at most: seven numbers need no more, and the
# log-loss over thousands of candidates is evaluated many times.
MAX_WEIGHT_ROWS = 3000


def fit_weights(content, text, words, head_scores, borrowed, imputed, targets, sample_weight,
                rng=None, *, balance_top_k=None):
    """The weights of :data:`WEIGHT_NAMES` minimising the held-out log-loss, as a dict.

    First all but ``w_words``, without the word scores (as the headed
    emojis are scored); then ``w_words`` alone, the others fixed, with the
    word scores of every candidate. With ``balance_top_k``, ``b_imputed`` is
    then moved by the offset of :func:`balanced_offset`. At most
    :data:`MAX_WEIGHT_ROWS` pairs, drawn with ``rng``, are used.
    """
    content, text, words, head_scores, borrowed, targets, sample_weight = at_most(
        MAX_WEIGHT_ROWS, rng, content, text, words, head_scores, borrowed, targets, sample_weight)

    def scores_of(params, words_everywhere=False):
        return combine(content, text, words, head_scores, borrowed, params, imputed,
                       words_everywhere=words_everywhere)

    def loss(params, words_everywhere):
        log_proba = log_softmax(scores_of(params, words_everywhere), axis=1)
        return -np.average(log_proba[np.arange(len(targets)), targets], weights=sample_weight)

    words_at = WEIGHT_NAMES.index("w_words")

    def with_words(others, w_words):
        return np.insert(others, words_at, w_words)

    others = minimize(lambda p: loss(with_words(p, 0.0), False),
                      x0=np.array([1.0, 1.0, 0.0, 1.0, 1.0, 0.0]), method="L-BFGS-B",
                      bounds=[(0, 10), (0, 10), (0, 100), (0, 10), (0, 10), (-20, 20)]).x
    w_words = minimize(lambda p: loss(with_words(others, p[0]), True), x0=np.array([0.0]),
                       method="L-BFGS-B", bounds=[(0, 100)]).x[0]
    weights = dict(zip(WEIGHT_NAMES, (float(v) for v in with_words(others, w_words))))
    if balance_top_k is not None:
        weights["b_imputed"] += balanced_offset(scores_of(with_words(others, w_words)), imputed,
                                                targets, sample_weight, balance_top_k)
    return weights


# Where matched_level looks for the level, and how finely (2 * 50 / 2**30 logits).
LEVEL_SEARCH_RANGE = 50.0
LEVEL_SEARCH_STEPS = 30


def matched_level(content, text, words, head_scores, borrowed, imputed, targets, sample_weight,
                  before, after, k):
    """``b_imputed`` for the weights ``after`` that keeps the top-``k`` recall of the imputed pairs.

    For when a weight changed after :func:`fit_weights` (``w_head``, scaled
    for macro-F1): the emojis without a head score then come up for their
    pairs as often as they did with the weights ``before`` (dicts of
    :data:`WEIGHT_NAMES`), the level that ``zero_shot_level`` chose. The
    recall grows with the level, so the lowest level that reaches it is found
    by bisection. ``before["b_imputed"]`` if no pair's answer is imputed.
    """
    rows = imputed[targets] > 0
    if not rows.any():
        return before["b_imputed"]
    parts = tuple(part[rows] for part in (content, text, words, head_scores, borrowed))
    targets, sample_weight = targets[rows], sample_weight[rows]

    def unlevelled(weights):
        return combine(*parts, [0.0 if name == "b_imputed" else weights[name]
                                for name in WEIGHT_NAMES], imputed)

    def recall(scores, level):
        return np.average(in_top_k(scores + level * imputed, targets, k), weights=sample_weight)

    wanted = recall(unlevelled(before), before["b_imputed"])
    scores = unlevelled(after)
    low, high = -LEVEL_SEARCH_RANGE, LEVEL_SEARCH_RANGE
    for _ in range(LEVEL_SEARCH_STEPS):
        middle = (low + high) / 2
        low, high = (low, middle) if recall(scores, middle) >= wanted else (middle, high)
    return float(high)


def in_top_k(scores, targets, k):
    """Whether each row's answer (``targets``) is among its ``k`` best scores (ties count for it)."""
    target_scores = scores[np.arange(len(targets)), targets]
    return np.sum(scores > target_scores[:, None], axis=1) < k


# Offsets of the imputed candidates' bias that balanced_offset tries (logits).
LEVEL_OFFSETS = np.round(np.arange(-1.0, 2.0001, 0.05), 2)


def balanced_offset(scores, imputed, targets, sample_weight, k):
    """The offset of the imputed candidates' scores that balances their top-k recall and the others'.

    The balance is the harmonic mean of the (weighted) share of pairs whose
    answer is in the top ``k``, among the pairs of imputed answers and among
    the others: the measure of generalized zero-shot learning (Xian et al.,
    2018), whose level is chosen on held-out pairs in calibrated stacking
    (Chao et al., 2016). The offset of :data:`LEVEL_OFFSETS` with the best
    balance is returned, the smallest in absolute value among equals; 0 if
    either kind of pair is missing.
    """
    to_imputed = imputed[targets] > 0
    if to_imputed.all() or not to_imputed.any():
        return 0.0
    offsets = np.array(sorted(LEVEL_OFFSETS, key=abs))  # argmax keeps the first of equals
    # (n_offsets, n_pairs): whether the pair's answer is in the top k at each offset.
    in_top = np.stack([in_top_k(scores + o * imputed, targets, k) for o in offsets])
    imputed_recall, others_recall = (
        np.average(in_top[:, rows], axis=1, weights=sample_weight[rows])
        for rows in (to_imputed, ~to_imputed))
    harmonic = 2 * imputed_recall * others_recall / np.maximum(imputed_recall + others_recall, 1e-12)
    return float(offsets[np.argmax(harmonic)])


def unit_rows(x):
    """Rows scaled to unit L2 norm (zero rows stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), np.float32(1e-12))


# Offsets tried per class, in units of the scores' spread.
BIAS_STEPS = np.linspace(-1, 1, 21)


def macro_f1_biases(scores, targets, classes, *, steps=BIAS_STEPS, rounds=2):
    """Per-class bias offsets that raise the macro-F1 of ``argmax(scores + bias)``.

    Coordinate ascent over the classes in ``classes`` (column indices), each
    offset tried on a grid of multiples of the scores' spread: the decision
    rule that fits macro-F1 favours rare classes more than the log-loss does.
    """
    bias = np.zeros(scores.shape[1])
    spread = float(np.std(scores))
    n_rows, n_columns = scores.shape
    labels = np.unique(targets)
    true_counts = np.bincount(targets, minlength=n_columns)[labels]

    def macro_f1(predicted):
        # sklearn's f1_score(targets, predicted, labels=labels, average="macro"), counted
        # directly: it is called hundreds of times per fit, and its checks cost more than this.
        hits = np.bincount(targets[predicted == targets], minlength=n_columns)[labels]
        predicted_counts = np.bincount(predicted, minlength=n_columns)[labels]
        return float(np.mean(2 * hits / (predicted_counts + true_counts)))

    best = macro_f1(np.argmax(scores, axis=1))
    for _ in range(rounds):
        for column in classes:
            # argmax(scores + bias) as only this column's offset moves: the best of the others
            # is fixed, and the column wins where it beats it (or ties it from a lower index).
            others = scores + bias
            others[:, column] = -np.inf
            other_best = np.argmax(others, axis=1)
            other_max = others[np.arange(n_rows), other_best]
            start = bias[column]
            for step in steps:
                offset = start + step * spread
                own = scores[:, column] + offset
                wins = (own > other_max) | ((own == other_max) & (column < other_best))
                value = macro_f1(np.where(wins, column, other_best))
                if value > best + 1e-9:
                    best = value
                    bias[column] = offset
    return bias.astype(np.float32), best


def keep_mass(scores, bias, columns):
    """``bias`` with its ``columns`` shifted alike so the mean log-sum-exp of ``scores`` is kept.

    Macro-F1 offsets move probability among the emojis they calibrate; any
    common level does as well for them, and this one takes no probability
    from the other candidates (imputed emojis, whose bias was fitted without
    offsets).
    """
    shift = np.mean(logsumexp(scores + bias, axis=1)) - np.mean(logsumexp(scores, axis=1))
    bias = bias.copy()
    bias[columns] -= np.float32(shift)
    return bias


# Multiples of the log-loss's w_head that the macro-F1 calibration tries
# (benchmarks/tune_calibration.py --head).
HEAD_SCALES = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


def macro_f1_head_scale(parts, weights, imputed, targets, classes, scales=HEAD_SCALES, *,
                        head_mixing=None, intercept=None):
    """The multiple of the head term and the biases of ``classes`` with the best macro-F1.

    ``parts`` are :func:`combine`'s, of pairs not trained on; for each of
    ``scales``, the head term (``w_head`` times the own head score, or the
    ``head_mixing`` and its ``intercept`` of :func:`fit_head_mixing`) is
    multiplied by it, and offsets are fitted by :func:`macro_f1_biases` (then
    :func:`keep_mass`). The log-loss that fits the head term rewards
    calibrated probabilities; macro-F1 rewards the head's ranking of the
    emojis it knows, which the towers blur. Returns ``(scale, biases)``: the
    biases are the offsets, plus the scaled intercept; ties go to the smaller
    scale.
    """
    best = None
    for scale in scales:
        scaled = dict(weights, w_head=weights["w_head"] * scale)
        mixing = None if head_mixing is None else scale * head_mixing
        scores = combine(*parts, [scaled[k] for k in WEIGHT_NAMES], imputed, head_mixing=mixing)
        head_bias = 0 if intercept is None else scale * intercept
        offsets, value = macro_f1_biases(scores + head_bias, targets, classes)
        if best is None or value > best[0] + 1e-9:
            best = (value, scale, keep_mass(scores, head_bias + offsets, classes))
    return best[1], best[2]


# Inverse strength of the penalty that keeps the head mixing near w_head times the identity, as
# scikit-learn's LogisticRegression(C) weighs it against the summed log-loss
# (benchmarks/tune_head_mixing.py).
HEAD_MIXING_C = 0.1
# Pairs the head mixing is fitted on, at most: its parameters grow as the square of the headed
# emojis, each of its steps as the pairs times the candidates times the headed emojis.
MAX_MIXING_ROWS = 50_000


def fit_head_mixing(parts, weights, imputed, targets, sample_weight, rng=None, C=HEAD_MIXING_C):
    """Each headed candidate's head term as a mix of every head score, fitted by the log-loss.

    Stacking (Wolpert, 1992): a multinomial logistic regression over the
    head scores of pairs the head was not fitted on (``parts``, as
    :func:`combine` takes them, the rest of the formula kept as ``weights``
    give it), so that one emoji's head score can raise or lower another's,
    which one linear head scored independently per emoji cannot. Starts from,
    and is penalised (L2, ``C``) towards, ``w_head`` times the identity,
    :func:`combine`'s own head term. At most :data:`MAX_MIXING_ROWS` pairs,
    drawn with ``rng``. Returns ``(mixing, intercept)``: ``mixing``
    (n_candidates, n_candidates) as :func:`combine` takes it, zero outside
    the headed candidates; ``intercept`` (n_candidates,), their fitted
    biases.
    """
    *parts, targets, sample_weight = at_most(MAX_MIXING_ROWS, rng, *parts, targets,
                                             sample_weight)
    headed = imputed == 0
    n_headed = int(headed.sum())
    others = combine(*parts, [0.0 if name == "w_head" else weights[name] for name in WEIGHT_NAMES],
                     imputed).astype(np.float64)
    own = parts[3][:, headed].astype(np.float64)
    start = weights["w_head"] * np.eye(n_headed)
    sample_weight = np.asarray(sample_weight, dtype=np.float64)
    pairs = np.arange(len(targets))

    def loss_and_gradient(theta):
        mixing, intercept = theta[:-n_headed].reshape(n_headed, n_headed), theta[-n_headed:]
        scores = others.copy()
        scores[:, headed] += own @ mixing.T + intercept
        log_proba = log_softmax(scores, axis=1)
        gradient = np.exp(log_proba)
        gradient[pairs, targets] -= 1
        gradient = gradient[:, headed] * sample_weight[:, None]
        step = mixing - start
        loss = -sample_weight @ log_proba[pairs, targets] + np.sum(step ** 2) / (2 * C)
        return loss, np.concatenate([(gradient.T @ own + step / C).ravel(), gradient.sum(axis=0)])

    theta = minimize(loss_and_gradient, np.concatenate([start.ravel(), np.zeros(n_headed)]),
                     jac=True, method="L-BFGS-B").x
    mixing = np.zeros((len(headed), len(headed)), dtype=np.float32)
    mixing[np.ix_(headed, headed)] = theta[:-n_headed].reshape(n_headed, n_headed)
    intercept = np.zeros(len(headed), dtype=np.float32)
    intercept[headed] = theta[-n_headed:]
    return mixing, intercept


def fit_scaled_head_mixing(parts, weights, headed, targets, sample_weight, scales, rng=None,
                           C=HEAD_MIXING_C):
    """:func:`fit_head_mixing`, then its multiple (of ``scales``) and offsets for macro-F1
    (:func:`macro_f1_head_scale`). Returns ``(mixing, biases, scale)``, the mixing already
    times its multiple."""
    mixing, intercept = fit_head_mixing(parts, weights, (~headed).astype(np.float64), targets,
                                        sample_weight, rng, C=C)
    scale, biases = macro_f1_head_scale(parts, weights, ~headed, targets, np.flatnonzero(headed),
                                        scales, head_mixing=mixing, intercept=intercept)
    return scale * mixing, biases, scale


# Columns per block in top_k: the k best columns of a row lie in its k blocks of highest
# maximum, so only those are sorted (with 4,000 candidates, 8x less work than argpartition).
TOP_K_BLOCK = 32


def best_of_each_group(scores, groups):
    """Keep, in each row of ``scores``, only the best of each group's columns; the rest become -inf.

    ``groups`` is ``(n_groups, n_members)`` column indices, padded with -1. In place.
    """
    members = groups >= 0
    columns = np.where(members, groups, 0)
    values = np.where(members, scores[:, columns], -np.inf)  # (n_rows, n_groups, n_members)
    best = np.take_along_axis(np.broadcast_to(columns, values.shape),
                              values.argmax(axis=2)[..., None], axis=2)[..., 0]
    kept = np.take_along_axis(scores, best, axis=1)
    scores[:, groups[members]] = -np.inf
    np.put_along_axis(scores, best, kept, axis=1)


def top_k(scores, k):
    """Column indices of the ``k`` best scores of each row, best first."""
    n_rows, n_columns = scores.shape
    if k * TOP_K_BLOCK * 4 >= n_columns:
        # The k best blocks would hold a quarter of the columns or more: nothing to save.
        return _top_k_of(scores, k)
    starts = np.arange(0, n_columns, TOP_K_BLOCK)
    maxima = np.maximum.reduceat(scores, starts, axis=1)
    blocks = _top_k_of(maxima, k)
    columns = (blocks[:, :, None] * TOP_K_BLOCK + np.arange(TOP_K_BLOCK)).reshape(n_rows, -1)
    beyond = columns >= n_columns  # the last block may be short
    values = np.take_along_axis(scores, np.minimum(columns, n_columns - 1), axis=1)
    values[beyond] = -np.inf
    return np.take_along_axis(columns, _top_k_of(values, k), axis=1)


def _top_k_of(scores, k):
    if k < scores.shape[1]:
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        top = np.broadcast_to(np.arange(scores.shape[1]), scores.shape).copy()
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)
