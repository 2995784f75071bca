"""Small synthetic emoji-like images for fast tests and examples."""

import numpy as np
from PIL import Image, ImageDraw
from sklearn.utils import check_random_state

SHAPES = ("face", "square", "diamond", "ring")


def _draw(shape, fill, feature, rng, size):
    scale = 2  # draw large, then downsample for smooth edges
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = rng.uniform(0.04, 0.18) * side
    box = (margin, margin, side - margin, side - margin)
    if shape == "face":
        draw.ellipse(box, fill=fill)
        eye = side * 0.07
        for x in (0.36, 0.64):
            draw.ellipse((x * side - eye, 0.38 * side - eye, x * side + eye, 0.38 * side + eye), fill=feature)
        draw.arc((0.3 * side, 0.35 * side, 0.7 * side, 0.75 * side), 20, 160, fill=feature, width=scale * 2)
    elif shape == "square":
        draw.rounded_rectangle(box, radius=side * 0.15, fill=fill)
    elif shape == "diamond":
        mid = side / 2
        draw.polygon([(mid, margin), (side - margin, mid), (mid, side - margin), (margin, mid)], fill=fill)
    else:
        draw.ellipse(box, outline=fill, width=int(side * 0.12))
    return np.asarray(image.resize((size, size), Image.Resampling.LANCZOS), dtype=np.uint8)


def make_emojis(n_samples=100, *, size=36, random_state=None, return_labels=False):
    """Generate small synthetic emoji-like RGBA images.

    Each image is one of four shapes (a smiling face, a rounded square, a
    diamond, a ring) in a random colour and size on a transparent background.
    Fast, deterministic given ``random_state``, and needs no data: use it for
    tests and quick experiments; use :func:`load_twemoji` for real emojis.

    Parameters
    ----------
    n_samples : int, default=100
        Number of images.
    size : int, default=36
        Side of the square images, in pixels.
    random_state : int, RandomState instance or None, default=None
        Seed for the shapes and colours.
    return_labels : bool, default=False
        If True, also return the shape index of each image.

    Returns
    -------
    images : ndarray of shape (n_samples, size, size, 4), uint8
        RGBA images.
    labels : ndarray of shape (n_samples,), int
        Only if ``return_labels``: index into ``("face", "square",
        "diamond", "ring")``.

    Examples
    --------
    >>> from skemoji.datasets import make_emojis
    >>> make_emojis(8, random_state=0).shape
    (8, 36, 36, 4)
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 4:
        raise ValueError(f"size must be an integer of at least 4, got {size!r}.")
    rng = check_random_state(random_state)
    labels = rng.randint(len(SHAPES), size=n_samples)
    images = np.empty((n_samples, size, size, 4), dtype=np.uint8)
    for i, label in enumerate(labels):
        fill = tuple(int(c) for c in rng.randint(40, 256, size=3)) + (255,)
        feature = tuple(int(c) for c in rng.randint(0, 80, size=3)) + (255,)
        images[i] = _draw(SHAPES[label], fill, feature, rng, size)
    if return_labels:
        return images, labels
    return images
