"""
==============================
Reconstructions and new emojis
==============================

Fit an :class:`~skemoji.EmojiVAE` on Twemoji images, then look at what it
gives back:

- **reconstructions**: held-out emojis encoded with ``transform`` (their
  latent codes) and decoded with ``inverse_transform``;
- **samples**: novel emojis decoded with ``sample`` from random points of
  the learned prior (a Gaussian mixture fitted to the training images' codes),
  beside draws from the standard normal prior.

To keep the example fast, the VAE learns only the about 120 Twemoji images
whose name says "face" (smileys, the sun and moon faces, animal faces): a small,
homogeneous set it picks up in a few seconds. A default ``EmojiVAE`` trained on
the whole catalog for longer does much better on all emojis (see
:doc:`/benchmarks`).
"""

# sphinx_gallery_thumbnail_number = 3

# %%
# Data: the face emojis of the Twemoji catalog
# --------------------------------------------
# :func:`~skemoji.datasets.load_twemoji` reads the about 4,000 Twemoji images
# that ship with skemoji (CC-BY 4.0 graphics, © Twitter, Inc and other
# contributors): uint8 RGBA arrays of shape ``(n, 36, 36, 4)``, with each
# emoji's string and English name. Ten faces are kept aside to test on.
import matplotlib.pyplot as plt
import numpy as np

from skemoji import EmojiVAE
from skemoji.datasets import load_twemoji
from skemoji.plotting import emoji_grid

twemoji = load_twemoji()
is_face = np.array(["face" in name and "skin tone" not in name for name in twemoji.names])
faces = twemoji.images[is_face]
order = np.random.RandomState(0).permutation(len(faces))
train, held_out = faces[order[10:]], faces[order[:10]]
print(f"{len(twemoji.images)} Twemoji images; {len(faces)} faces: "
      f"{len(train)} to train on, {len(held_out)} held out")

# %%
# Fit the VAE
# -----------
# ``fit`` takes the images as they come (uint8 here; floats in [0, 1] and the
# flattened ``(n, 5184)`` form work too).
# A small batch gives enough gradient steps on this small set; the mixture
# prior gets few components, as there are only about 110 training codes.
# ``validation_fraction=0.1`` holds 10% of the images out to watch (by
# default every image trains).
vae = EmojiVAE(latent_dim=16, epochs=30, batch_size=16, prior_components=8, validation_fraction=0.1,
               random_state=0)
vae.fit(train)
print(f"stopped after {vae.n_iter_} epochs")

# %%
# ``history_`` holds the loss per image and epoch (``loss``, its
# reconstruction and KL parts ``recon`` and ``kl``), for the training images
# and, with the ``val_`` prefix, for the 10% held out (early stopping then
# watches ``val_loss``).
fig, ax = plt.subplots(figsize=(6, 3.2))
for name in ("loss", "val_loss"):
    values = vae.history_[name]
    ax.plot(np.arange(1, len(values) + 1), values, marker="o", label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("loss per image")
ax.legend()
fig.tight_layout()

# %%
# Reconstructions
# ---------------
# ``transform`` gives each image's latent code (the mean of its posterior);
# ``inverse_transform`` decodes codes back into float images in [0, 1].
codes = vae.transform(held_out)
reconstructions = vae.inverse_transform(codes)
print("codes:", codes.shape, codes.dtype, "- reconstructions:", reconstructions.shape)
print(f"held-out ELBO per image: {vae.score(held_out):.1f} (higher is better)")

pairs = np.concatenate([held_out / 255.0, reconstructions])
fig, ax = plt.subplots(figsize=(8, 2))
ax.imshow(emoji_grid(pairs, n_cols=len(held_out)))
ax.set_title("top: held-out emojis, bottom: their reconstructions")
ax.set_axis_off()

# %%
# New emojis from the prior
# -------------------------
# ``sample`` decodes random draws from the prior: emojis that exist nowhere
# in the catalog. By default the prior is the Gaussian mixture fitted to the
# training codes, so the draws land where real emojis' codes are;
# ``prior="normal"`` draws from the standard normal the training pulls the
# codes towards, which has holes where no emoji lives, and gives blobs.
fig, axes = plt.subplots(2, 1, figsize=(8, 6.4))
for ax, prior in zip(axes, ("mixture", "normal")):
    ax.imshow(emoji_grid(vae.set_params(prior=prior).sample(24, random_state=0), n_cols=8))
    ax.set_title(f'24 new faces, prior="{prior}"')
    ax.set_axis_off()
vae.set_params(prior="mixture")
fig.tight_layout()
plt.show()
