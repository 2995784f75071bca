"""Input checks shared by the estimators: clear messages instead of TensorFlow traces."""

import numbers

import numpy as np
import scipy.sparse as sp

from ._emoji import normalize_emoji

IMAGE_SHAPE = (36, 36, 4)
N_PIXELS = int(np.prod(IMAGE_SHAPE))


def check_images(X, *, name="X"):
    """Validate an emoji image batch and return it as float32 in [0, 1].

    Accepts ``(n, 36, 36, 4)`` or the flattened ``(n, 5184)`` form; unsigned or
    signed integers on the 0..255 scale (``uint8`` as read from PNGs), or floats
    in [0, 1].

    Returns
    -------
    images : ndarray of shape (n, 36, 36, 4), float32
    """
    if sp.issparse(X):
        raise TypeError(f"{name} is a sparse matrix; emoji images must be a dense array.")
    if isinstance(X, str):
        raise TypeError(f"{name} must be an array of images, got a str.")
    try:
        array = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} could not be read as an image array: {exc}") from None
    if array.dtype == object:
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must hold numbers; got non-numeric values.") from None
    if array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {name} must hold real pixel values.")
    if array.dtype.kind == "b" or array.dtype.kind not in "uif":
        raise TypeError(
            f"{name} must be numeric images (uint8 0..255 or float 0..1), got dtype {array.dtype}."
        )
    if array.ndim == 2 and array.shape[1] == N_PIXELS:
        array = array.reshape((-1,) + IMAGE_SHAPE)
    if array.ndim != 4 or array.shape[1:] != IMAGE_SHAPE:
        raise ValueError(
            f"{name} must be emoji images of shape (n, 36, 36, 4) (RGBA) or flattened "
            f"(n, {N_PIXELS}); got shape {array.shape}."
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: found 0 images, at least 1 is required.")
    if array.dtype.kind in "ui":
        if array.min() < 0 or array.max() > 255:
            raise ValueError(
                f"Integer {name} must be on the 0..255 scale; found values in "
                f"[{array.min()}, {array.max()}]."
            )
        return (array / 255.0).astype(np.float32)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinity; images must be finite.")
    low, high = float(array.min()), float(array.max())
    if low < 0.0 or high > 1.0:
        hint = " It looks like the 0..255 scale: pass uint8 or divide by 255." if high > 1.0 else ""
        raise ValueError(
            f"Float {name} must lie in [0, 1]; found values in [{low:g}, {high:g}].{hint}"
        )
    return array.astype(np.float32, copy=False)


def check_texts(X, *, name="X"):
    """Validate a 1-D array-like of strings and return an object ndarray of str."""
    if isinstance(X, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array-like of texts, got a single {type(X).__name__}; "
                        "wrap it in a list.")
    if X is None:
        raise TypeError(f"{name} must be a 1-D array-like of texts, got None.")
    if sp.issparse(X):
        raise TypeError(f"{name} must be texts, got a sparse matrix.")
    values = np.asarray(list(X) if not hasattr(X, "__array__") else X, dtype=object)
    if values.ndim == 2 and values.shape[1] == 1:  # a one-column frame
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array-like of texts, got shape {values.shape}.")
    if values.shape[0] == 0:
        raise ValueError(f"{name} is empty: found 0 texts, at least 1 is required.")
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise TypeError(
                f"{name} must contain only str; element {i} is {type(value).__name__} ({value!r})."
            )
    return values


def check_emojis(y, *, name="y"):
    """Validate a 1-D array-like of emoji strings and return them normalised (no U+FE0F)."""
    if y is None:
        raise ValueError(f"This estimator requires {name} to be passed, but the target {name} is None; "
                         "pass the emoji answer of each text.")
    if not isinstance(y, (str, bytes)) and not sp.issparse(y):
        # A wrong label type is a ValueError in scikit-learn ("Unknown label type").
        for i, value in enumerate(np.asarray(y, dtype=object).ravel()):
            if not isinstance(value, str):
                raise ValueError(
                    f"Unknown label type: {name} must contain emoji strings; element {i} is "
                    f"{type(value).__name__} ({value!r})."
                )
    values = check_texts(y, name=name)
    empty = [i for i, value in enumerate(values) if not normalize_emoji(value).strip()]
    if empty:
        raise ValueError(f"{name} must contain emoji strings; element {empty[0]} is empty.")
    return np.array([normalize_emoji(value).strip() for value in values], dtype=object)


def check_positive_int(value, name, *, minimum=1):
    """Return ``value`` as int if it is an integer >= ``minimum``, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)
