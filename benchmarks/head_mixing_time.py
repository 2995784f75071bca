"""How long the head mixing (``stack_head``) takes to fit, by the number of headed emojis.

``SiameseEmojiRanker(stack_head="auto")`` mixes the head scores of at most
``AUTO_STACK_MAX_EMOJIS`` headed emojis: the mix has a parameter per pair of
them, and each step of its fit multiplies every pair's head scores by it.
This times :func:`skemoji.ranker._scoring.fit_head_mixing` alone on 45,000
pairs (TweetEval's training set), with head scores drawn as a linear head's
are (about -0.9 for the wrong emojis, one point higher for the right one),
for 20 (TweetEval), 50, 100 and 150 emojis.

Run ``python benchmarks/head_mixing_time.py``; it writes
``benchmarks/results/head_mixing_time.{json,md}``.
"""

import json
import time
from pathlib import Path

import numpy as np

from skemoji.ranker._estimator import AUTO_STACK_MAX_EMOJIS
from skemoji.ranker._scoring import WEIGHT_NAMES, fit_head_mixing

RESULTS = Path(__file__).parent / "results"
N_PAIRS = 45_000
SIZES = (20, 50, 100, 150)


def time_fit(n_emojis, rng):
    """Seconds to fit the mix of ``n_emojis`` headed emojis on ``N_PAIRS`` pairs."""
    targets = rng.randint(n_emojis, size=N_PAIRS)
    own = rng.normal(-0.9, 0.4, size=(N_PAIRS, n_emojis))
    own[np.arange(N_PAIRS), targets] += 1.0
    content = 0.1 * rng.normal(size=(N_PAIRS, n_emojis))
    zeros = np.zeros_like(own)
    parts = (content, zeros, zeros, own, zeros)
    weights = dict(zip(WEIGHT_NAMES, (1.0, 1.0, 0.0, 0.0, 3.0, 1.0, 0.0)))
    start = time.perf_counter()
    fit_head_mixing(parts, weights, np.zeros(n_emojis), targets, np.ones(N_PAIRS), rng)
    return time.perf_counter() - start


def main():
    rng = np.random.RandomState(0)
    rows = [{"emojis": n, "seconds": round(time_fit(n, rng), 1)} for n in SIZES]
    RESULTS.mkdir(exist_ok=True)
    report = {"date": time.strftime("%Y-%m-%d"), "pairs": N_PAIRS,
              "auto_max_emojis": AUTO_STACK_MAX_EMOJIS, "rows": rows}
    (RESULTS / "head_mixing_time.json").write_text(json.dumps(report, indent=1) + "\n")
    lines = ["# How long the head mixing takes to fit", "",
             f"{report['date']}. Produced by `benchmarks/head_mixing_time.py` on this 2-core "
             f"machine: `fit_head_mixing` alone on {N_PAIRS:,} pairs of drawn head scores, by "
             "the number of headed emojis. `stack_head=\"auto\"` mixes at most "
             f"{AUTO_STACK_MAX_EMOJIS}.", "", "| headed emojis | fit (s) |", "|---|---|"]
    lines += [f"| {r['emojis']} | {r['seconds']} |" for r in rows]
    (RESULTS / "head_mixing_time.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
