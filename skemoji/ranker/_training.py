"""The training schedule: the towers in Keras, then the per-emoji head with scikit-learn.

The towers learn to rank on their own (all an emoji added later gets), on
the user's pairs and the catalog's (name or keyword, emoji) pairs, with a
softmax over every candidate. The head is a linear model per training emoji
over the text features, fitted apart; how the two combine is fitted later, on
held-out pairs (:mod:`skemoji.ranker._scoring`).
"""

import threading

import numpy as np
import scipy.sparse as sp
from sklearn.svm import LinearSVC

from .._keras_base import history_dict, import_keras, keras_verbose


def _sparse_tensor(matrix):
    """scipy CSR -> tf.SparseTensor with the canonical index order Keras expects."""
    import tensorflow as tf

    coo = matrix.tocoo()
    indices = np.stack([coo.row, coo.col], axis=1).astype(np.int64)
    return tf.sparse.reorder(tf.SparseTensor(indices, coo.data.astype(np.float32), coo.shape))


# Added to the logits of candidates outside a user pair's answers (see CandidateScorer).
_MASKED = -1e4


def train_towers(question_encoder, answer_encoder, answer_inputs, questions, targets, weights,
                 train_rows, val_rows, *, user_rows=None, user_answers=None, loss="softmax",
                 temperature=0.1, margin=0.2, epochs=25, batch_size=512, learning_rate=1e-3,
                 n_iter_no_change=2, verbose=0, rng=None):
    """Fit both towers on (question, candidate index) pairs; returns the Keras history as a dict.

    Every step scores its questions against every candidate (whose inputs
    are fixed tensors, embedded anew so the gradient reaches the answer
    side). With ``user_rows`` (a boolean mask of the user's pairs among the
    questions) and ``user_answers`` (a boolean mask of the candidates they
    may answer), the user's pairs are scored among those answers only and
    the other (catalog) pairs among all candidates: two tasks through the
    same towers. Early stopping watches the class-weighted accuracy of the
    validation rows (their balanced accuracy with balanced weights): the
    loss starts rising after an epoch or two, as the cosines grow
    confident, while the ranking still improves. With ``loss="hinge"`` (one
    random negative per question, the original work's loss) it watches the
    loss.
    """
    from ._networks import CandidateScorer, OneNegativeHinge

    keras = import_keras()
    n_candidates = answer_inputs[next(iter(answer_inputs))].shape[0]
    tower_targets = targets
    if loss == "hinge":
        rng = rng or np.random.RandomState(0)
        negatives = (targets + rng.randint(1, n_candidates, size=len(targets))) % n_candidates
        tower_targets = np.stack([targets, negatives], axis=1)
        loss_fn, temperature = OneNegativeHinge(margin), 1.0
    else:
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    candidates = {
        key: _sparse_tensor(value) if sp.issparse(value) else keras.ops.convert_to_tensor(value)
        for key, value in answer_inputs.items()
    }
    user_mask = None
    x = questions
    if user_rows is not None and loss == "softmax":
        user_mask = np.where(user_answers, 0.0, _MASKED).astype(np.float32)
        x = {"question": questions, "user": np.asarray(user_rows, dtype=np.float32)}
    model = CandidateScorer(question_encoder, answer_encoder, candidates, temperature, user_mask)
    softmax = loss == "softmax"
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=loss_fn,
        weighted_metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
        if softmax else None,
    )
    validation, callbacks = None, []
    if val_rows is not None and len(val_rows):
        validation = (_take(x, val_rows), tower_targets[val_rows], weights[val_rows])
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_accuracy" if softmax else "val_loss",
            mode="max" if softmax else "min",
            patience=n_iter_no_change,
            restore_best_weights=True,
        ))
    history = model.fit(
        _take(x, train_rows), tower_targets[train_rows], sample_weight=weights[train_rows],
        validation_data=validation, epochs=epochs, batch_size=batch_size, shuffle=True,
        callbacks=callbacks, verbose=keras_verbose(verbose),
    )
    return history_dict(history)


def _take(x, rows):
    return {k: v[rows] for k, v in x.items()} if isinstance(x, dict) else x[rows]


# liblinear shuffles with one generator for the whole process, reseeded by each fit: heads
# fitted at once in threads (the calibration folds') would interleave its draws, and a fit
# would differ from the same fit run again.
_LIBLINEAR = threading.Lock()


def fit_head(features, targets, n_classes, *, C=0.1, class_weight="balanced"):
    """One linear score per emoji over the text features: (coef (n_classes, n_features), intercept).

    A one-vs-rest linear SVM (liblinear), the strong classical baseline for
    tweet emoji prediction; its scores enter the ranker's logits through a
    weight fitted on held-out pairs. Emojis absent from ``targets`` get zero
    columns. With only two emojis, liblinear fits one score; the other
    emoji's is its negation.
    """
    present = np.unique(targets)
    coef = np.zeros((n_classes, features.shape[1]), dtype=np.float32)
    intercept = np.zeros(n_classes, dtype=np.float32)
    if len(present) < 2:
        return coef, intercept
    # A fixed seed: liblinear would otherwise draw from (and advance) the global NumPy RNG.
    with _LIBLINEAR:
        svm = LinearSVC(C=C, class_weight=class_weight, random_state=0).fit(features, targets)
    if len(present) == 2:
        coef[present[1]], intercept[present[1]] = svm.coef_[0], svm.intercept_[0]
        coef[present[0]], intercept[present[0]] = -svm.coef_[0], -svm.intercept_[0]
    else:
        coef[present], intercept[present] = svm.coef_, svm.intercept_
    return coef, intercept
