"""EmojiVAE against PCA and against the original work's VAE, on held-out Twemoji images.

On a fixed 80/20 split of ``load_twemoji()`` (``train_test_split(random_state=0)``),
in one run:

- the default ``EmojiVAE(random_state=0)``;
- ``sklearn.decomposition.PCA`` with as many components as the VAE's latent
  dimensions, on the same flattened [0, 1] pixels;
- a re-implementation of the original "Neurally Embedded Emojis" VAE, given the
  same wall-clock budget as the EmojiVAE's fit (a callback stops it after each
  batch once the budget is spent).

For each: held-out reconstruction MSE (mean over all pixels and channels of
the squared difference between the [0, 1] image and the decoded posterior
mean) and its ratio to PCA's, held-out ELBO per image (PCA has none: null;
both VAEs with EmojiVAE's Gaussian likelihood, each with its own training
reconstruction error as the noise variance),
fit seconds (wall-clock and CPU; TensorFlow is imported before the first fit,
and the import time is reported on its own), peak memory during the fit (resident set size sampled every
50 ms, minus the size before the fit; TensorFlow's allocations are invisible
to tracemalloc), and the fraction of non-finite latent codes on the whole set.

Generated images: 1,000 ``sample()`` images of each generator (the
EmojiVAE with its learned mixture prior and with ``prior="normal"``, the
original architecture from its standard normal prior, and a Gaussian fitted
to the PCA codes of the training images, decoded by PCA and clipped to
[0, 1]) against the held-out real images, and the EmojiVAE's reconstructions
of the held-out images as a reference:

- classifier two-sample test (Lopez-Paz & Oquab, 2017): the 5-fold
  cross-validated accuracy of a logistic regression telling real from
  generated images (as many of each), on 12 x 12 downsampled pixels, 5 x 5
  maps of edge strength (of alpha and of alpha-weighted grey) and the
  histogram of alpha; 0.5 is indistinguishable;
- crisp alpha: the share of alpha values below 0.1 or above 0.9;
- k-NN recall (Kynkäänniemi et al., 2019), k=3, in the PCA(64) space of the
  held-out pixels: the share of real images inside the union of balls around
  the generated ones, each of the radius to its 3rd nearest generated image.

Other vendors: the held-out emojis drawn by Noto Color Emoji (Debian's
``fonts-noto-color-emoji``; skipped, with the reason in the report, when the
font is absent), prepared as ``load_twemoji`` prepares Twemoji (see
``render_noto``); MSE of the EmojiVAE and of the PCA fitted above, both
fitted on Twemoji only, and their ratio.

Refinement: the default fit transformed again with ``refine_steps=0`` (the
encoder's posterior means), with 20 steps on squared error (the default
before 40) and with its refinement on each ``refine_objective``, with the
MSE ratios on both vendors and the time ``transform`` takes per held-out
image.

Seed spread: the default fitted again with ``random_state`` 1 and 2 on the
same split, with its fit time, both MSE ratios and the sample metrics (the
samples drawn with ``random_state=0``), beside the first fit's.

Writes ``results/vae.json``, ``results/vae.md``, ``results/vae.png``
(held-out originals and reconstructions, samples, the A/B/C latent grids)
and, larger, ``results/vae_samples.png`` (mixture and normal prior),
``results/vae_latent_grid.png`` (layout A) and ``results/vae_interpolation.png``.

Usage: ``python benchmarks/bench_vae.py``

The original architecture, as the issue describes it and as we read it:
three Conv2D(64, 3x3, ReLU) at the full 36 x 36 resolution, Flatten, a 16-D
Gaussian latent layer with an unbounded log-variance, a decoder of Dense to
36 x 36 x 64 and three Conv2DTranspose(64, 3x3, ReLU), each followed by
dropout, then a sigmoid Conv2DTranspose to 4 channels; binary cross-entropy
summed over pixels plus KL (beta=1), Adam(0.003), batch 16. "Dropout 0.8"
was a TensorFlow 1 ``keep_prob`` (the fraction kept), so it is Keras
``Dropout(0.2)`` here.
"""

import copy
import json
import os
import platform
import threading
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skemoji
from skemoji import EmojiVAE
from skemoji._keras_base import import_keras, keras_seed
from skemoji.datasets import load_twemoji
from skemoji.plotting import emoji_grid, label_strip

RESULTS = Path(__file__).parent / "results"
N_SHOWN = 12
N_GENERATED = 1000
# Other random_states of the default fit, for the spread between fits.
SPREAD_SEEDS = (1, 2)
# Pairs of emojis (held out or not) whose latent line the interpolation picture walks.
INTERPOLATION_PAIRS = [("😀", "😡"), ("🐶", "🐱"), ("🍎", "🍊"), ("☀", "🌧"), ("❤", "💙")]
# Debian's fonts-noto-color-emoji; only this benchmark uses it, when present.
NOTO_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")


class PeakMemory:
    """Peak resident set size (MiB) above the starting size, sampled in a thread."""

    def __init__(self, interval=0.05):
        self.interval = interval

    @staticmethod
    def rss_mb():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("VmRSS not found")

    def _sample(self):
        while not self._done.wait(self.interval):
            self.peak = max(self.peak, self.rss_mb())

    def __enter__(self):
        self.start = self.peak = self.rss_mb()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss_mb())
        self.delta = self.peak - self.start


class Clock:
    """Wall-clock and CPU seconds (all threads) since creation.

    CPU seconds are reported too because on a shared machine the wall-clock
    time depends on what else runs.
    """

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self):
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def squared_errors(images, encoder, decoder):
    """Summed squared error of each image decoded from one posterior draw (fixed seed), and the posterior."""
    mean, log_var = (a.astype(np.float64) for a in predict(encoder, images))
    noise = np.random.RandomState(0).standard_normal(mean.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        decoded = predict(decoder, (mean + np.exp(0.5 * log_var) * noise).astype(np.float32))
        errors = (decoded - images).reshape(len(images), -1).astype(np.float64)
    return np.sum(errors**2, axis=1), mean, log_var


def elbo(images, encoder, decoder, noise_variance):
    """Per-image ELBO as ``EmojiVAE.score_samples``: Gaussian likelihood of variance ``noise_variance``."""
    squared_error, mean, log_var = squared_errors(images, encoder, decoder)
    n_values = images[0].size
    with np.errstate(over="ignore", invalid="ignore"):
        log_likelihood = -0.5 * (n_values * np.log(2 * np.pi * noise_variance) + squared_error / noise_variance)
        kl = -0.5 * np.sum(1.0 + log_var - mean**2 - np.exp(log_var), axis=1)
    return log_likelihood - kl


def crisp_alpha(images):
    """Share of alpha values below 0.1 or above 0.9."""
    alpha = images[..., 3]
    return float(np.mean((alpha < 0.1) | (alpha > 0.9)))


def two_sample_features(images):
    """Downsampled pixels, edge-strength maps and the alpha histogram of each image."""
    n = len(images)
    small = images.reshape(n, 12, 3, 12, 3, 4).mean(axis=(2, 4)).reshape(n, -1)
    edges = []
    for channel in (images[..., :3].mean(-1) * images[..., 3], images[..., 3]):
        strength = np.abs(np.diff(channel, axis=1))[:, :, :-1] + np.abs(np.diff(channel, axis=2))[:, :-1, :]
        edges.append(strength.reshape(n, 5, 7, 5, 7).mean(axis=(2, 4)).reshape(n, -1))
    alpha = images[..., 3].reshape(n, -1)
    histogram = np.stack([np.histogram(a, bins=10, range=(0, 1))[0] for a in alpha]) / alpha.shape[1]
    return np.hstack([small, *edges, histogram])


def classifier_accuracy(real, generated):
    """5-fold accuracy of a logistic regression telling real from generated images (as many of each)."""
    n = min(len(real), len(generated))
    X = np.vstack([two_sample_features(real[:n]), two_sample_features(generated[:n])])
    y = np.r_[np.zeros(n), np.ones(n)]
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
    return float(cross_val_score(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0)).mean())


def knn_recall(real, generated, k=3):
    """Share of real images within the k-NN ball of some generated image, in the real images' PCA(64) space."""
    pca = PCA(64, random_state=0).fit(real.reshape(len(real), -1))
    real_codes, generated_codes = (pca.transform(a.reshape(len(a), -1)) for a in (real, generated))
    radius = NearestNeighbors(n_neighbors=k + 1).fit(generated_codes).kneighbors(generated_codes)[0][:, -1]
    distances = NearestNeighbors().fit(generated_codes).radius_neighbors(real_codes, radius=radius.max())
    covered = [np.any(d <= radius[i]) for d, i in zip(*distances)]
    return float(np.mean(covered))


def sample_quality(name, real, generated):
    """The three sample metrics of ``generated`` against the ``real`` held-out images."""
    generated = np.nan_to_num(generated, nan=0.0).clip(0, 1)
    return {"generator": name, "classifier_accuracy": classifier_accuracy(real, generated),
            "crisp_alpha": crisp_alpha(generated), "knn_recall": knn_recall(real, generated)}


def pca_gaussian_samples(pca, train, n_samples):
    """Decode draws of a Gaussian fitted to the training images' PCA codes, clipped to [0, 1]."""
    codes = pca.transform(train.reshape(len(train), -1))
    rng = np.random.RandomState(0)
    drawn = rng.multivariate_normal(codes.mean(axis=0), np.cov(codes, rowvar=False), size=n_samples)
    return pca.inverse_transform(drawn).reshape(n_samples, *train.shape[1:]).clip(0, 1).astype(np.float32)


def original_vae(latent_dim, dropout=0.2):
    """The original work's VAE as (trainable model, encoder, decoder); see the module docstring."""
    keras = import_keras()
    from skemoji._vae_network import VAE

    layers = keras.layers
    inputs = keras.Input((36, 36, 4))
    x = inputs
    for _ in range(3):
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.Flatten()(x)
    encoder = keras.Model(inputs, [layers.Dense(latent_dim)(x), layers.Dense(latent_dim)(x)])
    codes = keras.Input((latent_dim,))
    x = layers.Reshape((36, 36, 64))(layers.Dense(36 * 36 * 64, activation="relu")(codes))
    for _ in range(3):
        x = layers.Dropout(dropout)(layers.Conv2DTranspose(64, 3, padding="same", activation="relu")(x))
    decoder = keras.Model(codes, layers.Conv2DTranspose(4, 3, padding="same", activation="sigmoid")(x))

    model = VAE(encoder, decoder, beta=1.0)  # the same objective, with an unbounded log-variance
    return model, encoder, decoder


def time_budget(seconds):
    """A callback that stops training after the batch at which ``seconds`` have passed."""
    keras = import_keras()

    class TimeBudget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start, self.batches = time.perf_counter(), 0

        def on_train_batch_end(self, batch, logs=None):
            self.batches += 1
            if time.perf_counter() - self.start >= seconds:
                self.model.stop_training = True

    return TimeBudget()


def render_noto(emojis, size=36, font_path=NOTO_FONT):
    """Noto Color Emoji drawings of those ``emojis`` the font has, as load_twemoji makes them.

    Returns (images uint8 of shape (n, size, size, 4), the emojis drawn). Each
    glyph is drawn on a transparent canvas, cropped to its opaque pixels,
    centred on a transparent square (Twemoji's art fills its square) and
    resized with Lanczos. Emojis the font lacks (nothing drawn) or draws as
    several glyphs (a sequence it has no ligature for) are left out.
    """
    font = ImageFont.truetype(str(font_path), 109)  # the font's only bitmap size
    images, drawn = [], []
    for emoji in emojis:
        canvas = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
        ImageDraw.Draw(canvas).text((16, 16), emoji, font=font, embedded_color=True)
        box = canvas.getbbox()
        if box is None or box[2] - box[0] > 160:  # one glyph is 136 pixels wide
            continue
        glyph = canvas.crop(box)
        side = max(glyph.size)
        square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        square.paste(glyph, ((side - glyph.width) // 2, (side - glyph.height) // 2))
        images.append(np.asarray(square.resize((size, size), Image.Resampling.LANCZOS)))
        drawn.append(emoji)
    return np.stack(images), drawn


def vae_mse(vae, images):
    """Mean squared error of the VAE's reconstructions of ``images``."""
    return float(np.mean((vae.inverse_transform(vae.transform(images)) - images) ** 2))


def pca_mse(pca, images):
    """Mean squared error of PCA's reconstructions of ``images`` (flattened)."""
    flat = images.reshape(len(images), -1)
    return float(np.mean((pca.inverse_transform(pca.transform(flat)) - flat) ** 2))


def other_vendor(vae, pca, emojis):
    """MSE of the VAE and of PCA on Noto Color Emoji drawings of ``emojis``; None if no font."""
    if not NOTO_FONT.exists():
        return {"skipped": f"{NOTO_FONT} not found (Debian package fonts-noto-color-emoji)"}, None
    images, drawn = render_noto(emojis)
    noto = images.astype(np.float32) / 255
    vae_error, pca_error = vae_mse(vae, noto), pca_mse(pca, noto)
    result = {"font": NOTO_FONT.name, "n_images": len(noto), "vae_mse": vae_error, "pca_mse": pca_error,
              "mse_ratio_vs_pca": vae_error / pca_error,
              "vae_nonfinite_code_fraction": float(np.mean(~np.isfinite(vae.transform(noto))))}
    return result, noto


def refinement(vae, pca, test, noto):
    """The same fit without ``refine_steps`` and with each ``refine_objective``: MSE / PCA on Twemoji
    and Noto, transform time."""
    rows = []
    settings = [(0, vae.refine_objective), (20, "squared_error"), (vae.refine_steps, "elbo"),
                (vae.refine_steps, "squared_error")]
    for steps, objective in dict.fromkeys(settings):  # in order, without repeats
        model = copy.deepcopy(vae).set_params(refine_steps=steps, refine_objective=objective)
        model.transform(test[:8])  # traces the refinement outside the timing
        start = time.perf_counter()
        codes = model.transform(test)
        seconds = time.perf_counter() - start
        row = {"refine_steps": steps, "refine_objective": objective if steps else "-",
               "transform_ms_per_image": round(1000 * seconds / len(test), 2),
               "test_mse_ratio_vs_pca": float(np.mean((model.inverse_transform(codes) - test) ** 2)) / pca_mse(pca, test)}
        if noto is not None:
            row["noto_mse_ratio_vs_pca"] = vae_mse(model, noto) / pca_mse(pca, noto)
        rows.append(row)
    return rows


def seed_spread(vae_result, noto_result, samples_result, train, test, pca, noto, seeds=SPREAD_SEEDS):
    """The default's figures for other ``random_state``s (the same split): how far one fit is from the next."""
    rows = [{"random_state": 0, "fit_seconds": vae_result["fit_seconds"],
             "test_mse_ratio_vs_pca": vae_result["mse_ratio_vs_pca"],
             "noto_mse_ratio_vs_pca": noto_result.get("mse_ratio_vs_pca"),
             **{k: samples_result[k] for k in ("classifier_accuracy", "crisp_alpha", "knn_recall")}}]
    for seed in seeds:
        clock = Clock()
        vae = EmojiVAE(random_state=seed).fit(train)
        row = {"random_state": seed, "fit_seconds": round(clock.read()[0], 1),
               "test_mse_ratio_vs_pca": vae_mse(vae, test) / pca_mse(pca, test)}
        if noto is not None:
            row["noto_mse_ratio_vs_pca"] = vae_mse(vae, noto) / pca_mse(pca, noto)
        quality = sample_quality("", test, vae.sample(N_GENERATED, random_state=0))
        row.update({k: quality[k] for k in ("classifier_accuracy", "crisp_alpha", "knn_recall")})
        print(row, flush=True)
        rows.append(row)
    return rows


def predict(model, X):
    with np.errstate(invalid="ignore"):
        return model.predict(X, batch_size=512, verbose=0)


def summary(name, *, seconds, memory, test, recon, codes, test_elbo):
    return {
        "model": name,
        "test_mse": float(np.mean((recon - test) ** 2)),
        "test_elbo": None if test_elbo is None else float(np.mean(test_elbo)),
        "fit_seconds": round(seconds[0], 1),
        "fit_cpu_seconds": round(seconds[1], 1),
        "peak_memory_mb": round(memory.delta, 1),
        "nonfinite_code_fraction": float(np.mean(~np.isfinite(codes))),
    }


def run_vae(train, test, everything):
    vae = EmojiVAE(random_state=0)
    with PeakMemory() as memory:
        clock = Clock()
        vae.fit(train)
        seconds = clock.read()
    result = summary(
        "EmojiVAE (default)", seconds=seconds, memory=memory, test=test,
        recon=vae.inverse_transform(vae.transform(test)), codes=vae.transform(everything),
        test_elbo=vae.score_samples(test),
    )
    result.update(epochs=vae.n_iter_, params=vae.get_params())
    return vae, result


def run_pca(train, test, everything, n_components):
    flat = lambda images: images.reshape(len(images), -1)  # noqa: E731
    with PeakMemory() as memory:
        clock = Clock()
        pca = PCA(n_components=n_components, random_state=0).fit(flat(train))
        seconds = clock.read()
    recon = pca.inverse_transform(pca.transform(flat(test))).reshape(test.shape)
    result = summary(
        f"PCA({n_components})", seconds=seconds, memory=memory, test=test, recon=recon,
        codes=pca.transform(flat(everything)), test_elbo=None,
    )
    # Clipping to [0, 1], where the VAE's outputs lie, makes PCA a little stronger.
    result["test_mse_clipped"] = float(np.mean((np.clip(recon, 0, 1) - test) ** 2))
    return pca, np.clip(recon, 0, 1), result


def run_original(train, test, everything, budget, latent_dim):
    keras = import_keras()
    with keras_seed(0), PeakMemory() as memory:
        model, encoder, decoder = original_vae(latent_dim)
        model.compile(optimizer=keras.optimizers.Adam(0.003))
        clock = Clock()
        budget_callback = time_budget(budget)
        model.fit(train, epochs=100, batch_size=16, verbose=0, callbacks=[budget_callback])
        seconds = clock.read()
    recon = predict(decoder, predict(encoder, test)[0])
    # The noise variance that EmojiVAE would fit: the training reconstruction error.
    noise_variance = np.mean(squared_errors(train, encoder, decoder)[0]) / train[0].size
    result = summary(
        "original architecture (same time budget)", seconds=seconds, memory=memory, test=test,
        recon=recon, codes=predict(encoder, everything)[0],
        test_elbo=elbo(test, encoder, decoder, noise_variance),
    )
    result.update(epochs=round(budget_callback.batches / -(-len(train) // 16), 2))
    samples = predict(decoder, np.random.RandomState(0).standard_normal((N_GENERATED, latent_dim)).astype(np.float32))
    return recon, samples, result


def picture(test, recons, vae, pca, noto):
    displayable = lambda images: np.nan_to_num(images, nan=0.0).clip(0, 1)  # noqa: E731
    panels = [label_strip(emoji_grid(test[:N_SHOWN], n_cols=N_SHOWN), "Held-out Twemoji images")]
    for name, recon in recons.items():
        panels.append(label_strip(emoji_grid(displayable(recon[:N_SHOWN]), n_cols=N_SHOWN), name))
    if noto is not None:
        shown = noto[:N_SHOWN]
        pca_recon = pca.inverse_transform(pca.transform(shown.reshape(len(shown), -1))).reshape(shown.shape)
        panels += [
            label_strip(emoji_grid(shown, n_cols=N_SHOWN), "Noto Color Emoji images (never seen)"),
            label_strip(emoji_grid(vae.inverse_transform(vae.transform(shown)), n_cols=N_SHOWN),
                        "EmojiVAE reconstructions"),
            label_strip(emoji_grid(displayable(pca_recon), n_cols=N_SHOWN), "PCA reconstructions"),
        ]
    panels.append(label_strip(emoji_grid(vae.sample(24, random_state=0), n_cols=N_SHOWN),
                              "EmojiVAE samples from the learned prior"))
    grids = [label_strip(emoji_grid(vae.latent_grid(ticks=8, layout=layout), n_cols=8, scale=1),
                         f"latent grid, layout {layout}") for layout in "ABC"]
    row = Image.new("RGB", (sum(g.width for g in grids) + 8 * (len(grids) - 1), grids[0].height), "white")
    for i, grid in enumerate(grids):
        row.paste(grid, (i * (grid.width + 8), 0))
    panels.append(row)
    return stack(panels)


def generation_pictures(vae, normal, catalog):
    """Larger pictures of what the default EmojiVAE generates: samples, a latent grid, interpolations."""
    samples = [label_strip(emoji_grid(model.sample(48, random_state=0), n_cols=12, scale=3), caption)
               for model, caption in ((vae, "sample(): the learned mixture prior (default)"),
                                      (normal, 'sample() with prior="normal", the standard normal'))]
    stack(samples).save(RESULTS / "vae_samples.png")
    label_strip(emoji_grid(vae.latent_grid(ticks=12, layout="A"), n_cols=12, scale=2),
                "latent_grid(ticks=12, layout='A')").save(RESULTS / "vae_latent_grid.png")
    index = {e: i for i, e in enumerate(catalog.emojis)}
    rows = [vae.interpolate(catalog.images[index[a]], catalog.images[index[b]], n_steps=10)
            for a, b in INTERPOLATION_PAIRS if a in index and b in index]
    label_strip(emoji_grid(np.concatenate(rows), n_cols=10, scale=3),
                "interpolate(a, b, n_steps=10)").save(RESULTS / "vae_interpolation.png")


def stack(panels):
    """Panels one above the other on white, 8 pixels apart."""
    out = Image.new("RGB", (max(p.width for p in panels), sum(p.height + 8 for p in panels)), "white")
    top = 0
    for panel in panels:
        out.paste(panel, (0, top))
        top += panel.height + 8
    return out


def markdown(report):
    lines = [
        "# EmojiVAE benchmark",
        "",
        f"{report['date']}, {report['machine']}; {report['n_train']} training and {report['n_test']} "
        "held-out Twemoji images (`train_test_split(random_state=0)`, 80/20). "
        "MSE and ELBO on the held-out images; non-finite codes on all images.",
        "",
        "| model | held-out MSE | MSE / PCA | held-out ELBO (nats/image) | fit s (wall) | fit CPU s | "
        "epochs | peak memory (MiB) | non-finite codes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines.insert(3, f"Load average at the end: {report['load_average_at_end']} (other work shares the machine). "
                 f"Fit times leave out importing TensorFlow ({report['tensorflow_import_seconds']:.1f} s, once per "
                 "process, before the first fit).")
    for r in report["results"]:
        elbo_text = "n/a" if r["test_elbo"] is None else f"{r['test_elbo']:.1f}"
        lines.append(
            f"| {r['model']} | {r['test_mse']:.4f} | {r['mse_ratio_vs_pca']:.2f} | {elbo_text} | "
            f"{r['fit_seconds']:.1f} | {r['fit_cpu_seconds']:.1f} | {r.get('epochs', 'n/a')} | {r['peak_memory_mb']:.0f} | "
            f"{r['nonfinite_code_fraction']:.1%} |"
        )
    lines += ["", (f"Generated images: {N_GENERATED} of each generator against the {report['n_test']} held-out "
                   "images (classifier accuracy: 0.5 is indistinguishable, lower is better; k-NN recall: higher "
                   "is better)."), "",
              "| generator | classifier accuracy | crisp alpha | k-NN recall (k=3) |", "|---|---|---|---|"]
    for r in report["samples"]:
        cells = [f"{r[key]:.3f}" if key in r else "-" for key in ("classifier_accuracy", "crisp_alpha", "knn_recall")]
        lines.append(f"| {r['generator']} | " + " | ".join(cells) + " |")
    pca = next(r for r in report["results"] if r["model"].startswith("PCA"))
    lines += ["", f"PCA with its reconstructions clipped to [0, 1]: held-out MSE {pca['test_mse_clipped']:.4f}."]
    noto = report["other_vendor"]
    lines += ["", "Refinement of the codes (the same fit, transformed with each `refine_steps` and "
              "`refine_objective`; time on the held-out images, all cores):", "",
              "| refine_steps | refine_objective | held-out MSE / PCA | Noto MSE / PCA | transform ms per image |",
              "|---|---|---|---|---|"]
    for r in report["refinement"]:
        noto_ratio = f"{r['noto_mse_ratio_vs_pca']:.3f}" if "noto_mse_ratio_vs_pca" in r else "-"
        lines.append(f"| {r['refine_steps']} | {r['refine_objective']} | {r['test_mse_ratio_vs_pca']:.3f} | {noto_ratio} | "
                     f"{r['transform_ms_per_image']:.2f} |")
    lines += ["", "The default fitted again with other `random_state`s (the same split; the samples' draw "
              "is `random_state=0` each time): the spread from one fit to the next.", "",
              "| random_state | fit s (wall) | held-out MSE / PCA | Noto MSE / PCA | classifier accuracy | "
              "crisp alpha | k-NN recall |", "|---|---|---|---|---|---|---|"]
    for r in report["seeds"]:
        noto_ratio = "-" if r.get("noto_mse_ratio_vs_pca") is None else f"{r['noto_mse_ratio_vs_pca']:.3f}"
        lines.append(f"| {r['random_state']} | {r['fit_seconds']:.1f} | {r['test_mse_ratio_vs_pca']:.3f} | "
                     f"{noto_ratio} | {r['classifier_accuracy']:.3f} | {r['crisp_alpha']:.3f} | "
                     f"{r['knn_recall']:.3f} |")
    if "skipped" in noto:
        lines += ["", f"Other vendor (Noto Color Emoji): skipped, {noto['skipped']}."]
    else:
        lines += ["", f"Other vendor: {noto['n_images']} Noto Color Emoji drawings of the held-out emojis, "
                  "never seen in training (both models fitted on the Twemoji training images): "
                  f"EmojiVAE MSE {noto['vae_mse']:.4f}, PCA({pca['model'][4:-1]}) MSE {noto['pca_mse']:.4f}, "
                  f"ratio {noto['mse_ratio_vs_pca']:.2f}; non-finite codes "
                  f"{noto['vae_nonfinite_code_fraction']:.1%}."]
    lines += ["", "Produced by `python benchmarks/bench_vae.py`; see its docstring for the method.", ""]
    return "\n".join(lines)


def main():
    catalog = load_twemoji()
    everything = catalog.images.astype(np.float32) / 255
    train, test, _, test_emojis = train_test_split(everything, catalog.emojis, test_size=0.2, random_state=0)

    # Once per process, before any fit: the fits are timed without it.
    import_clock = Clock()
    import_keras()
    import_seconds = import_clock.read()[0]
    vae, vae_result = run_vae(train, test, everything)
    print(vae_result, flush=True)
    pca, pca_recon, pca_result = run_pca(train, test, everything, vae.latent_dim)
    # Emojis of the held-out split: neither their Twemoji nor their Noto drawing was seen.
    noto_result, noto = other_vendor(vae, pca, test_emojis)
    print(noto_result, flush=True)
    original_recon, original_samples, original_result = run_original(
        train, test, everything, budget=vae_result["fit_seconds"], latent_dim=vae.latent_dim
    )
    results = [vae_result, pca_result, original_result]
    for r in results:
        r["mse_ratio_vs_pca"] = r["test_mse"] / pca_result["test_mse"]
    normal = EmojiVAE(**{**vae.get_params(), "prior": "normal"})
    normal.__dict__.update({k: v for k, v in vars(vae).items() if k.endswith("_")})  # the same fit
    generated = {
        "EmojiVAE (default) sample()": vae.sample(N_GENERATED, random_state=0),
        'EmojiVAE sample(), prior="normal"': normal.sample(N_GENERATED, random_state=0),
        "original architecture, from N(0, I)": original_samples,
        f"Gaussian on PCA({vae.latent_dim}) codes, decoded by PCA": pca_gaussian_samples(pca, train, N_GENERATED),
        "EmojiVAE reconstructions of the held-out images": vae.inverse_transform(vae.transform(test)),
    }
    # The choice of prior_components: the same fit, other mixtures.
    for n_components in (128, 512):
        other = EmojiVAE(**{**vae.get_params(), "prior_components": n_components})
        other.__dict__.update({k: v for k, v in vars(vae).items() if k.endswith("_")})
        other._fit_prior(train, 0)
        generated[f"EmojiVAE sample(), prior_components={n_components}"] = other.sample(N_GENERATED, random_state=0)
    samples = [{"generator": "real held-out Twemoji images", "crisp_alpha": crisp_alpha(test)}]
    for name, images in generated.items():
        samples.append(sample_quality(name, test, images))
        print(samples[-1], flush=True)

    import keras
    import sklearn
    import tensorflow as tf

    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_at_end": [round(v, 2) for v in os.getloadavg()],
        "versions": {"skemoji": skemoji.__version__, "tensorflow": tf.__version__,
                     "keras": keras.__version__, "scikit-learn": sklearn.__version__},
        "tensorflow_import_seconds": round(import_seconds, 1),
        "n_train": len(train),
        "n_test": len(test),
        "results": results,
        "samples": samples,
        "other_vendor": noto_result,
        "refinement": refinement(vae, pca, test, noto),
        "seeds": seed_spread(vae_result, noto_result, samples[1], train, test, pca, noto),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "vae.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "vae.md").write_text(markdown(report))
    recons = {
        "EmojiVAE reconstructions": vae.inverse_transform(vae.transform(test[:N_SHOWN])),
        f"PCA({vae.latent_dim}) reconstructions": pca_recon,
        "original architecture reconstructions": original_recon,
    }
    picture(test, recons, vae, pca, noto).save(RESULTS / "vae.png")
    generation_pictures(vae, normal, catalog)
    print(markdown(report))


if __name__ == "__main__":
    main()
