"""Which n-grams the ranker's TF-IDF reads: the evidence for the featuriser's default.

Each variant is a word and a char ``TfidfVectorizer`` (``min_df=2``,
``sublinear_tf=True``, ``max_features=50_000`` each, as in
``skemoji.ranker._featurizer``) feeding the ranker's head,
``LinearSVC(C=0.1, class_weight="balanced")``, fitted on 80% of TweetEval
**train** and scored (macro-F1) on the other 20%, for three stratified
splits; then, as a check of what the splits suggest, fitted on all of train
and scored on val. (Random splits of train flattered richer n-grams: val,
drawn apart from train, did not confirm them.)

Run ``python benchmarks/tune_featurizer.py [--data DIR]``; it writes
``benchmarks/results/featurizer.{json,md}``.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from bench_ranker import table  # this script's neighbour: run it as benchmarks/tune_featurizer.py
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from skemoji._text import normalize_texts
from skemoji.datasets import load_tweeteval

RESULTS = Path(__file__).parent / "results"
WORDS_ONLY = r"(?u)\b\w+\b"
TOKEN_PATTERN = r"\w+|[^\w\s]"  # each other visible character is a token too
VARIANTS = {
    "words, char_wb 2-5 (default)": (WORDS_ONLY, ("char_wb", (2, 5))),
    "words + emojis + punctuation, char_wb 2-5": (TOKEN_PATTERN, ("char_wb", (2, 5))),
    "words, char 1-5": (WORDS_ONLY, ("char", (1, 5))),
    "words + emojis + punctuation, char 1-5": (TOKEN_PATTERN, ("char", (1, 5))),
}
SPLITS = (0, 1, 2)


def features(token_pattern, char, train, test):
    common = dict(lowercase=False, min_df=2, sublinear_tf=True, dtype=np.float32,
                  max_features=50_000)
    vectorizers = [TfidfVectorizer(ngram_range=(1, 2), token_pattern=token_pattern, **common),
                   TfidfVectorizer(analyzer=char[0], ngram_range=char[1], **common)]
    fitted = sp.hstack([v.fit_transform(train) for v in vectorizers], format="csr")
    return fitted, sp.hstack([v.transform(test) for v in vectorizers], format="csr")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[2] / "shared" / "data"
                                              / "tweeteval_emoji"))
    args = parser.parse_args()
    train = load_tweeteval(args.data, "train")
    texts, targets = normalize_texts(train.text), np.asarray(train.target)
    started = time.time()
    scores = {name: [] for name in VARIANTS}
    for seed in SPLITS:
        fit_texts, test_texts, fit_y, test_y = train_test_split(
            texts, targets, test_size=0.2, stratify=targets, random_state=seed)
        for name, (token_pattern, char) in VARIANTS.items():
            fit_x, test_x = features(token_pattern, char, fit_texts, test_texts)
            svm = LinearSVC(C=0.1, class_weight="balanced", random_state=0).fit(fit_x, fit_y)
            scores[name].append(float(f1_score(test_y, svm.predict(test_x), average="macro")))
            print(seed, name, round(scores[name][-1], 4), flush=True)
    val = load_tweeteval(args.data, "val")
    val_scores = {}
    for name, (token_pattern, char) in VARIANTS.items():
        fit_x, test_x = features(token_pattern, char, texts, normalize_texts(val.text))
        svm = LinearSVC(C=0.1, class_weight="balanced", random_state=0).fit(fit_x, targets)
        val_scores[name] = float(f1_score(val.target, svm.predict(test_x), average="macro"))
        print("val", name, round(val_scores[name], 4), flush=True)
    baseline = np.array(scores[next(iter(VARIANTS))])
    rows = [{"variant": name, "macro_f1": values, "mean": float(np.mean(values)),
             "sd": float(np.std(values, ddof=1)),
             "gain_vs_default": float(np.mean(np.array(values) - baseline)),
             "val_macro_f1": val_scores[name]}
            for name, values in scores.items()]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "featurizer.json").write_text(json.dumps(
        {"splits": SPLITS, "rows": rows, "python": platform.python_version(),
         "seconds": round(time.time() - started)}, indent=2) + "\n")
    lines = ["# Which n-grams the ranker's TF-IDF reads", "",
             f"Produced by `benchmarks/tune_featurizer.py` ({round(time.time() - started)} s). "
             "TF-IDF word 1-2-grams and char n-grams -> `LinearSVC(C=0.1, "
             "class_weight=\"balanced\")` (the ranker's head), fitted on 80% of TweetEval train "
             "and scored on the other 20%, stratified splits with seeds "
             f"{', '.join(map(str, SPLITS))}; val is not used. *Words*: the token pattern "
             "`\\b\\w+\\b`; *+ emojis + punctuation*: `\\w+|[^\\w\\s]` (each other visible "
             "character is a token). *Gain*: the mean over splits of the difference with the "
             "first row on the same split. *Val*: fitted on all of train, scored on val.", ""]
    lines += table(["variant", "macro-F1 per split of train", "mean", "sd", "gain", "val"],
                   [[r["variant"], " / ".join(f"{v:.4f}" for v in r["macro_f1"]),
                     f"{r['mean']:.4f}", f"{r['sd']:.4f}", f"{r['gain_vs_default']:+.4f}",
                     f"{r['val_macro_f1']:.4f}"] for r in rows])
    (RESULTS / "featurizer.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
