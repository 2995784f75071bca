"""How much the towers should count when the pretrained ranker reads real tweets: its ``tower_scale``.

The pretrained ranker learns CLDR names and keywords, and its formula's
weights are fitted by the log-loss of held-out names and keywords: short
texts like those the towers learned (often translations and synonyms of
them). Tweets are longer and say more than one thing. This
script scores the pretrained ranker with the towers' term of the formula
multiplied by each of :data:`MULTIPLES` (the rest unchanged) and measures,
on TweetEval emoji **train** tweets (the 20 emojis among the whole catalog),
the mean log-loss of each tweet's emoji: the proper score that fits the
weights, here on the texts the ranker is used for. It chose the pretrained
ranker's ``tower_scale`` (``tools/train_pretrained.py``): 0.3, where it was
least when this script first ran. Each run reports where it is least for the
ranker it loads, and how far above that each multiple is, with the standard
error of that difference (paired over the tweets). TweetEval val, the airline tweets' sentiment
AUC, the lexicons' and the everyday texts of ``bench_pretrained.py`` are
reported beside it, as checks not used for the choice.

The multiples are of the weights as the log-loss fitted them, whatever
``tower_scale`` the loaded ranker has. The term is scaled in the ranker's
scoring matrix: refitting the ranker for each multiple would give the same
scores, in 10 minutes each.

Run ``python benchmarks/tune_tower_scale.py`` (about 5 minutes on 2 cores);
it writes ``benchmarks/results/tower_scale.{json,md}``.
"""

import argparse
import contextlib
import json
import time

import numpy as np
from bench_pretrained import EVERYDAY, everyday, lexicon_auc, sentiment_auc
from bench_ranker import DATA, table, write_report
from scipy.special import log_softmax

import skemoji
from skemoji.datasets import load_tweeteval
from skemoji.ranker._scoring import in_top_k

MULTIPLES = (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.75, 1.0)
# TweetEval train tweets the log-loss is measured on (drawn once, seed 0).
N_TRAIN_TWEETS = 10_000


@contextlib.contextmanager
def tower_multiple(ranker, multiple):
    """``ranker`` scoring with the towers' term at ``multiple`` times the log-loss's weights."""
    width = ranker._score_inputs(["a"])["towers"].shape[1]  # the term's rows come first
    saved = ranker._matrix.copy()
    ranker._matrix[:width] *= np.float32(multiple / ranker.tower_scale)
    try:
        yield ranker
    finally:
        ranker._matrix = saved


def train_tweets():
    """The :data:`N_TRAIN_TWEETS` TweetEval train tweets the log-loss is measured on, and their
    emojis (U+FE0F removed, as candidates are)."""
    train = load_tweeteval(DATA / "tweeteval_emoji", "train")
    rows = np.random.RandomState(0).choice(len(train.text), N_TRAIN_TWEETS, replace=False)
    return train.text[rows], np.array([e.replace("\ufe0f", "") for e in train.emoji[rows]])


def emoji_fit(ranker, texts, emojis):
    """Log-loss of each tweet's emoji among all candidates, and whether it is in the top 5."""
    column = {e: i for i, e in enumerate(ranker.classes_)}
    targets = np.array([column[e] for e in emojis])
    scores = ranker.decision_function(texts)
    return (-log_softmax(scores, axis=1)[np.arange(len(targets)), targets],
            in_top_k(scores, targets, 5))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None,
                        help="a saved ranker to tune instead of load_pretrained('ranker')")
    args = parser.parse_args()
    start = time.time()
    ranker = skemoji.load(args.model) if args.model else skemoji.load_pretrained("ranker")
    if ranker.tower_scale == 0:
        raise SystemExit("This ranker was fitted with tower_scale=0: its towers' term is gone, "
                         "and no multiple of it can be scored. Load one fitted with tower_scale > 0.")
    val = load_tweeteval(DATA / "tweeteval_emoji", "val")
    sets = {"train": train_tweets(),
            "val": (val.text, np.array([e.replace("\ufe0f", "") for e in val.emoji]))}
    results, train_losses = [], []
    for multiple in MULTIPLES:
        with tower_multiple(ranker, multiple):
            fits = {name: emoji_fit(ranker, *data) for name, data in sets.items()}
            train_losses.append(fits["train"][0])
            row = {"multiple": multiple,
                   **{name: {"log_loss": round(float(np.mean(losses)), 4),
                             "top5": round(float(np.mean(in_top5)), 4)}
                      for name, (losses, in_top5) in fits.items()},
                   "airline_auc": sentiment_auc(ranker)["auc"],
                   "lexicon_auc_common": {r["language"]: r["auc_common"]
                                          for r in lexicon_auc(ranker) or []},
                   "everyday_fits": sum(r["fits_printed"] for r in everyday(ranker))}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    least = int(np.argmin([np.mean(losses) for losses in train_losses]))
    best = MULTIPLES[least]
    # Each multiple's excess log-loss over the least, and its standard error (paired over tweets).
    for row, losses in zip(results, train_losses):
        excess = losses - train_losses[least]
        row["train"]["excess"] = round(float(np.mean(excess)), 4)
        row["train"]["excess_se"] = round(float(np.std(excess) / np.sqrt(len(excess))), 4)
    near = [r["multiple"] for r in results if r["train"]["excess"] <= r["train"]["excess_se"]]
    languages = list(results[0]["lexicon_auc_common"])
    lines = [
        "# The pretrained ranker's `tower_scale`: how much its towers count on real tweets", "",
        f"{time.strftime('%Y-%m-%d')}, skemoji {skemoji.__version__}. Produced by "
        "`benchmarks/tune_tower_scale.py`. The pretrained ranker (3,979 candidates), its towers' "
        "term multiplied by each *multiple* of the weights the log-loss of held-out names and "
        "keywords fitted (1: as fitted). *Log-loss* and *top-5*: of each tweet's emoji among "
        f"all candidates, on {N_TRAIN_TWEETS:,} TweetEval **train** tweets (what the multiple is "
        "chosen by; *minus least*: how far above the least, with the standard error of that "
        "difference, paired over the tweets) and on the 5,000 of val. The other columns are checks, not used for the "
        "choice: the airline tweets' sentiment AUC, the lexicons' common words "
        "(`bench_pretrained.py`) and its everyday texts with a fitting emoji in the top 5.", ""]
    lines += table(
        ["multiple", "train log-loss", "minus least (SE)", "train top-5", "val log-loss",
         "val top-5", "airline AUC",
         *[f"{lang} words AUC" for lang in languages], "everyday"],
        [[f"**{r['multiple']}**" if r["multiple"] == best else r["multiple"],
          r["train"]["log_loss"], f"{r['train']['excess']:+.4f} ({r['train']['excess_se']:.4f})",
          r["train"]["top5"], r["val"]["log_loss"], r["val"]["top5"],
          r["airline_auc"], *[r["lexicon_auc_common"][lang] for lang in languages],
          f"{r['everyday_fits']} / {len(EVERYDAY)}"] for r in results])
    lines += ["", f"Least train log-loss at **{best}**; within one standard error of it: "
              f"{', '.join(map(str, near))}. The loaded ranker's `tower_scale`: "
              f"{ranker.tower_scale} (`tools/train_pretrained.py`)."]
    write_report("tower_scale", {
        "date": time.strftime("%Y-%m-%d"), "skemoji": skemoji.__version__,
        "loaded_tower_scale": ranker.tower_scale, "n_train_tweets": N_TRAIN_TWEETS,
        "best_multiple": best, "within_one_se": near, "seconds": round(time.time() - start),
        "results": results}, lines)
    print(f"best multiple {best} ({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
