"""What limits zero-shot recall: how well added emojis' scores tell their tweets apart, or their level.

For each of ``bench_ranker.py``'s three held-out fives, on the 80/20 split of
TweetEval **train** (seed 0) that the ``tune_*.py`` scripts use: a default
ranker (its own VAE, as ``tune_ranker_vae.py`` fits it) is fitted on the 80%
part without the five's tweets, the five are added with ``add_candidates``,
and the 20% part is ranked among all 20 answers. Two things are measured:

- *discrimination*: for each added emoji, the ROC AUC of its score for its
  own tweets against every other tweet of the 20% (0.5: its score does not
  single its tweets out), and that of each term of the scoring formula
  alone (``skemoji.ranker._scoring``): the towers' cosine, the text
  vectors' cosine, the word vectors' product and the head column, which an
  added emoji borrows from its look-alikes among the trained ones;
- *level*: recall@5 of the five's tweets and top-5 accuracy of the other
  tweets (those of the 15 trained answers) when a constant ``offset`` is
  added to the five's scores; offset 0 is the ranker as fitted, whose level
  for added emojis is set in the simulated zero-shot as ``zero_shot_level``
  says, and shared among them by their popularity (``popularity_prior``,
  which moves each emoji's scores by a constant, so its AUC not at all).

Where the AUCs are near 0.5, recall@5 follows the offset alone, and each
point it gains is paid for by the trained answers' tweets. How the fit sets
that level is the ranker's ``zero_shot_level``: each five is fitted with
each setting, and the two are compared by the harmonic mean of recall@5 and
seen top-5 (generalized zero-shot learning's measure of the balance of
unseen and seen classes, Xian et al. 2018).

Run ``python benchmarks/zero_shot_bias.py``; it writes
``benchmarks/results/zero_shot_bias.{json,md}``.
"""

import datetime
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).parent))
from bench_ranker import harmonic_mean, held_out_fives, train_split  # noqa: E402
from tune_ranker_vae import fitted_vae  # noqa: E402

from skemoji import SiameseEmojiRanker  # noqa: E402

RESULTS = Path(__file__).parent / "results"
OFFSETS = (-0.5, 0.0, 0.25, 0.5, 1.0)
ZERO_SHOT_LEVELS = ("log_loss", "balanced")


# The terms of the scoring formula (SiameseEmojiRanker._score_inputs), without the biases.
PARTS = ("towers", "text", "words", "head")


def score_parts(ranker, texts):
    """``{term: (n_texts, n_candidates) scores}``: each term of the formula alone, weights included."""
    inputs = ranker._score_inputs(ranker._features(texts))
    bounds = np.cumsum([0] + [block.shape[1] for block in inputs.values()])
    return {name: block @ ranker._matrix[start:stop]
            for (name, block), start, stop in zip(inputs.items(), bounds[:-1], bounds[1:])
            if name in PARTS}


def five_report(fit, tune, vae, five, zero_shot_level):
    """AUC per added emoji, and recall@5 and seen top-5 per offset, for one held-out five."""
    seen = ~np.isin(fit.emoji, five)
    ranker = SiameseEmojiRanker(vae=vae, zero_shot_level=zero_shot_level, random_state=0)
    ranker.fit(fit.text[seen], fit.emoji[seen])
    ranker.add_candidates(five)
    scores = ranker.decision_function(tune.text)
    column = {e: i for i, e in enumerate(ranker.classes_)}
    added = np.isin(ranker.classes_, five)
    held_out = np.isin(tune.emoji, five)
    truth = np.array([column[e] for e in tune.emoji])
    rows = []
    for offset in OFFSETS:
        shifted = scores + offset * added
        # Candidates scored above the true answer: its rank, 0 for the best.
        rank = np.sum(shifted > shifted[np.arange(len(shifted)), truth][:, None], axis=1)
        rows.append({"offset": offset, "recall_at_5": round(float(np.mean(rank[held_out] < 5)), 4),
                     "seen_top5": round(float(np.mean(rank[~held_out] < 5)), 4),
                     "recall_at_5_per_emoji": {e: round(float(np.mean(rank[tune.emoji == e] < 5)), 4)
                                               for e in five}})
    auc = {e: round(float(roc_auc_score(tune.emoji == e, scores[:, column[e]])), 4) for e in five}
    parts = score_parts(ranker, tune.text)
    auc_by_part = {e: {name: round(float(roc_auc_score(tune.emoji == e, part[:, column[e]])), 4)
                       for name, part in parts.items()} for e in five}
    tweets = {e: int(np.sum(tune.emoji == e)) for e in five}
    return {"held_out": [str(e) for e in five], "zero_shot_level": zero_shot_level,
            "tweets": tweets, "auc": auc, "auc_by_part": auc_by_part, "by_offset": rows,
            "weights": {k: round(float(v), 4) for k, v in ranker.weights_.items()},
            "imputed_bias": round(float(ranker.weights_["b_imputed"]), 4)}


def markdown(report):
    lines = ["# Zero-shot recall: discrimination or level", "",
             f"{report['date']}. Produced by `benchmarks/zero_shot_bias.py` (see its docstring). "
             "Default `SiameseEmojiRanker(random_state=0)` fitted on 80% of TweetEval train without "
             "each five, the five added, the other 20% ranked among all 20 answers (their levels "
             "shared among them by their popularity, `popularity_prior=True`).", "",
             "*AUC*: each added emoji's score, its own tweets against all others (0.5 is chance); "
             "then the same for each term of the formula alone: the towers' cosine, the text "
             "vectors' cosine, the word vectors' product, and the head column borrowed from the "
             "trained look-alikes (the fitted weights of each five are in the JSON file).", "",
             "| five | emoji | tweets | AUC | " + " | ".join(PARTS) + " |",
             "|---|---|---|---|" + "---|" * len(PARTS)]
    default = [five for five in report["fives"] if five["zero_shot_level"] == "balanced"]
    for five in default:
        for e in five["held_out"]:
            terms = " | ".join(f"{five['auc_by_part'][e][name]:.3f}" for name in PARTS)
            lines.append(f"| {' '.join(five['held_out'])} | {e} | {five['tweets'][e]} | "
                         f"**{five['auc'][e]:.3f}** | {terms} |")
    lines += ["", "*zero_shot_level*: how the fit sets the added emojis' level (`b_imputed`), as fitted "
              "(offset 0). *Recall@5*: the five's tweets with their emoji in the top 5; *seen top-5*: "
              "the other tweets; *H*: their harmonic mean.", "",
              "| held out | zero_shot_level | b_imputed | recall@5 | seen top-5 | H |", "|---|---|---|---|---|---|"]
    for five in report["fives"]:
        row = next(r for r in five["by_offset"] if r["offset"] == 0)
        lines.append(f"| {' '.join(five['held_out'])} | {five['zero_shot_level']} | "
                     f"{five['imputed_bias']:+.3f} | {row['recall_at_5']:.3f} | {row['seen_top5']:.3f} | "
                     f"{harmonic_mean(row['recall_at_5'], row['seen_top5']):.3f} |")
    for level in ZERO_SHOT_LEVELS:
        rows = [next(r for r in five["by_offset"] if r["offset"] == 0)
                for five in report["fives"] if five["zero_shot_level"] == level]
        lines.append(f"| mean | {level} | | {np.mean([r['recall_at_5'] for r in rows]):.3f} | "
                     f"{np.mean([r['seen_top5'] for r in rows]):.3f} | "
                     f"{np.mean([harmonic_mean(r['recall_at_5'], r['seen_top5']) for r in rows]):.3f} |")
    lines += ["", "*Offset*: a constant added to the five's scores of the default ranker (0: as fitted).", "",
              "| held out | offset | recall@5 | seen top-5 |", "|---|---|---|---|"]
    for five in default:
        for row in five["by_offset"]:
            lines.append(f"| {' '.join(five['held_out'])} | {row['offset']:+.2f} | "
                         f"{row['recall_at_5']:.3f} | {row['seen_top5']:.3f} |")
    return lines


def main():
    fit, tune = train_split()
    vae = fitted_vae("0.3").set_params(refine_steps=0)
    fives = []
    for five in held_out_fives(fit.emoji):
        for zero_shot_level in ZERO_SHOT_LEVELS:
            fives.append(five_report(fit, tune, vae, five, zero_shot_level))
            print(json.dumps(fives[-1], ensure_ascii=False), flush=True)
    report = {"date": datetime.date.today().isoformat(), "offsets": OFFSETS,
              "zero_shot_levels": ZERO_SHOT_LEVELS, "fives": fives}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "zero_shot_bias.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "zero_shot_bias.md").write_text("\n".join(markdown(report)) + "\n")


if __name__ == "__main__":
    main()
