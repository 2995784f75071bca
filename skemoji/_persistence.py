"""A safe file format for fitted skemoji estimators: JSON plus NumPy arrays in one zip file.

Why not pickle: unpickling runs code chosen by whoever wrote the file. Why
not a Keras ``.keras`` file: it also stores layer classes to instantiate. A
skemoji file holds only data: the estimator's class name (from a fixed
allow-list), its parameters and fitted attributes as JSON, and arrays (network
weights, codes, vocabularies) in an ``.npz`` read with ``allow_pickle=False``.
Loading rebuilds the networks from the estimator's own code
(``_build_networks``) and copies the weights in, so nothing in the file is ever
executed. A SHA-256 digest of both members detects corrupted or edited files,
and every value is checked against the types the format allows.

The allow-list is filled by the estimators themselves: each skemoji estimator
class is decorated with :func:`register_model_class` where it is defined, so
this module imports none of them (and :mod:`skemoji` imports them all, so
:func:`load` knows every class once :mod:`skemoji` is imported).

A save is atomic: the file is written beside ``path`` under a temporary name,
flushed to disk and only then renamed onto ``path``, so a save that fails
midway (a full disk, an interrupt) leaves any previous file at ``path`` intact.

Layout of the zip file::

    manifest.json   {"format": "skemoji-model", "format_version": 1,
                     "skemoji_version": ..., "sha256": {member: digest}}
    model.json      the encoded estimator (see ``_encode``)
    arrays.npz      the arrays that ``model.json`` refers to by key
"""

import contextlib
import hashlib
import io
import json
import os
import secrets
import stat
import zipfile
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import (
    CountVectorizer,
    HashingVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.utils.validation import check_is_fitted

from ._version import __version__

FORMAT = "skemoji-model"
FORMAT_VERSION = 1
_MEMBERS = ("manifest.json", "model.json", "arrays.npz")
# Dicts this large with str keys and int values (vocabularies) go to the arrays.
_LARGE_MAPPING = 64


# skemoji estimator classes a model file may name, filled by register_model_class.
_MODEL_CLASSES = {}
# scikit-learn objects that may appear inside a fitted skemoji estimator.
_SKLEARN_CLASSES = {
    cls.__name__: cls for cls in (TfidfVectorizer, TfidfTransformer, CountVectorizer, HashingVectorizer)
}


def register_model_class(cls):
    """Allow instances of ``cls`` in skemoji model files; use as a class decorator.

    ``cls`` is stored and loaded by its ``__name__``, through its
    ``__getstate__``/``__setstate__`` (see :class:`skemoji._keras_base.KerasNetworksMixin`)
    and its ``_network_attributes``.

    Parameters
    ----------
    cls : type
        A skemoji estimator class.

    Returns
    -------
    cls : type
        The same class, so that this works as a decorator.

    Raises
    ------
    ValueError
        If another class of the same name is registered already: a file could
        not tell the two apart.
    """
    registered = _MODEL_CLASSES.get(cls.__name__)
    # The same class defined anew (a module reloaded) replaces the old one; another class does not.
    if registered is not None and (registered.__module__, registered.__qualname__) != (
        cls.__module__,
        cls.__qualname__,
    ):
        raise ValueError(
            f"another model class named {cls.__name__!r} ({registered.__module__}) is registered already"
        )
    _MODEL_CLASSES[cls.__name__] = cls
    return cls


class ModelFileError(ValueError):
    """A file is not a valid skemoji model file (foreign, corrupted or edited)."""


class _Encoder:
    """Turns an estimator into JSON-able data plus a dict of arrays."""

    def __init__(self):
        self.arrays = {}

    def _store(self, array):
        key = f"a{len(self.arrays)}"
        self.arrays[key] = array
        return key

    def encode(self, value):
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, float, np.integer, np.floating, np.bool_)):
            return value.item() if isinstance(value, np.generic) else value
        if isinstance(value, np.ndarray):
            if value.dtype == object:
                if not all(isinstance(v, str) for v in value.flat):
                    raise TypeError("object arrays may hold only str to be saved")
                return {"__object_array__": self._store(value.astype(str)), "shape": list(value.shape)}
            return {"__array__": self._store(value)}
        if isinstance(value, type) and issubclass(value, np.generic):
            return {"__dtype__": np.dtype(value).name}
        if isinstance(value, (list, tuple)):
            items = [self.encode(v) for v in value]
            return {"__tuple__": items} if isinstance(value, tuple) else items
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise TypeError("dicts may have only str keys to be saved")
            if len(value) >= _LARGE_MAPPING and all(
                isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value.values()
            ):
                keys = np.array(list(value), dtype=str)
                values = np.fromiter(value.values(), dtype=np.int64, count=len(value))
                return {"__str_int_map__": [self._store(keys), self._store(values)]}
            return {"__dict__": {k: self.encode(v) for k, v in value.items()}}
        if isinstance(value, BaseEstimator):
            return self.encode_estimator(value)
        raise TypeError(f"cannot save a value of type {type(value).__name__}")

    def encode_estimator(self, estimator):
        name = type(estimator).__name__
        if name in _MODEL_CLASSES:
            state = estimator.__getstate__()  # networks as weights (KerasNetworksMixin)
            weights = state.pop("_network_weights", {})
            return {
                "__skemoji__": name,
                "state": self.encode(state),
                "weights": {net: [self._store(w) for w in ws] for net, ws in weights.items()},
            }
        if name in _SKLEARN_CLASSES:
            return {"__sklearn__": name, "state": self.encode(dict(vars(estimator)))}
        raise TypeError(f"cannot save an estimator of type {name}")


class _Decoder:
    """The inverse of :class:`_Encoder`; accepts only what the encoder writes."""

    def __init__(self, arrays):
        self.arrays = arrays

    def _array(self, key):
        if not isinstance(key, str) or key not in self.arrays:
            raise ModelFileError(f"the model refers to a missing array {key!r}")
        return self.arrays[key]

    def decode(self, value):
        if value is None or isinstance(value, (bool, str, int, float)):
            return value
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict) or len(value) == 0:
            raise ModelFileError(f"unexpected value {value!r:.80}")
        if "__array__" in value:
            return self._array(value["__array__"])
        if "__object_array__" in value:
            return self._array(value["__object_array__"]).astype(object).reshape(value["shape"])
        if "__dtype__" in value:
            try:
                return np.dtype(value["__dtype__"]).type
            except TypeError:
                raise ModelFileError(f"unknown dtype {value['__dtype__']!r}") from None
        if "__tuple__" in value:
            return tuple(self.decode(v) for v in value["__tuple__"])
        if "__str_int_map__" in value:
            keys, values = (self._array(k) for k in value["__str_int_map__"])
            return {str(k): int(v) for k, v in zip(keys, values)}
        if "__dict__" in value:
            return {str(k): self.decode(v) for k, v in value["__dict__"].items()}
        if "__skemoji__" in value or "__sklearn__" in value:
            return self.decode_estimator(value)
        raise ModelFileError(f"unexpected value {value!r:.80}")

    def _class_and_state(self, value, marker, classes, kind):
        """The allow-listed class named under ``marker``, and the decoded state mapping."""
        cls = classes.get(value[marker])
        if cls is None:
            raise ModelFileError(f"unknown {kind} class {value[marker]!r}")
        state = self.decode(value["state"])
        if not isinstance(state, dict):
            raise ModelFileError("an estimator's state must be a mapping")
        return cls, state

    def decode_estimator(self, value):
        if "__skemoji__" in value:
            cls, state = self._class_and_state(value, "__skemoji__", _MODEL_CLASSES, "estimator")
            weights = value.get("weights", {})
            if not isinstance(weights, dict):
                raise ModelFileError("network weights must be a mapping")
            state["_network_weights"] = {
                str(net): [self._array(k) for k in keys] for net, keys in weights.items()
            }
            unknown = set(state["_network_weights"]) - set(cls._network_attributes)
            if unknown:
                raise ModelFileError(f"unknown networks {sorted(unknown)} for {cls.__name__}")
            estimator = cls.__new__(cls)
            try:
                estimator.__setstate__(state)
            except (ValueError, TypeError, KeyError, IndexError) as exc:
                raise ModelFileError(
                    f"the stored {cls.__name__} does not fit its networks: {exc}"
                ) from None
            return estimator
        cls, state = self._class_and_state(value, "__sklearn__", _SKLEARN_CLASSES, "scikit-learn")
        estimator = cls.__new__(cls)
        estimator.__dict__.update(state)
        return estimator


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path, write):
    """Call ``write(file)`` on a temporary file beside ``path``, then move it onto ``path``.

    The temporary file lives in the same directory, so the final
    ``os.replace`` is a rename within one file system: readers of ``path`` see
    the old file or the complete new one, never a part. The data is flushed
    and fsynced before the rename, so a crash right after it cannot leave an
    empty file behind. On any failure, the temporary file is removed and
    ``path`` is untouched.
    """
    # A leading dot keeps the temporary file out of plain directory listings; the random
    # part lets concurrent saves to one path each finish (the last rename wins).
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # Created like open(path, "w") would: permissions from the umask, or kept from the file
    # replaced, which a save to an existing path should not loosen or tighten.
    mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o666
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only
    descriptor = os.open(temporary, flags, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if path.is_file():
            os.chmod(temporary, mode)  # os.open applied the umask to the mode of the file replaced
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory):
    """Persist a rename in ``directory`` (POSIX); a no-op where directories cannot be opened."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems refuse fsync on directories; the rename is still done
        pass
    finally:
        os.close(descriptor)


def save(estimator, path):
    """Write a fitted skemoji estimator to exactly ``path`` (one zip file), atomically.

    The file is written under a temporary name beside ``path`` and renamed
    onto it once complete, so a save that fails midway leaves any previous
    file at ``path`` intact. See :func:`skemoji.load` for reading it back;
    the format is described in :mod:`skemoji._persistence`.
    """
    check_is_fitted(estimator)
    encoder = _Encoder()
    try:
        model = encoder.encode_estimator(estimator)
    except TypeError as exc:
        raise TypeError(f"{type(estimator).__name__} cannot be saved: {exc}.") from None
    model_bytes = json.dumps(model, ensure_ascii=False, allow_nan=True).encode("utf-8")
    buffer = io.BytesIO()
    np.savez(buffer, **encoder.arrays)
    arrays_bytes = buffer.getvalue()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skemoji_version": __version__,
        "estimator": type(estimator).__name__,
        "sha256": {"model.json": _sha256(model_bytes), "arrays.npz": _sha256(arrays_bytes)},
    }
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; give a file path to save to.")

    def write(handle):
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            archive.writestr("model.json", model_bytes)
            archive.writestr("arrays.npz", arrays_bytes)

    _write_atomically(path, write)
    return path


def _read_member(archive, name, path):
    try:
        return archive.read(name)
    except KeyError:
        raise ModelFileError(f"{path} is not a skemoji model file: it has no {name}.") from None


def load(path):
    """Load an estimator written by ``est.save(path)``, without executing anything from the file.

    Parameters
    ----------
    path : str or path-like
        A file written by :meth:`EmojiVAE.save` or
        :meth:`SiameseEmojiRanker.save`.

    Returns
    -------
    estimator : EmojiVAE or SiameseEmojiRanker
        The fitted estimator, giving the same outputs as the one saved.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a skemoji model file, was written by an unknown
        format version, or was corrupted or edited (its digests do not match).

    See Also
    --------
    EmojiVAE.save, SiameseEmojiRanker.save : Write the file.

    Notes
    -----
    Use this format for models that travel (shared, published, downloaded);
    pickle and joblib are for files you wrote yourself, since unpickling runs
    code chosen by whoever wrote the file.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import skemoji
    >>> from skemoji.datasets import make_emojis
    >>> X = make_emojis(16, random_state=0)
    >>> vae = skemoji.EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "vae.skemoji")
    >>> _ = vae.save(path)
    >>> loaded = skemoji.load(path)
    >>> np.array_equal(loaded.transform(X), vae.transform(X))
    True
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No skemoji model file at {path}.")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ModelFileError(f"{path} is not a skemoji model file (not a zip archive).") from None
    with archive:
        names = set(archive.namelist())
        if names != set(_MEMBERS):
            raise ModelFileError(
                f"{path} is not a skemoji model file: expected members {list(_MEMBERS)}, "
                f"found {sorted(names)}."
            )
        try:
            manifest = json.loads(_read_member(archive, "manifest.json", path))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ModelFileError(f"{path}: manifest.json is not valid JSON.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ModelFileError(f"{path} is not a skemoji model file (wrong format marker).")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ModelFileError(
                f"{path} uses format version {manifest.get('format_version')!r}; this skemoji "
                f"({__version__}) reads version {FORMAT_VERSION}."
            )
        model_bytes = _read_member(archive, "model.json", path)
        arrays_bytes = _read_member(archive, "arrays.npz", path)
    digests = manifest.get("sha256") or {}
    for name, data in (("model.json", model_bytes), ("arrays.npz", arrays_bytes)):
        if digests.get(name) != _sha256(data):
            raise ModelFileError(
                f"{path}: {name} does not match its SHA-256 digest; the file was corrupted or edited."
            )
    try:
        model = json.loads(model_bytes)
        with np.load(io.BytesIO(arrays_bytes), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{path}: cannot read the model data ({exc}).") from None
    if not isinstance(model, dict) or model.get("__skemoji__") != manifest.get("estimator"):
        raise ModelFileError(f"{path}: the model does not match its manifest.")
    return _Decoder(arrays).decode_estimator(model)
