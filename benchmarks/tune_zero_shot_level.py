"""How the balanced level of added emojis is chosen: the evidence for the best balance.

With ``zero_shot_level="balanced"`` the fit moves the level of emojis
without a head score (those added later) to balance, on the simulated
zero-shot's held-out pairs, their top-5 recall and the other emojis' top-5:
of the offsets it tries, the one with the best harmonic mean of the two
(``skemoji.ranker._scoring.balanced_offset``). It used to take
the smallest offset within one standard error of the best (the
one-standard-error rule, the error from 200 bootstrap resamples of the
pairs), which keeps the level nearer the log-loss's. This compares the two
rules, the earlier one restored here by replacing ``balanced_offset`` for
its fits: on 80/20 splits of TweetEval **train** (one per seed), for each of
``bench_ranker.py``'s three held-out fives, a default ranker (one shared
VAE, ``bench_ranker.shared_vae``) is fitted on the 80% part without the five's tweets, the
five are added, and the 20% part is ranked among all 20 answers
(``bench_ranker.zero_shot_run``).

Run ``python benchmarks/tune_zero_shot_level.py [--seeds 0 1 2]``; it writes
``benchmarks/results/zero_shot_level.{json,md}``.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_ranker import (  # noqa: E402
    held_out_fives,
    shared_vae,
    train_split,
    write_report,
    zero_shot_run,
)

from skemoji.ranker import _scoring  # noqa: E402

# Bootstrap resamples of the earlier rule's standard error.
BOOTSTRAPS = 200


def one_standard_error_offset(scores, imputed, targets, sample_weight, k):
    """``balanced_offset`` as it used to choose: the smallest offset whose harmonic mean
    is within one (bootstrap) standard error of the best."""
    to_imputed = imputed[targets] > 0
    if to_imputed.all() or not to_imputed.any():
        return 0.0
    offsets = np.array(sorted(_scoring.LEVEL_OFFSETS, key=abs))
    in_top = np.stack([_scoring.in_top_k(scores + o * imputed, targets, k)
                       for o in offsets]).astype(np.float64)
    rng = np.random.RandomState(0)
    # Row 0 counts every pair once; the others are resamples, drawn within each kind of pair.
    counts = np.ones((1 + BOOTSTRAPS, len(targets)))
    recalls = []
    for rows in (to_imputed, ~to_imputed):
        n = int(rows.sum())
        counts[1:, rows] = rng.multinomial(n, np.full(n, 1 / n), size=BOOTSTRAPS)
        weights = counts[:, rows] * sample_weight[rows]
        recalls.append(weights @ in_top[:, rows].T / weights.sum(axis=1, keepdims=True))
    harmonic = 2 * recalls[0] * recalls[1] / np.maximum(recalls[0] + recalls[1], 1e-12)
    best = int(np.argmax(harmonic[0]))
    within = harmonic[0] >= harmonic[0, best] - np.std(harmonic[1:, best])
    return float(offsets[np.argmax(within)])


# Each rule: the function that chooses the offset in the fit.
RULES = {"one standard error": one_standard_error_offset, "best balance": _scoring.balanced_offset}


def main(seeds):
    vae = shared_vae()
    library_rule = _scoring.balanced_offset
    rows = []
    for seed in seeds:
        fit, tune = train_split(seed)
        for five in held_out_fives(fit.emoji):
            for rule, offset in RULES.items():
                _scoring.balanced_offset = offset
                try:
                    rows.append({**zero_shot_run(fit, tune, vae, {}, five), "rule": rule,
                                 "seed": seed})
                finally:
                    _scoring.balanced_offset = library_rule
                write(rows, seeds)


def write(rows, seeds):
    """The runs so far, and the mean difference between the rules over the pairs of runs."""
    report = {"date": time.strftime("%Y-%m-%d"), "seeds": list(seeds), "rows": rows}
    lines = [
        "# Added emojis' level: the best balance against one standard error", "",
        f"{report['date']}. Default `SiameseEmojiRanker(random_state=0)`, one shared VAE "
        "(`bench_ranker.shared_vae`), fitted on 80% of TweetEval train (a stratified split per "
        "seed, raw texts) without "
        "the tweets of five emojis (`bench_ranker.py`'s three fives), the level of emojis without "
        "a head score chosen by each *rule*; the five are then added and the other 20% ranked "
        "among all 20 answers. *Recall@5*: the five's tweets with their emoji in the top 5; "
        "*seen top-5*: the other tweets, after adding; *balance*: their harmonic mean; *best "
        "balance*: its most with the added emojis' level moved by hand (every quarter logit "
        "from -8 to 8), and that shift. Produced by `benchmarks/tune_zero_shot_level.py`.", "",
        "| split seed | held out | rule | b_imputed | recall@5 | seen top-5 | balance | "
        "best balance (shift) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['seed']} | {' '.join(r['held_out'])} | {r['rule']} | {r['b_imputed']:+.3f} | "
              f"{r['top5_recall']:.3f} | {r['seen_top5_after']:.3f} | {r['balance']:.3f} | "
              f"{r['best_balance']:.3f} ({r['best_balance_shift']:+.2f}) |" for r in rows]
    pairs = [(a, b) for a, b in zip(rows[::2], rows[1::2])]
    if pairs:
        lines += ["", f"Best balance minus one standard error, over the {len(pairs)} pairs of "
                  "runs: mean (standard deviation), and the runs where it is above 0.", "",
                  "| | recall@5 | seen top-5 | balance |", "|---|---|---|---|"]
        means = {}
        for key in ("top5_recall", "seen_top5_after", "balance"):
            diff = np.array([b[key] - a[key] for a, b in pairs])
            means[key] = f"{diff.mean():+.3f} ({diff.std():.3f}), {int(np.sum(diff > 0))} above 0"
        lines.append(f"| difference | {means['top5_recall']} | {means['seen_top5_after']} | "
                     f"{means['balance']} |")
        for rule in RULES:
            runs = [r for r in rows if r["rule"] == rule]
            lines.append(f"| mean, {rule} | {np.mean([r['top5_recall'] for r in runs]):.3f} | "
                         f"{np.mean([r['seen_top5_after'] for r in runs]):.3f} | "
                         f"{np.mean([r['balance'] for r in runs]):.3f} |")
    write_report("zero_shot_level", report, lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    main(parser.parse_args().seeds)
