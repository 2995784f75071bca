"""How the ranker's macro-F1 offsets are calibrated: the evidence for ``calibration_folds=5``
and ``calibrate_head=True``.

The ranker adds a per-emoji offset to its scores, fitted for macro-F1
(``calibrate_biases``). Fitted on the validation pairs alone (10% of the
pairs, ``calibration_folds=None``), 20 offsets rest on ~4,500 tweets; fitted
on every pair, each scored by a head fitted on the other folds
(``calibration_folds=5``), on ~45,000. This fits a default ranker both ways
on 80/20 splits of TweetEval **train** (stratified, one per seed), with one
shared VAE (``bench_ranker.shared_vae``), and scores each on the 20% part beside the TF-IDF +
LinearSVC baseline of ``bench_ranker.py``, on the raw texts and with U+FE0F
stripped from all of them. Splits of train, not val, because val is not drawn
like the rest: a stray U+FE0F (which hints at ❤ and ☀) is left in 19.8% of
the train tweets and only 1.6% of val's, so on val the raw texts score no
better than the stripped ones, while on splits of train (and on TweetEval
test, where the SVM scores 29.0 raw and 23.7 stripped) they do.

Run ``python benchmarks/tune_calibration.py [--seeds 0 1 2] [--texts raw stripped]``;
it writes ``benchmarks/results/calibration.{json,md}``. With ``--head`` it
compares ``calibrate_head=False`` and ``True`` (whether ``w_head`` is scaled
for macro-F1 with the offsets) instead, and writes ``calibration_head.{json,md}``;
with ``--stack``, ``stack_head=False`` and ``True`` (whether each emoji's head
term mixes every head score, fitted on the same out-of-fold scores), and
writes ``calibration_stack.{json,md}``.
With ``--zero-shot`` it
instead checks what the compared parameter costs emojis added after fitting:
on the first split (raw texts), for each of ``bench_ranker.py``'s three
held-out fives and each value, a ranker fitted without the five, the five
added, their tweets of the 20% part ranked among all 20, and the balance of
their recall and the trained answers' top-5, at the ranker's level and at the
best level moved by hand; it writes ``calibration_zero_shot.{json,md}``
(``calibration_folds``) or ``calibration_head_zero_shot.{json,md}`` (with
``--head``); with ``--stack`` the two values rank added emojis alike by
construction (an added emoji ends the mix), so there is nothing to compare.
The ``calibration_folds`` and ``calibrate_head`` comparisons are of rankers
without the head mixing (``stack_head=False``), as they were run before the
mix was on by default.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_ranker import (  # noqa: E402
    HELD_OUT,
    evaluate,
    held_out_fives,
    shared_vae,
    svm_pipeline,
    train_split,
    write_report,
    zero_shot_run,
)

from skemoji import SiameseEmojiRanker  # noqa: E402

# What each comparison varies: (report name, parameter, its values, the other parameters).
COMPARISONS = {"folds": ("calibration", "calibration_folds", (None, 5), {"stack_head": False}),
               "head": ("calibration_head", "calibrate_head", (False, True), {"stack_head": False}),
               "stack": ("calibration_stack", "stack_head", (False, True), {})}
# How the reports say which texts were used (--texts).
TEXTS = {"raw": "on the raw texts", "stripped": "with U+FE0F stripped from all texts"}


def main(seeds, texts_kinds, comparison):
    _, parameter, values, others = COMPARISONS[comparison]
    vae = shared_vae()
    rows = []
    for texts_kind in texts_kinds:
        for seed in seeds:
            fit, tune = train_split(seed, stripped=texts_kind == "stripped")
            svm = evaluate("TF-IDF + LinearSVC", svm_pipeline(), fit, tune, seed=seed,
                           texts=texts_kind)
            rows.append(svm)
            for value in values:
                ranker = SiameseEmojiRanker(vae=vae, random_state=0, **others,
                                            **{parameter: value})
                row = evaluate(f"ranker, {parameter}={value}", ranker, fit, tune, seed=seed,
                               texts=texts_kind, **{parameter: value})
                rows.append({**row, "vs_svm": round(row["macro_f1"] / svm["macro_f1"], 4),
                             "head_scale": ranker.weights_["head_scale"]})
                write(rows, seeds, texts_kinds, comparison)


def zero_shot(seed, comparison):
    """Recall of each five added after a fit without them, per value of the compared parameter."""
    name, parameter, values, others = COMPARISONS[comparison]
    vae = shared_vae()
    fit, tune = train_split(seed)
    rows = [{**zero_shot_run(fit, tune, vae, {**others, parameter: value}, five),
             parameter: value, "seed": seed}
            for five in held_out_fives(fit.emoji) for value in values]
    report = {"date": time.strftime("%Y-%m-%d"), "rows": rows}
    lines = [
        f"# What `{parameter}` costs emojis added after fitting",
        "",
        f"{report['date']}. Default `SiameseEmojiRanker(random_state=0)` with each "
        f"`{parameter}`, fitted on 80% of TweetEval train (split seed {seed}, raw texts) "
        f"without the tweets of five emojis (those of `bench_ranker.py`: {' '.join(HELD_OUT)} "
        "chosen, two fives drawn); the five are then added with `add_candidates` and their "
        "tweets of the other 20% ranked among all 20 answers. "
        "*Seen top-5*: the other tweets of the 20%, among the 15 trained answers before adding "
        "and among all 20 after. *Balance*: the harmonic mean of recall@5 and seen top-5 after; "
        "*best balance*: its most with the added emojis' level moved by hand (every quarter "
        "logit from -8 to 8), and that shift. Produced by "
        f"`benchmarks/tune_calibration.py --zero-shot{'' if comparison == 'folds' else ' --' + comparison}`.",
        "",
        f"| held out | {parameter} | tweets | recall@5 | recall@1 | seen top-5 before | "
        "seen top-5 after | balance | best balance (shift) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {' '.join(r['held_out'])} | {r[parameter]} | {r['n_val_tweets']} | "
              f"{r['top5_recall']:.3f} | "
              f"{r['top1_recall']:.3f} | {r['seen_top5_before']:.3f} | {r['seen_top5_after']:.3f} | "
              f"{r['balance']:.3f} | {r['best_balance']:.3f} ({r['best_balance_shift']:+.2f}) |"
              for r in rows]
    write_report(f"{name}_zero_shot", report, lines)


def write(rows, seeds, texts_kinds, comparison):
    """The rows so far and their means per text kind and value of the compared parameter."""
    name, parameter, values, _ = COMPARISONS[comparison]
    summary = {}
    for texts_kind in texts_kinds:
        for value in values:
            runs = [r for r in rows if r.get(parameter, "svm") == value
                    and r["texts"] == texts_kind]
            if not runs:
                continue
            f1 = [r["macro_f1"] for r in runs]
            summary[f"{texts_kind}, {value}"] = {
                "texts": texts_kind, parameter: value, "splits": len(runs),
                "mean_macro_f1": round(float(np.mean(f1)), 4),
                "std_macro_f1": round(float(np.std(f1)), 4),
                "mean_vs_svm": round(float(np.mean([r["vs_svm"] for r in runs])), 4)}
    report = {"date": time.strftime("%Y-%m-%d"), "seeds": list(seeds), "rows": rows,
              "summary": summary}
    lines = [
        "# How the ranker's macro-F1 offsets are calibrated: " + parameter,
        "",
        f"{report['date']}. Default `SiameseEmojiRanker(random_state=0)` with each "
        f"`{parameter}`, one shared VAE (`bench_ranker.shared_vae`), fitted on 80% of TweetEval train "
        "and scored on the other 20% (a stratified split per seed), "
        f"{' and '.join(TEXTS[kind] for kind in texts_kinds)}; *vs SVM*: macro-F1 divided by TF-IDF + LinearSVC's on "
        "the same split and texts; *head scale*: the multiple of the log-loss's `w_head` the "
        "calibration chose (`weights_['head_scale']`). Produced by "
        f"`benchmarks/tune_calibration.py{'' if comparison == 'folds' else ' --' + comparison}`.",
        "",
        "| texts | split seed | model | macro-F1 | vs SVM | head scale | fit wall (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['texts']} | {r['seed']} | {r['model']} | {r['macro_f1']:.4f} | "
              f"{r.get('vs_svm', 1):.3f}x | {r.get('head_scale', '')} | {r['fit_seconds']:.0f} |"
              for r in rows]
    lines += ["", f"| texts | {parameter} | splits | mean macro-F1 (std over splits) | mean vs SVM |",
              "|---|---|---|---|---|"]
    lines += [f"| {s['texts']} | {s[parameter]} | {s['splits']} | {s['mean_macro_f1']:.4f} "
              f"({s['std_macro_f1']:.4f}) | {s['mean_vs_svm']:.3f}x |" for s in summary.values()]
    write_report(name, report, lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--texts", nargs="+", choices=("raw", "stripped"), default=["raw", "stripped"])
    parser.add_argument("--head", action="store_true",
                        help="compare calibrate_head=False and True instead of calibration_folds")
    parser.add_argument("--stack", action="store_true",
                        help="compare stack_head=False and True instead of calibration_folds")
    parser.add_argument("--zero-shot", action="store_true",
                        help="check the recall of added emojis on the first seed's split instead")
    args = parser.parse_args()
    compared = "head" if args.head else "stack" if args.stack else "folds"
    if args.zero_shot and args.stack:
        parser.error("--zero-shot --stack: an added emoji ends the head mixing, so both values "
                     "rank added emojis alike; nothing to compare")
    if args.zero_shot:
        zero_shot(args.seeds[0], compared)
    else:
        main(args.seeds, args.texts, compared)
