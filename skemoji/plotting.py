"""Emoji grids and strips as Pillow images (no matplotlib needed)."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

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


def _caption_font(size=13):
    """DejaVu Sans from matplotlib when installed (it covers accents and many scripts), else Pillow's own."""
    try:
        from matplotlib import font_manager

        return ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size)
    except (ImportError, OSError):
        return ImageFont.load_default(size=size)


def label_strip(picture, label, *, height=22, color=(40, 40, 48)):
    """Put a one-line caption above a picture (DejaVu Sans if matplotlib is installed).

    Parameters
    ----------
    picture : PIL.Image.Image
        The picture to caption, e.g. from :func:`emoji_grid`.
    label : str
        The caption.
    height : int, default=22
        Height of the caption band in pixels.
    color : tuple of int, default=(40, 40, 48)
        RGB colour of the caption text.

    Returns
    -------
    picture : PIL.Image.Image
        A new RGB image, ``height`` pixels taller than ``picture``.

    Examples
    --------
    >>> from PIL import Image
    >>> label_strip(Image.new("RGB", (100, 40), "white"), "hello").size
    (100, 62)
    """
    out = Image.new("RGB", (picture.width, picture.height + height), (255, 255, 255))
    out.paste(picture, (0, height))
    ImageDraw.Draw(out).text((4, 3), label, fill=color, font=_caption_font())
    return out


_PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]


def curves_chart(curves, *, title="", size=(480, 300), ylabel="loss"):
    """Draw training curves (e.g. an estimator's ``history_``) as a line chart.

    Parameters
    ----------
    curves : dict of str -> sequence of float
        One line per entry, indexed by epoch.
    title : str, default=""
        Caption above the chart.
    size : (int, int), default=(480, 300)
        Width and height in pixels.
    ylabel : str, default="loss"
        Label of the vertical axis.

    Returns
    -------
    picture : PIL.Image.Image

    Examples
    --------
    >>> chart = curves_chart({"loss": [3.0, 2.0, 1.5], "val_loss": [3.2, 2.4, 2.0]})
    >>> chart.size
    (480, 300)
    """
    width, height = size
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 58, width - 12, 28, height - 36
    series = {k: np.asarray(v, dtype=float) for k, v in curves.items() if len(v)}
    values = np.concatenate([v[np.isfinite(v)] for v in series.values()]) if series else np.array([])
    draw.text((left, 6), title, fill=(20, 20, 20))
    draw.rectangle((left, top, right, bottom), outline=(160, 160, 160))
    if values.size == 0:
        return image
    low, high = float(values.min()), float(values.max())
    high = high if high > low else low + 1.0
    n_epochs = max(len(v) for v in series.values())
    for tick in range(5):
        value = low + (high - low) * tick / 4
        y = bottom - (bottom - top) * tick / 4
        draw.line((left - 4, y, left, y), fill=(120, 120, 120))
        draw.text((4, y - 6), f"{value:.4g}", fill=(60, 60, 60))
    draw.text((left, bottom + 16), f"epoch (1..{n_epochs})   {ylabel}", fill=(60, 60, 60))
    for i, (name, values) in enumerate(series.items()):
        color = _PALETTE[i % len(_PALETTE)]
        xs = left + (right - left) * np.arange(len(values)) / max(n_epochs - 1, 1)
        ys = bottom - (bottom - top) * (values - low) / (high - low)
        points = [(float(x), float(y)) for x, y in zip(xs, ys) if np.isfinite(y)]
        if len(points) > 1:
            draw.line(points, fill=color, width=2)
        for x, y in points:
            draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=color)
        legend_y = top + 12 + 14 * i
        draw.line((right - 130, legend_y, right - 114, legend_y), fill=color, width=2)
        draw.text((right - 110, legend_y - 6), name, fill=color)
    return image


def ranking_strips(texts, ranked_images, *, scale=2, caption_height=22):
    """One row per text: the text as a caption, then its ranked emojis, best first.

    Parameters
    ----------
    texts : sequence of str
        The captions (Pillow's default font: Latin script reads best).
    ranked_images : sequence of array-like of shape (k, 36, 36, 4)
        For each text, the images of its ranked emojis.
    scale : int, default=2
        Pixel magnification of the emojis.
    caption_height : int, default=22
        Height of each caption line in pixels.

    Returns
    -------
    picture : PIL.Image.Image

    Examples
    --------
    >>> from skemoji.datasets import make_emojis
    >>> strips = ranking_strips(["hello", "bye"], [make_emojis(3), make_emojis(3)])
    >>> strips.size
    (232, 204)
    """
    rows = [
        label_strip(emoji_grid(images, n_cols=len(images), scale=scale, background="white"), text,
                    height=caption_height)
        for text, images in zip(texts, ranked_images)
    ]
    width = max(row.width for row in rows)
    out = Image.new("RGB", (width, sum(row.height for row in rows)), (255, 255, 255))
    y = 0
    for row in rows:
        out.paste(row, (0, y))
        y += row.height
    return out
