"""``skemoji demo``: train both models on the data that ships with the install, then report.

The VAE learns the Twemoji images; the ranker learns to answer emoji names
and aliases in six languages (``load_emoji_names``), with the VAE as its
answer tower. Everything lands in one directory: ``report.html``, the
pictures, ``metrics.json`` and both models saved with ``save()``.

The report shows every emoji as its Twemoji image (or, for a generated one,
the VAE's image), embedded in the page with its name beside it, so it reads
the same in any browser, with or without an emoji font.
"""

import base64
import copy
import html
import io
import json
import os
import platform
import time

import numpy as np

from ._emoji import SKIN_TONES
from ._keras_base import progress_verbosity

EXAMPLE_TEXTS = [
    "merry christmas everyone",
    "I love you so much",
    "this is hilarious, I can't stop laughing",
    "pizza night with friends",
    "so angry right now",
    "feliz cumpleaños amigo",
    "je suis fatigué, bonne nuit",
    "ich habe Hunger auf Pizza",
    "buongiorno, che bel sole",
    "my heart is on fire",
]
# Pairs of catalog emojis whose latent midpoint becomes a generated candidate.
GENERATED_BLENDS = [("🔥", "❤", "fire heart"), ("😂", "😡", "laughing angry face"), ("🌞", "🌚", "sun moon face")]
INTERPOLATION_PAIRS = [("😂", "😭"), ("🔥", "💧"), ("🌞", "🌚")]
LANGUAGES = ("en", "es", "fr", "de", "it", "pt")


def _step(message):
    print(f"\n== {message}", flush=True)


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


class _Pictures:
    """Saves PNGs into the output directory and remembers them for the report."""

    def __init__(self, out):
        self.out, self.saved = out, []

    def save(self, picture, name, caption):
        picture.save(self.out / name)
        self.saved.append((name, caption))
        print(f"   wrote {name}")


def _fit_vae(train, test, quick, pictures):
    from sklearn.decomposition import PCA

    from ._vae import EmojiVAE
    from .plotting import curves_chart, emoji_grid, label_strip

    vae = EmojiVAE(random_state=0, verbose=progress_verbosity(), **({"epochs": 1} if quick else {}))
    _, seconds = _timed(vae.fit, train)
    held_out = test / 255.0
    codes = vae.transform(test)
    mse = float(np.mean((vae.inverse_transform(codes) - held_out) ** 2))
    pca = PCA(n_components=vae.latent_dim, random_state=0).fit(train.reshape(len(train), -1) / 255.0)
    pca_recon = pca.inverse_transform(pca.transform(held_out.reshape(len(test), -1)))
    pca_mse = float(np.mean((pca_recon - held_out.reshape(len(test), -1)) ** 2))
    metrics = {
        "n_train_images": len(train),
        "n_test_images": len(test),
        "latent_dim": vae.latent_dim,
        "epochs_run": len(vae.history_["loss"]),
        "fit_seconds": round(seconds, 1),
        "test_reconstruction_mse": mse,
        "pca_test_reconstruction_mse": pca_mse,
        "mse_ratio_to_pca": mse / pca_mse,
        "test_elbo_per_image": float(vae.score(test)),
        "nonfinite_code_fraction": float(np.mean(~np.isfinite(codes))),
    }
    print(f"   held-out MSE {mse:.4f} (PCA with {vae.latent_dim} components: {pca_mse:.4f})")

    shown = test[:16]
    pictures.save(
        label_strip(emoji_grid(np.concatenate([shown / 255.0, vae.inverse_transform(vae.transform(shown))]),
                               n_cols=16, scale=3), "Held-out originals (top) and their reconstructions (bottom)"),
        "reconstructions.png", "Held-out Twemoji images (top) and the VAE's reconstructions (bottom).")
    pictures.save(emoji_grid(vae.sample(48, random_state=0), n_cols=12, scale=3),
                  "samples.png", "Novel emojis decoded from random draws of the learned prior "
                  "(a Gaussian mixture fitted to the training images' codes).")
    for layout in "ABC":
        pictures.save(emoji_grid(vae.latent_grid(ticks=12, layout=layout), n_cols=12, scale=2),
                      f"latent_grid_{layout}.png", f"Latent grid, layout {layout}: two coordinates swept "
                      f"from -2 to 2 standard deviations of the learned prior, across the "
                      f"{vae.latent_dim} latent dimensions.")
    pictures.save(curves_chart({k: v for k, v in vae.history_.items() if "loss" in k},
                               title="EmojiVAE training (negative ELBO per image)"),
                  "vae_training.png", "EmojiVAE training loss per epoch (on all the training images).")
    return vae, metrics


def _interpolations(vae, catalog, pictures):
    from .plotting import emoji_grid

    index = {e: i for i, e in enumerate(catalog.emojis)}
    rows = [vae.interpolate(catalog.images[index[a]], catalog.images[index[b]], n_steps=10)
            for a, b in INTERPOLATION_PAIRS]
    # Names, not emoji characters, in a caption: a reader's fonts may not draw emojis.
    pairs = ", ".join(f"{catalog.names[index[a]]} and {catalog.names[index[b]]}" for a, b in INTERPOLATION_PAIRS)
    pictures.save(emoji_grid(np.concatenate(rows), n_cols=10, scale=3), "interpolation.png",
                  f"Walking the latent line between {pairs}, one pair per row.")


def _demo_answers(emojis):
    """The emojis the demo answers with: no skin-tone variants and no country or region flags.

    Skin-tone variants are five copies of one meaning that crowd a top-5 out.
    Flags are named after places, in every language ("Christmas Island" six
    times against "Christmas tree" once), so a name-trained ranker answered
    "merry christmas" with 🇨🇽; generic flags such as 🏁 and 🚩 stay.
    """
    dropped = set(SKIN_TONES)
    dropped |= {chr(code) for code in range(0x1F1E6, 0x1F200)}  # regional indicators
    dropped |= {chr(code) for code in range(0xE0020, 0xE0080)}  # subdivision-flag tags
    return np.array([e for e in emojis if not dropped & set(e)], dtype=object)


def _fit_ranker(vae, catalog, quick, pictures):
    from sklearn.model_selection import train_test_split

    from .datasets import load_emoji_names
    from .plotting import curves_chart
    from .ranker import SiameseEmojiRanker

    names = load_emoji_names(languages=LANGUAGES)
    answers = _demo_answers(catalog.emojis)
    known = np.isin(names.emoji, answers)
    texts, emojis = names.text[known], names.emoji[known]
    train_text, test_text, train_emoji, test_emoji = train_test_split(
        texts, emojis, test_size=0.1, random_state=0)
    if quick:
        train_text, train_emoji = train_text[:1500], train_emoji[:1500]
    print(f"   {len(train_text)} (name, emoji) pairs in {len(LANGUAGES)} languages for training, "
          f"{len(test_text)} held out")
    # The sentence encoder reads the six languages' names in one space (as the pretrained ranker
    # does); the quick demo leaves it and the catalog out.
    params = dict(epochs=1, catalog_languages=()) if quick else dict(sentence_encoder="use")
    # The ranker reads the encoder's codes unrefined, as its own VAE does: refined codes cost
    # recall on added emojis (benchmarks/results/ranker_vae.md), and refining the ~4,000
    # candidates' images would take most of a minute.
    unrefined = copy.deepcopy(vae).set_params(refine_steps=0)
    ranker = SiameseEmojiRanker(vae=unrefined, random_state=0, verbose=progress_verbosity(), **params)
    _, seconds = _timed(ranker.fit, train_text, train_emoji)
    # Every answer emoji becomes rankable, also those no training name pointed to.
    trained = set(ranker.classes_)
    unseen = [e for e in answers if e not in trained]
    if unseen:
        ranker.add_candidates(unseen)
    top5, rank_seconds = _timed(ranker.rank, test_text, k=5)
    metrics = {
        "n_train_pairs": len(train_text),
        "n_test_pairs": len(test_text),
        "languages": list(LANGUAGES),
        "n_candidates": len(ranker.classes_),
        "fit_seconds": round(seconds, 1),
        "test_top1_accuracy": float(np.mean(top5[:, 0] == test_emoji)),
        "test_top5_accuracy": float(np.mean([e in row for e, row in zip(test_emoji, top5)])),
        "texts_ranked_per_second": round(len(test_text) / rank_seconds),
    }
    print(f"   held-out names: top-1 {metrics['test_top1_accuracy']:.3f}, "
          f"top-5 {metrics['test_top5_accuracy']:.3f} among {len(ranker.classes_)} emojis")
    pictures.save(curves_chart({k: v for k, v in ranker.history_.items() if "loss" in k},
                               title="SiameseEmojiRanker training"),
                  "ranker_training.png", "Ranker training and validation loss per epoch.")
    return ranker, metrics


def _generated_candidates(vae, catalog, ranker):
    """Blend pairs of emojis in latent space and make the blends rankable answers.

    Returns ``{id: (image, name)}`` for the blends.
    """
    index = {e: i for i, e in enumerate(catalog.emojis)}
    images, ids, names = [], [], []
    for a, b, name in GENERATED_BLENDS:
        images.append(vae.interpolate(catalog.images[index[a]], catalog.images[index[b]], n_steps=3)[1])
        ids.append(f"gen:{name.replace(' ', '-')}")
        names.append(name)
    ranker.add_candidates(ids, images=np.stack(images), names=names)
    return {id_: (image, name) for id_, image, name in zip(ids, images, names)}


def _strips(ranker, catalog, generated, pictures):
    from .plotting import ranking_strips

    index = {e: i for i, e in enumerate(catalog.emojis)}
    ranked = ranker.rank(EXAMPLE_TEXTS, k=5)
    images = [[generated[e][0] if e in generated else catalog.images[index[e]] / 255.0 for e in row]
              for row in ranked]
    pictures.save(ranking_strips(EXAMPLE_TEXTS, [np.stack(r) for r in images], scale=2),
                  "top5_strips.png", "Top-5 emojis for example texts in six languages, best first; emojis "
                  "generated by the VAE are ranked like any other.")
    return {text: list(row) for text, row in zip(EXAMPLE_TEXTS, ranked)}


def _pretrained_answers():
    """What the ranker that ships with skemoji answers for the example texts (no training)."""
    from ._pretrained import load_pretrained

    ranker, seconds = _timed(load_pretrained, "ranker")
    print(f"   loaded in {seconds:.2f} s: {len(ranker.classes_)} candidate emojis")
    # One skin tone per emoji, as `skemoji rank` prints them (the demo's ranker has no variants).
    ranked = ranker.rank(EXAMPLE_TEXTS, k=5, skin_tones=False)
    return {text: list(row) for text, row in zip(EXAMPLE_TEXTS, ranked)}


def _data_uri(png_bytes):
    return "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")


def _emoji_png(image, scale=2):
    """PNG bytes of one emoji image (uint8 0..255 or floats in [0, 1]), enlarged ``scale`` times."""
    from PIL import Image

    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.round(np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)
    # Nearest-neighbour keeps the 36 x 36 pixels crisp; the browser would blur a small image.
    picture = Image.fromarray(image, "RGBA").resize((image.shape[1] * scale, image.shape[0] * scale),
                                                    Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _answer_cell(emojis, catalog, generated):
    """Each answer as its embedded image with its name beside it (generated ones marked as such)."""
    index = {e: i for i, e in enumerate(catalog.emojis)}
    items = []
    for emoji in emojis:
        if emoji in generated:
            image, name = generated[emoji]
            label = f"{html.escape(name)} <em>(generated)</em>"
        else:
            image, name = catalog.images[index[emoji]], catalog.names[index[emoji]]
            label = html.escape(name)
        # alt keeps the emoji itself for copying and screen readers; the picture does not need a font.
        items.append(f"<li><img class='emoji' src='{_data_uri(_emoji_png(image))}' width='36' height='36' "
                     f"alt='{html.escape(emoji, quote=True)}' title='{html.escape(name, quote=True)}'>"
                     f"<span>{label}</span></li>")
    return f"<ol class='answers'>{''.join(items)}</ol>"


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0; } .sub { color: #666; margin-top: .3em; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #ddd; padding: .35em .8em; text-align: left; vertical-align: middle; }
ol.answers { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3em 1.1em; }
ol.answers li { display: flex; align-items: center; gap: .35em; font-size: .92em; }
img.emoji { border: none; background: none; }
figure { margin: 1.5em 0; } img { max-width: 100%; image-rendering: pixelated; border: 1px solid #eee; }
figcaption { color: #555; } pre { background: #f5f5f7; padding: .8em; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
"""


def _write_report(out, metrics, answers, pictures, catalog, generated):
    rows = "".join(f"<tr><td>{html.escape(text)}</td><td>{_answer_cell(row, catalog, generated)}</td>"
                   f"<td>{_answer_cell(metrics['pretrained'][text], catalog, {})}</td></tr>"
                   for text, row in answers.items())
    figures = "".join(
        f"<figure><img src='{_data_uri((out / name).read_bytes())}' alt='{html.escape(caption)}'>"
        f"<figcaption>{html.escape(caption)} <small>({name})</small></figcaption></figure>"
        for name, caption in pictures.saved)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>skemoji demo report</title>
<style>{_STYLE}</style></head><body>
<h1>skemoji demo</h1>
<p class="sub">skemoji {metrics['skemoji_version']} &middot; {html.escape(metrics['machine'])} &middot;
{metrics['date']} &middot; total {metrics['total_seconds']:.0f} s</p>
<h2>Emoji suggestions</h2>
<p>The ranker embeds each emoji from its pixels (through the VAE) and its name, so it answers in any of the
training languages and can rank emojis it never saw, including ones the VAE just generated. Beside it, the
pretrained ranker that ships with skemoji (<code>skemoji.load_pretrained("ranker")</code>), untouched, as
<code>skemoji rank</code> prints its answers: one skin tone per emoji.</p>
<table><tr><th>text</th><th>top 5 of the demo's ranker</th><th>top 5 of the pretrained ranker</th></tr>
{rows}</table>
<h2>Metrics</h2>
<div class="grid"><div><h3>EmojiVAE (held-out Twemoji images)</h3>{_metrics_table(metrics['vae'])}</div>
<div><h3>SiameseEmojiRanker (held-out emoji names)</h3>{_metrics_table(metrics['ranker'])}</div></div>
<h2>Pictures</h2>{figures}
<h2>Reproduce</h2>
<pre>make demo                       # or: skemoji demo --out skemoji-demo
skemoji rank "merry christmas everyone" -k 5 --model skemoji-demo/ranker.skemoji
skemoji generate --model skemoji-demo/vae.skemoji -n 36 --out generated.png</pre>
<p class="sub">Emoji graphics: Twemoji by Twitter, Inc and other contributors, CC-BY 4.0.
Emoji names: the <code>emoji</code> package (Unicode CLDR).</p>
</body></html>"""
    (out / "report.html").write_text(page, encoding="utf-8")


def _metrics_table(values):
    cells = "".join(
        f"<tr><td>{html.escape(k.replace('_', ' '))}</td><td>{v:.4g}</td></tr>" if isinstance(v, float)
        else f"<tr><td>{html.escape(k.replace('_', ' '))}</td><td>{html.escape(str(v))}</td></tr>"
        for k, v in values.items())
    return f"<table>{cells}</table>"


def run_demo(out, *, quick=False):
    """Train both models on the built-in data and write the report into ``out``."""
    from sklearn.model_selection import train_test_split

    from ._version import __version__
    from .datasets import load_twemoji

    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    pictures = _Pictures(out)

    _step("1/5 Loading the Twemoji images")
    catalog = load_twemoji()
    train, test = train_test_split(catalog.images, test_size=0.1, random_state=0)
    if quick:
        train, test = train[:600], test[:100]
    print(f"   {len(catalog.images)} images of 36x36 RGBA: {len(train)} to train, {len(test)} held out")

    _step("2/5 Training the EmojiVAE")
    vae, vae_metrics = _fit_vae(train, test, quick, pictures)
    _interpolations(vae, catalog, pictures)

    _step("3/5 Training the SiameseEmojiRanker on emoji names")
    ranker, ranker_metrics = _fit_ranker(vae, catalog, quick, pictures)

    _step("4/5 Ranking example texts, with VAE-generated emojis among the candidates")
    generated = _generated_candidates(vae, catalog, ranker)
    answers = _strips(ranker, catalog, generated, pictures)
    for text, row in answers.items():
        print(f"   {text:45s} {' '.join(row)}")
    print("   The pretrained ranker, for comparison:")
    pretrained = _pretrained_answers()
    for text, row in pretrained.items():
        print(f"   {text:45s} {' '.join(row)}")

    _step("5/5 Saving the models and the report")
    vae.save(out / "vae.skemoji")
    ranker.save(out / "ranker.skemoji")
    metrics = {
        "skemoji_version": __version__,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "quick": quick,
        "vae": vae_metrics,
        "ranker": ranker_metrics,
        "examples": answers,
        "pretrained": pretrained,
        "total_seconds": round(time.perf_counter() - start, 1),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False), encoding="utf-8")
    _write_report(out, metrics, answers, pictures, catalog, generated)
    print(f"\nDone in {metrics['total_seconds']:.0f} s. Open {out / 'report.html'}; "
          f"try: skemoji rank \"merry christmas everyone\" -k 5 --model {out / 'ranker.skemoji'}")
