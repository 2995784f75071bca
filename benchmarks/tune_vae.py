"""Configurations of the EmojiVAE's training, compared on the training images only.

The evidence for the defaults of ``EmojiVAE``: each configuration is fitted
on 80% of the *training* part of ``bench_vae.py``'s fixed split (the
held-out 20% of the catalog is never touched) and judged on the other 20%
of the training images ("tuning images"):

- ``mse_ratio``: reconstruction MSE on the tuning images over that of
  PCA(16) fitted on the same images;
- ``noto_ratio``: the same ratio on Noto Color Emoji drawings of the tuning
  emojis (another vendor's style, never seen in training);
- ``c2st``, ``crisp_alpha``, ``knn_recall``: ``bench_vae.py``'s sample
  metrics of 1,000 ``sample()`` images against the tuning images;
- ``fit_cpu_s``: CPU seconds of the fit (all threads). Run it pinned to one
  core (``taskset -c 1``, ``OMP_NUM_THREADS=1``) so configurations compare
  by work done, not by what else runs on the machine.

Usage: ``OMP_NUM_THREADS=1 taskset -c 1 python benchmarks/tune_vae.py NAME [NAME ...]``
with names from ``CONFIGS`` (``all`` for every one); each result is
appended as one JSON line to ``results/vae_tuning.jsonl``.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from bench_vae import (  # noqa: E402
    NOTO_FONT,
    classifier_accuracy,
    crisp_alpha,
    knn_recall,
    pca_mse,
    render_noto,
    vae_mse,
)

from skemoji import EmojiVAE  # noqa: E402
from skemoji._vae import NETWORKS_0_3  # noqa: E402
from skemoji.datasets import load_twemoji  # noqa: E402

RESULTS = Path(__file__).parent / "results"

# Each configuration: EmojiVAE parameters (random_state=0 always). The figures of the last run are
# in the docstrings of EmojiVAE's parameters and in CHANGELOG.md.
WIDE = NETWORKS_0_3
SMALL = {**WIDE, "filters": (40, 80), "decoder_filters": (40, 80)}  # before WIDE
OLD = {"alpha_likelihood": "gaussian", **SMALL}  # the default before Laplace alpha
_BEFORE_COSINE = {
    "old_float32": {**OLD, "precision": "float32"},
    "old_bfloat16": {**OLD, "precision": "bfloat16"},
    # bfloat16 training from here on.
    "old_epochs35": {**OLD, "precision": "bfloat16", "epochs": 35},
    "old_batch32": {**OLD, "precision": "bfloat16", "batch_size": 32},
    "old_batch128": {**OLD, "precision": "bfloat16", "batch_size": 128},
    "old_lr0.005": {**OLD, "precision": "bfloat16", "learning_rate": 0.005},
    "old_beta0.5": {**OLD, "precision": "bfloat16", "beta": 0.5},
    "old_beta0.25": {**OLD, "precision": "bfloat16", "beta": 0.25},
    "old_mirror": {**OLD, "precision": "bfloat16", "mirror": True},
    "old_shift2": {**OLD, "precision": "bfloat16", "shift": 2},
    "gaussian_filters64": {"alpha_likelihood": "gaussian", "precision": "bfloat16", **WIDE},
    "laplace_filters40": {"precision": "bfloat16", **SMALL},
    "laplace_filters64": {"precision": "bfloat16", **WIDE},  # the 0.3 default
    "beta0.5": {"precision": "bfloat16", "beta": 0.5, **WIDE},
    "beta0.25": {"precision": "bfloat16", "beta": 0.25, **WIDE},
    # From here on the 0.4 networks (the default): an encoder of (32, 64), the decoder's 18 x 18
    # maps 48 wide with one residual block; and variants of them.
    "narrow_residual_epochs30": {"precision": "bfloat16", "epochs": 30},
    "narrow_residual_batch128": {"precision": "bfloat16", "batch_size": 128, "learning_rate": 0.005,
                                 "epochs": 30},
    "decoder32": {"precision": "bfloat16", "decoder_filters": (32, 128)},
    "decoder32_epochs35": {"precision": "bfloat16", "epochs": 35, "decoder_filters": (32, 128)},
    "decoder64": {"precision": "bfloat16", "decoder_filters": (64, 128)},
    # The 0.3 default and the 0.4 one, each fitted once, then transformed with each number of
    # refinement steps and objective, and sampled with each number of mixture components.
    "refine_steps": {"precision": "bfloat16", "validation_fraction": 0.1, **WIDE},
    "refine_steps_narrow_residual": {"precision": "bfloat16", "validation_fraction": 0.1},
    # The 0.4 networks trained on every image (validation_fraction=0, the default from 0.4 on;
    # the configurations above held 10% out to watch), transformed and sampled as above; and
    # with a smaller learning rate or KL weight.
    "refine_steps_all_images": {"precision": "bfloat16", "validation_fraction": 0},
    "all_images_lr0.002": {"precision": "bfloat16", "validation_fraction": 0, "learning_rate": 0.002},
    "all_images_beta0.5": {"precision": "bfloat16", "validation_fraction": 0, "beta": 0.5},
    "all_images_beta0.75": {"precision": "bfloat16", "validation_fraction": 0, "beta": 0.75},
}
# The configurations above were trained on the plateau schedule from 0.003 (the default then).
CONFIGS = {
    "default": {},
    **{name: {"learning_rate": 0.003, "learning_rate_schedule": "plateau", **params}
       for name, params in _BEFORE_COSINE.items()},
    # Every image, the cosine schedule with a warm-up (the default from 0.4 on) at each peak rate.
    **{f"cosine_lr{rate}": {"precision": "bfloat16", "learning_rate": rate, "learning_rate_schedule": "cosine"}
       for rate in (0.004, 0.005, 0.006)},
    # Less work per fit, for the 60 s target: fewer epochs, or a narrower deepest decoder map.
    "cosine_epochs22": {"precision": "bfloat16", "epochs": 22},
    "cosine_decoder96": {"precision": "bfloat16", "decoder_filters": (48, 96)},
}
# Numbers of components of the mixture prior, compared on the fits of the "refine_steps" configurations.
PRIOR_COMPONENTS = (32, 64, 128, 256)


def tuning_split():
    """(fit images, tuning images, tuning emojis): 80/20 of bench_vae.py's training part."""
    catalog = load_twemoji()
    everything = catalog.images.astype(np.float32) / 255
    train, _, train_emojis, _ = train_test_split(everything, catalog.emojis, test_size=0.2, random_state=0)
    fit, tune, _, tune_emojis = train_test_split(train, train_emojis, test_size=0.2, random_state=1)
    return fit, tune, tune_emojis


def evaluate(name, params, fit, tune, noto, pca):
    vae = EmojiVAE(**{**params, "random_state": 0})
    wall, cpu = time.perf_counter(), time.process_time()
    vae.fit(fit)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    samples = vae.sample(1000, random_state=0)
    result = {
        "name": name, "params": params,
        "mse_ratio": vae_mse(vae, tune) / pca_mse(pca, tune),
        "noto_ratio": vae_mse(vae, noto) / pca_mse(pca, noto),
        "c2st": classifier_accuracy(tune, samples),
        "crisp_alpha": crisp_alpha(samples),
        "knn_recall": knn_recall(tune, samples),
        "fit_cpu_s": round(cpu, 1), "fit_wall_s": round(wall, 1), "epochs": vae.n_iter_,
        "nonfinite": float(np.mean(~np.isfinite(vae.transform(tune)))),
        "best_epoch": int(np.argmin(vae.history_.get("val_loss", vae.history_["loss"]))) + 1,
        "val_mse_curve": [round(v, 5) for v in vae.history_.get("val_mse", [])],
    }
    if name.startswith("refine_steps"):
        result["by_refine_steps"] = [refinement(vae, steps, objective, tune, noto, pca)
                                     for objective in ("elbo", "squared_error") for steps in REFINE_STEPS]
        result["by_prior_components"] = [prior_quality(vae, n, fit, tune) for n in PRIOR_COMPONENTS]
    return result


REFINE_STEPS = (0, 5, 10, 20, 40)


def refinement(vae, steps, objective, tune, noto, pca):
    """MSE ratios and transform time of the tuning images with ``refine_steps=steps``."""
    vae.set_params(refine_steps=steps, refine_objective=objective)
    vae.transform(tune[:8])  # traces the refinement outside the timing
    start = time.perf_counter()
    ratio = vae_mse(vae, tune) / pca_mse(pca, tune)
    seconds = time.perf_counter() - start
    return {"refine_steps": steps, "refine_objective": objective, "mse_ratio": ratio,
            "noto_ratio": vae_mse(vae, noto) / pca_mse(pca, noto),
            "transform_ms_per_image": round(1000 * seconds / len(tune), 2)}


def prior_quality(vae, n_components, fit, tune):
    """Sample metrics with the mixture prior refitted with ``n_components`` components, and its fit time."""
    vae.set_params(prior_components=n_components)
    start = time.perf_counter()
    vae._fit_prior(fit, 0)
    seconds = time.perf_counter() - start
    samples = vae.sample(1000, random_state=0)
    return {"prior_components": n_components, "prior_fit_s": round(seconds, 2),
            "c2st": classifier_accuracy(tune, samples), "crisp_alpha": crisp_alpha(samples),
            "knn_recall": knn_recall(tune, samples)}


def main(names):
    fit, tune, tune_emojis = tuning_split()
    noto = render_noto(tune_emojis)[0].astype(np.float32) / 255 if NOTO_FONT.exists() else None
    pca = PCA(16, random_state=0).fit(fit.reshape(len(fit), -1))
    RESULTS.mkdir(exist_ok=True)
    for name in list(CONFIGS) if names == ["all"] else names:
        result = evaluate(name, CONFIGS[name], fit, tune, noto, pca)
        print(json.dumps(result), flush=True)
        with open(RESULTS / "vae_tuning.jsonl", "a") as out:
            out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:] or ["all"])
