"""How much the emojis of real tweets follow their popularity: the pretrained ranker's popularity weight.

A ranker fitted on tweets fits its own ``w_popularity`` (the slope of its
headed emojis' log number of pairs on their popularity). The pretrained
ranker is fitted on CLDR names and keywords, whose numbers say nothing of
use, so ``tools/train_pretrained.py`` gives it the slope that TweetEval's
**train** tweets show, computed here the same way
(``skemoji.ranker._candidates.popularity_weight``), over its 20 emojis.

Run ``python benchmarks/popularity_slope.py``; it writes
``benchmarks/results/popularity_slope.{json,md}``.
"""

import argparse
import json
from pathlib import Path

import numpy as np

from skemoji.datasets import load_tweeteval
from skemoji.datasets._popularity import emoji_popularity
from skemoji.ranker._candidates import popularity_weight

RESULTS = Path(__file__).parent / "results"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[2] / "shared" / "data"
                                              / "tweeteval_emoji"))
    args = parser.parse_args()
    train = load_tweeteval(args.data, "train")
    emojis, counts = np.unique(train.emoji, return_counts=True)
    popularity = emoji_popularity(emojis)
    slope = popularity_weight(emojis, dict(zip(emojis, counts)), np.ones(len(emojis), dtype=bool))
    correlation = float(np.corrcoef(popularity, np.log(counts))[0, 1])
    rows = sorted(zip(emojis, counts.tolist(), popularity.tolist()), key=lambda r: -r[1])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "popularity_slope.json").write_text(json.dumps(
        {"slope": round(slope, 4), "correlation": round(correlation, 4),
         "emojis": [{"emoji": e, "tweets": n, "popularity": p} for e, n, p in rows]},
        indent=1, ensure_ascii=False) + "\n")
    lines = ["# How much TweetEval's emojis follow their popularity", "",
             "Produced by `benchmarks/popularity_slope.py`. TweetEval emoji **train** (45,000 tweets): "
             "each emoji's number of tweets and its popularity (Zipf frequency in `wordfreq`, the file "
             "inside skemoji). The least-squares slope of the log number on popularity is "
             f"**{slope:.3f}** (correlation {correlation:.2f}): the pretrained ranker's "
             "`popularity_prior`.", "", "| emoji | tweets | popularity |", "|---|---|---|"]
    lines += [f"| {e} | {n:,} | {p:.2f} |" for e, n, p in rows]
    (RESULTS / "popularity_slope.md").write_text("\n".join(lines) + "\n")
    print(f"slope {slope:.4f}, correlation {correlation:.3f}")


if __name__ == "__main__":
    main()
