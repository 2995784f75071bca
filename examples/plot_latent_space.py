"""
========================
Walking the latent space
========================

The original "Neurally Embedded Emojis" work scanned its 16-dimensional
latent space in two dimensions: fix all codes but two, move those two over a
grid, and decode. :meth:`~skemoji.EmojiVAE.latent_grid` does the same for any
``latent_dim``, in the original three layouts:

- ``"A"``: the first half of the dimensions follow the horizontal coordinate,
  the second half the vertical one;
- ``"B"``: the dimensions alternate, horizontal, vertical, horizontal, ...;
- ``"C"``: pairs of dimensions alternate.

:meth:`~skemoji.EmojiVAE.interpolate` walks the straight line between the
codes of two emojis instead.
"""

# %%
# A quick VAE
# -----------
# As in :ref:`sphx_glr_auto_examples_plot_reconstructions.py`, the VAE learns
# only the face emojis of the Twemoji catalog, which keeps this example fast.
import matplotlib.pyplot as plt
import numpy as np

from skemoji import EmojiVAE
from skemoji.datasets import load_twemoji
from skemoji.plotting import emoji_grid

twemoji = load_twemoji()
is_face = np.array(["face" in name and "skin tone" not in name for name in twemoji.names])
vae = EmojiVAE(latent_dim=16, epochs=30, batch_size=16, prior_components=8, random_state=0)
vae.fit(twemoji.images[is_face])

# %%
# The three grid layouts
# ----------------------
# Each grid is ``ticks * ticks`` images, row by row: the first coordinate
# ``c1`` grows from left to right, the second ``c2`` from top to bottom, each
# over ``span``, in standard deviations of the learned prior around its mean
# (so the grid stays where the emojis' codes are). The layout decides which
# latent dimensions follow which.
ticks = 8
fig, axes = plt.subplots(1, 3, figsize=(12, 4.4))
for ax, layout in zip(axes, "ABC"):
    grid = vae.latent_grid(ticks=ticks, span=(-2, 2), layout=layout)
    ax.imshow(emoji_grid(grid, n_cols=ticks, scale=1, padding=2))
    ax.set_title(f'layout="{layout}"')
    ax.set_axis_off()
fig.tight_layout()

# %%
# Interpolating between two emojis
# --------------------------------
# ``interpolate(a, b)`` encodes both images and decodes evenly spaced points
# along the line between their codes. Each row shows the two original emojis
# at its ends, with the decoded path between them.
index = {emoji: i for i, emoji in enumerate(twemoji.emojis)}
pairs = [("😂", "😭"), ("🌞", "🌚"), ("😡", "😇"), ("🐯", "🐮")]
fig, axes = plt.subplots(len(pairs), 1, figsize=(8, 1.3 * len(pairs)))
for ax, (a, b) in zip(axes, pairs):
    start, stop = twemoji.images[index[a]], twemoji.images[index[b]]
    path = vae.interpolate(start, stop, n_steps=8)
    row = np.concatenate([start[np.newaxis] / 255.0, path, stop[np.newaxis] / 255.0])
    ax.imshow(emoji_grid(row, n_cols=len(row), scale=1, padding=2))
    ax.set_title(f"{twemoji.names[index[a]]}  ->  {twemoji.names[index[b]]}", fontsize=9)
    ax.set_axis_off()
fig.tight_layout()
plt.show()
