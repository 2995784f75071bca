"""The ranker's own VAE: whether it should refine its codes (``refine_steps=0``), and its networks.

``EmojiVAE`` refines each image's code by a few steps on that image's ELBO
(``refine_steps``), which lowers reconstruction error. The ranker reads the
codes as content features, where what matters is that look-alike emojis get
look-alike codes. This fits the VAE the ranker fits by default (a
``DEFAULT_VAE_EPOCHS``-epoch ``EmojiVAE`` on the Twemoji catalog) and, with
its codes unrefined and refined, runs ``bench_ranker.py``'s simulated
zero-shot on a split of TweetEval **train** (80/20, stratified, seed 0; val
is left for the final figures): a default ranker is fitted on the 80% part
without the tweets of the chosen five emojis, the five are added with
``add_candidates``, and recall@5 is measured on their tweets of the 20%
part, ranked among all 20 answers.

The same is run with the VAE's networks of skemoji 0.3 (``--networks 0.3``,
wider, without the residual block) and with a random five besides the chosen
one (``--fives 2``).

Run ``python benchmarks/tune_ranker_vae.py [--refine-steps 0 20] [--networks 0.4 0.3]
[--fives 1]``; it writes ``benchmarks/results/ranker_vae.{json,md}``.
"""

import argparse
import copy
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ranker import held_out_fives, train_split, zero_shot_run  # noqa: E402

from skemoji import EmojiVAE  # noqa: E402
from skemoji._vae import NETWORKS_0_3, TRAINING_0_3  # noqa: E402
from skemoji.datasets import load_twemoji  # noqa: E402
from skemoji.ranker._estimator import DEFAULT_VAE_EPOCHS  # noqa: E402

RESULTS = Path(__file__).parent / "results"


# The VAE's networks by the version that made them its default.
NETWORKS = {"0.4": {"filters": (32, 64), "decoder_filters": (48, 128), "residual_blocks": 1},
            "0.3": NETWORKS_0_3}


def fitted_vae(network):
    # Trained as the ranker trains its own.
    return EmojiVAE(**NETWORKS[network], **TRAINING_0_3, epochs=DEFAULT_VAE_EPOCHS,
                    random_state=0).fit(load_twemoji().images)


def main(refine_steps, networks, n_fives):
    fit, tune = train_split()
    rows = []
    for network in networks:
        vae = fitted_vae(network)
        for five in held_out_fives(fit.emoji)[:n_fives]:
            for steps in refine_steps:
                start = time.perf_counter()
                row = zero_shot_run(fit, tune, copy.deepcopy(vae).set_params(refine_steps=steps), {}, five)
                rows.append({"network": network, "refine_steps": steps, **row,
                             "seconds": round(time.perf_counter() - start, 1)})
    report = {"date": time.strftime("%Y-%m-%d"), "vae_epochs": DEFAULT_VAE_EPOCHS, "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ranker_vae.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# The ranker's VAE codes: refined or not, and from which networks",
        "",
        f"{report['date']}. Simulated zero-shot on 80/20 of TweetEval train (each five held out of "
        f"the 80%), the ranker's default {DEFAULT_VAE_EPOCHS}-epoch VAE with the networks of each "
        "version and each `refine_steps`. Produced by `benchmarks/tune_ranker_vae.py`.",
        "",
        "| networks | held out | refine_steps | recall@5 | recall@1 | seen top-5 after adding | fit + score (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['network']} | {' '.join(r['held_out'])} | {r['refine_steps']} | {r['top5_recall']:.3f} | "
              f"{r['top1_recall']:.3f} | {r['seen_top5_after']:.3f} | {r['seconds']:.0f} |" for r in rows]
    (RESULTS / "ranker_vae.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refine-steps", type=int, nargs="+", default=[0, 20])
    parser.add_argument("--networks", nargs="+", choices=list(NETWORKS), default=list(NETWORKS))
    parser.add_argument("--fives", type=int, default=1, help="the chosen five, then random ones")
    args = parser.parse_args()
    main(args.refine_steps, args.networks, args.fives)
