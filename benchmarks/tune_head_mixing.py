"""How strongly the head mixing is held to each emoji's own head score: the evidence for
``HEAD_MIXING_C``.

The head mixing (``stack_head``) is a multinomial logistic regression over
the out-of-fold head scores, penalised (L2, inverse strength ``C``, as
scikit-learn's ``LogisticRegression`` weighs it against the summed log-loss)
towards ``w_head`` times the identity: each emoji reading its own head score
only. This fits a default ranker once per 80/20 split of TweetEval **train**
(stratified, one per seed; one shared VAE, ``bench_ranker.shared_vae``), raw
and with U+FE0F stripped, records the pairs its mix was fitted on, and refits
the mix (then its multiple and offsets for macro-F1, as ``fit`` does) at
each ``C`` of :data:`CS`, scoring each on the 20% part beside the TF-IDF +
LinearSVC baseline of ``bench_ranker.py``. Everything but the mix is the
same fit, so the rows differ by ``C`` alone.

Run ``python benchmarks/tune_head_mixing.py [--seeds 0 1 2] [--texts raw stripped]``;
it writes ``benchmarks/results/head_mixing.{json,md}``.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

sys.path.insert(0, str(Path(__file__).parent))
from bench_ranker import evaluate, shared_vae, svm_pipeline, table, train_split, write_report  # noqa: E402

from skemoji import SiameseEmojiRanker  # noqa: E402
from skemoji.ranker import _estimator, _scoring  # noqa: E402

# The penalties tried, the library's among them.
CS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def fit_recording_mix(ranker, fit):
    """Fit ``ranker`` on ``fit``, returning the arguments its head mixing was fitted with."""
    recorded = {}
    library_fit = _estimator.fit_scaled_head_mixing

    def recording(parts, weights, headed, targets, sample_weight, scales, rng=None):
        recorded.update(parts=parts, weights=dict(weights), headed=headed, targets=targets,
                        sample_weight=sample_weight, scales=scales)
        return library_fit(parts, weights, headed, targets, sample_weight, scales, rng)

    _estimator.fit_scaled_head_mixing = recording
    try:
        ranker.fit(fit.text, fit.emoji)
    finally:
        _estimator.fit_scaled_head_mixing = library_fit
    return recorded


def macro_f1_with_mix(ranker, recorded, C, tune):
    """The ranker's macro-F1 on ``tune`` with its mix refitted at ``C``, and the mix's multiple."""
    ranker.head_mixing_, ranker.head_mixing_bias_, scale = _scoring.fit_scaled_head_mixing(
        **recorded, C=C)
    ranker._build_scoring()
    return f1_score(tune.emoji, ranker.predict(tune.text), average="macro"), scale


def main(seeds, texts_kinds):
    vae = shared_vae()
    rows = []
    for texts_kind in texts_kinds:
        for seed in seeds:
            fit, tune = train_split(seed, stripped=texts_kind == "stripped")
            svm = evaluate("TF-IDF + LinearSVC", svm_pipeline(), fit, tune)["macro_f1"]
            ranker = SiameseEmojiRanker(vae=vae, random_state=0)
            recorded = fit_recording_mix(ranker, fit)
            library = ranker.predict(tune.text)
            row = {"texts": texts_kind, "seed": seed, "svm_macro_f1": svm,
                   "library_macro_f1": round(float(f1_score(tune.emoji, library, average="macro")), 4),
                   "by_C": {}}
            for C in CS:
                f1, scale = macro_f1_with_mix(ranker, recorded, C, tune)
                row["by_C"][str(C)] = {"macro_f1": round(float(f1), 4), "scale": scale}
                print(texts_kind, seed, C, round(f1, 4), scale, flush=True)
            rows.append(row)
            write(rows)


def write(rows):
    """The rows so far: macro-F1 (and its ratio to the SVM's) per split and C, and the means."""
    report = {"date": time.strftime("%Y-%m-%d"), "cs": list(CS),
              "library_C": _scoring.HEAD_MIXING_C, "rows": rows}
    lines = [
        "# The head mixing's penalty",
        "",
        f"{report['date']}. Default `SiameseEmojiRanker(random_state=0)` (one shared VAE, "
        "`bench_ranker.shared_vae`) fitted once per split on 80% of TweetEval train, raw and with "
        "U+FE0F stripped; its head mixing then refitted at each *C* (the inverse strength of the "
        "L2 penalty towards each emoji reading its own head score) on the pairs the fit mixed on, "
        "with its multiple and offsets for macro-F1, and scored on the other 20%. Each cell: "
        "macro-F1, and its ratio to TF-IDF + LinearSVC's on the same split and texts. The "
        f"library's *C* is {_scoring.HEAD_MIXING_C}; *fit*: the ranker as fitted (the library's C). "
        "Produced by `benchmarks/tune_head_mixing.py`.",
        "",
    ]
    header = ["texts", "split seed", "SVM", "fit", *[f"C={C}" for C in CS]]
    cells = [[r["texts"], r["seed"], f"{r['svm_macro_f1']:.4f}", f"{r['library_macro_f1']:.4f}",
              *[f"{r['by_C'][str(C)]['macro_f1']:.4f} ({r['by_C'][str(C)]['macro_f1'] / r['svm_macro_f1']:.3f}x)"
                for C in CS]] for r in rows]
    for kind in dict.fromkeys(r["texts"] for r in rows):
        runs = [r for r in rows if r["texts"] == kind]
        cells.append([kind, "mean", "", "", *[
            f"{np.mean([r['by_C'][str(C)]['macro_f1'] for r in runs]):.4f} "
            f"({np.mean([r['by_C'][str(C)]['macro_f1'] / r['svm_macro_f1'] for r in runs]):.3f}x)"
            for C in CS]])
        cells.append([kind, "least", "", "", *[
            f"({min(r['by_C'][str(C)]['macro_f1'] / r['svm_macro_f1'] for r in runs):.3f}x)"
            for C in CS]])
    lines += table(header, cells)
    write_report("head_mixing", report, lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--texts", nargs="+", choices=("raw", "stripped"), default=["raw", "stripped"])
    args = parser.parse_args()
    main(args.seeds, args.texts)
