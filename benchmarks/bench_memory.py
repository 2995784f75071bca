"""Memory over many sequential fits in one process: a 40-fit grid search must not leak.

Runs ``GridSearchCV`` over a tiny ``EmojiVAE`` and a tiny ``SiameseEmojiRanker``
(20 fits each, sequentially, in this process) and records the resident set
size (RSS) after each search. Writes ``results/memory.json`` and
``results/memory.md``.

Usage: ``python benchmarks/bench_memory.py``
"""

import json
import os
import platform
import time
from pathlib import Path

import numpy as np
from bench_vae import PeakMemory  # this script's neighbour: run it as benchmarks/bench_memory.py
from sklearn.model_selection import GridSearchCV

from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import load_emoji_names, make_emojis

RESULTS = Path(__file__).parent / "results"


rss_mb = PeakMemory.rss_mb  # resident set size of this process, in MiB (Linux /proc)


def main():
    images = make_emojis(96, random_state=0)
    names = load_emoji_names(languages="all")
    keep = np.isin(names.emoji, ["❤", "🔥", "😂", "🎄", "😡", "🎉"])
    texts, emojis = names.text[keep], names.emoji[keep]
    vae = EmojiVAE(latent_dim=4, epochs=2, batch_size=32, random_state=0)
    warm = vae.fit(images)  # TensorFlow's one-off start-up allocations are not a leak
    readings = {"after_warm_up": rss_mb()}
    start = time.perf_counter()
    vae_search = GridSearchCV(vae, {"latent_dim": [2, 3, 4, 5], "beta": [0.5, 1.0]}, cv=2, refit=False)
    vae_search.fit(images)  # 4 x 2 x 2 = 16 fits
    readings["after_16_vae_fits"] = rss_mb()
    vae_search.fit(images)  # again: 32 fits so far
    readings["after_32_vae_fits"] = rss_mb()
    ranker = SiameseEmojiRanker(vae=warm, epochs=2, random_state=0)
    ranker_search = GridSearchCV(ranker, {"learning_rate": [0.003, 0.01]}, cv=2, refit=False)
    ranker_search.fit(texts, emojis)  # 4 fits
    readings["after_4_ranker_fits"] = rss_mb()
    ranker_search.fit(texts, emojis)  # the same 4 fits again
    readings["after_8_ranker_fits"] = rss_mb()
    seconds = time.perf_counter() - start
    growth = readings["after_8_ranker_fits"] - readings["after_warm_up"]
    # The second run of each search repeats fits already made once, so one-off
    # caches are warm: growth there is what keeps accumulating (a leak), not start-up.
    repeat_growth = (readings["after_32_vae_fits"] - readings["after_16_vae_fits"]) + (
        readings["after_8_ranker_fits"] - readings["after_4_ranker_fits"]
    )
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "n_fits": 40,
        "rss_mb": {k: round(v, 1) for k, v in readings.items()},
        "rss_growth_mb": round(growth, 1),
        "rss_growth_repeated_20_fits_mb": round(repeat_growth, 1),
        "seconds": round(seconds, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(result, indent=1))
    lines = [
        f"Memory over 40 sequential fits in one process ({result['date']}, {result['machine']}):",
        "",
        "| point | RSS (MiB) |",
        "|---|---|",
        *(f"| {k.replace('_', ' ')} | {v} |" for k, v in result["rss_mb"].items()),
        f"| growth over 40 fits | {result['rss_growth_mb']} |",
        f"| growth over the 20 repeated fits (2nd run of each search) | "
        f"{result['rss_growth_repeated_20_fits_mb']} |",
    ]
    (RESULTS / "memory.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
