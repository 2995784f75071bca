"""Emoji grids and strips as Pillow images (no matplotlib needed)."""

import numpy as np
from PIL import Image, ImageDraw

from ._validation import check_images


def _checkerboard(width, height, cell=8, light=(255, 255, 255), dark=(232, 232, 236)):
    """A light checkerboard, the usual backdrop that shows transparency."""
    ys, xs = np.mgrid[0:height, 0:width]
    mask = ((xs // cell) + (ys // cell)) % 2 == 1
    board = np.empty((height, width, 3), dtype=np.uint8)
    board[:] = light
    board[mask] = dark
    return Image.fromarray(board, "RGB").convert("RGBA")


def emoji_grid(images, n_cols=None, *, scale=2, padding=4, background="checker"):
    """Compose emoji images into one grid picture.

    Parameters
    ----------
    images : array-like of shape (n, 36, 36, 4)
        RGBA images, uint8 0..255 or float 0..1 (also flattened).
    n_cols : int, default=None
        Images per row; ``ceil(sqrt(n))`` by default.
    scale : int, default=2
        Each pixel becomes a ``scale`` x ``scale`` block (nearest neighbour,
        so a 36 px emoji is shown sharp at 72 px with ``scale=2``).
    padding : int, default=4
        Pixels between images and around the grid.
    background : {"checker", "white"}, default="checker"
        What shows through transparent pixels.

    Returns
    -------
    picture : PIL.Image.Image
        An RGB image.

    Examples
    --------
    >>> from skemoji.datasets import make_emojis
    >>> from skemoji.plotting import emoji_grid
    >>> emoji_grid(make_emojis(6, random_state=0), n_cols=3).size
    (232, 156)
    """
    images = check_images(images, name="images")
    n = len(images)
    n_cols = int(np.ceil(np.sqrt(n))) if n_cols is None else max(1, min(int(n_cols), n))
    n_rows = int(np.ceil(n / n_cols))
    side = images.shape[1] * scale
    width = n_cols * side + (n_cols + 1) * padding
    height = n_rows * side + (n_rows + 1) * padding
    if background == "checker":
        canvas = _checkerboard(width, height)
    elif background == "white":
        canvas = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    else:
        raise ValueError(f"background must be 'checker' or 'white', got {background!r}.")
    pixels = np.clip(np.rint(images * 255), 0, 255).astype(np.uint8)
    for i, image in enumerate(pixels):
        tile = Image.fromarray(image, "RGBA").resize((side, side), Image.Resampling.NEAREST)
        row, col = divmod(i, n_cols)
        canvas.alpha_composite(tile, (padding + col * (side + padding), padding + row * (side + padding)))
    return canvas.convert("RGB")


def label_strip(picture, label, *, height=22, color=(40, 40, 48)):
    """Put a one-line caption above a picture (Pillow's default font).

    Examples
    --------
    >>> from PIL import Image
    >>> label_strip(Image.new("RGB", (100, 40), "white"), "hello").size
    (100, 62)
    """
    out = Image.new("RGB", (picture.width, picture.height + height), (255, 255, 255))
    out.paste(picture, (0, height))
    ImageDraw.Draw(out).text((4, 4), label, fill=color)
    return out
