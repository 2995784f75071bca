"""Why the ranker's per-emoji head is a linear SVM alone: the NB-SVM it was measured against.

The head as ``skemoji.ranker._training.fit_head`` fits it
(``LinearSVC(C=0.1, class_weight="balanced")``), on the TF-IDF of
``tune_featurizer.py`` (the featuriser's n-grams), against the same SVM with
an NB-SVM's scores added at the same spread (Wang and Manning 2012, one
binary SVM per emoji over the TF-IDF scaled by each n-gram's naive Bayes
log-count ratio for that emoji, ``C=0.01``). Each is scored by macro-F1 of
the argmax of its scores, *plain*, and *calibrated* as the ranker calibrates
its logits: per-emoji offsets from ``macro_f1_biases`` fitted on the fitting
part's scores out of fold (5 folds). Fitted on 80% of TweetEval **train** and
scored on the other 20%, for three stratified splits; then fitted on all of
train and scored on val.

Run ``python benchmarks/tune_head.py [--data DIR]``; it writes
``benchmarks/results/head.{json,md}``.
"""

import argparse
import json
import os
import platform
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from bench_ranker import table  # the benchmarks' Markdown tables
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.svm import LinearSVC
from tune_featurizer import WORDS_ONLY, features  # this script's neighbour: run it as benchmarks/tune_head.py

from skemoji._text import normalize_texts
from skemoji.datasets import load_tweeteval
from skemoji.ranker._scoring import macro_f1_biases
from skemoji.ranker._training import fit_head

RESULTS = Path(__file__).parent / "results"
SPLITS = (0, 1, 2)
N_EMOJIS = 20
NBSVM_C = 0.01  # of 0.003, 0.01, 0.03 and 0.1, the best plain head on these splits (issue 14)
FOLDS = 5


def fit_nbsvm(x, y):
    """NB-SVM (coef (20, n_features), intercept (20,)), linear in ``x``."""
    present = sp.csr_matrix(x > 0, dtype=np.float32)

    def one_emoji(emoji):
        mine = y == emoji
        p = 1.0 + np.asarray(present[mine].sum(axis=0)).ravel()
        q = 1.0 + np.asarray(present[~mine].sum(axis=0)).ravel()
        ratio = np.log(p / p.sum()) - np.log(q / q.sum())
        ratio = (ratio / np.sqrt(np.mean(ratio ** 2))).astype(np.float32)
        svm = LinearSVC(C=NBSVM_C, class_weight="balanced", tol=1e-3, random_state=0)
        svm.fit(x @ sp.diags(ratio), mine)
        return svm.coef_[0] * ratio, svm.intercept_[0]

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # liblinear releases the GIL
        fitted = list(pool.map(one_emoji, range(N_EMOJIS)))
    return np.array([c for c, _ in fitted]), np.array([b for _, b in fitted])


def svm_plus_nbsvm(x, y):
    coef, intercept = fit_head(x, y, N_EMOJIS)
    nb_coef, nb_intercept = fit_nbsvm(x, y)
    scale = np.std(x @ coef.T + intercept) / np.std(x @ nb_coef.T + nb_intercept)
    return coef + scale * nb_coef, intercept + scale * nb_intercept


HEADS = {"SVM (the ranker's head)": lambda x, y: fit_head(x, y, N_EMOJIS),
         "SVM + NB-SVM": svm_plus_nbsvm}


def scored(fit_texts, fit_y, test_texts, test_y):
    """{head: (plain macro-F1, calibrated macro-F1)} of each head, fitted on one part."""
    fit_x, test_x = features(WORDS_ONLY, ("char_wb", (2, 5)), fit_texts, test_texts)
    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(fit_x, fit_y))
    out = {}
    for name, fit in HEADS.items():
        out_of_fold = np.zeros((len(fit_y), N_EMOJIS))
        for train, test in folds:
            coef, intercept = fit(fit_x[train], fit_y[train])
            out_of_fold[test] = fit_x[test] @ coef.T + intercept
        offsets, _ = macro_f1_biases(out_of_fold, fit_y, np.arange(N_EMOJIS))
        coef, intercept = fit(fit_x, fit_y)
        scores = test_x @ coef.T + intercept
        out[name] = tuple(float(f1_score(test_y, np.argmax(s, axis=1), average="macro"))
                          for s in (scores, scores + offsets))
        print(name, [round(v, 4) for v in out[name]], flush=True)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[2] / "shared" / "data"
                                              / "tweeteval_emoji"))
    args = parser.parse_args()
    started = time.time()
    train, val = load_tweeteval(args.data, "train"), load_tweeteval(args.data, "val")
    texts, targets = normalize_texts(train.text), np.asarray(train.target)
    per_split = []
    for seed in SPLITS:
        fit_texts, test_texts, fit_y, test_y = train_test_split(
            texts, targets, test_size=0.2, stratify=targets, random_state=seed)
        per_split.append(scored(fit_texts, fit_y, test_texts, test_y))
    on_val = scored(texts, targets, normalize_texts(val.text), np.asarray(val.target))
    rows = [{"head": name, "calibrated": bool(calibrated),
             "macro_f1": [split[name][calibrated] for split in per_split],
             "mean": float(np.mean([split[name][calibrated] for split in per_split])),
             "val_macro_f1": on_val[name][calibrated]}
            for calibrated in (0, 1) for name in HEADS]
    seconds = round(time.time() - started)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "head.json").write_text(json.dumps(
        {"splits": SPLITS, "nbsvm_C": NBSVM_C, "folds": FOLDS, "rows": rows,
         "python": platform.python_version(), "seconds": seconds}, indent=2) + "\n")
    lines = ["# Why the ranker's head is a linear SVM alone", "",
             f"Produced by `benchmarks/tune_head.py` ({seconds} s). The head as the ranker fits "
             "it (`fit_head`: `LinearSVC(C=0.1, class_weight=\"balanced\")` over the "
             "featuriser's TF-IDF, word 1-2-grams and char_wb 2-5-grams), and the same SVM with "
             "the scores of an NB-SVM added at the same spread (Wang and Manning 2012: one "
             "binary SVM per emoji over the TF-IDF scaled by each n-gram's naive Bayes "
             f"log-count ratio for the emoji, `C={NBSVM_C}`). Scored by macro-F1 of the argmax "
             "of their scores, *plain*, and *calibrated* as the ranker calibrates its logits "
             f"(per-emoji offsets from `macro_f1_biases`, fitted on the scores out of fold, "
             f"{FOLDS} folds). Fitted on 80% of TweetEval train and scored on the other 20%, "
             f"stratified splits with seeds {', '.join(map(str, SPLITS))}; *val*: fitted on "
             "all of train, scored on val.", ""]
    lines += table(["head", "scores", "macro-F1 per split of train", "mean", "val"],
                   [[r["head"], "calibrated" if r["calibrated"] else "plain",
                     " / ".join(f"{v:.4f}" for v in r["macro_f1"]), f"{r['mean']:.4f}",
                     f"{r['val_macro_f1']:.4f}"] for r in rows])
    (RESULTS / "head.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
