"""What both estimators share: lazy Keras import, seeding, training, history and pickling.

Keras models are not pickled as Keras objects. An estimator names its
networks in ``_network_attributes`` and rebuilds them from its parameters and
fitted attributes in ``_build_networks``; pickling and :mod:`skemoji._persistence`
store only their weights, so nothing but arrays ever crosses a file boundary.
"""

import contextlib
import logging
import os
import random
import re
import sys
import tempfile

import numpy as np

from ._persistence import save

_KERAS = None


# Lines TensorFlow's C++ side writes to stderr while it loads, on every import: absl's notice
# that it logs before being initialised, and INFO/WARNING lines such as "oneDNN custom
# operations are on" or "Could not find cuda drivers". TF_CPP_MIN_LOG_LEVEL does not hide
# them, because they are written before TensorFlow reads it.
_STARTUP_NOISE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\)|[IW]\d{4} )")


class _NoRetracingWarnings(logging.Filter):
    """Drops tf.function's "triggered tf.function retracing" performance hints.

    Keras traces a training and a prediction function for every network it
    builds, and skemoji builds several per fit (and per search candidate), so
    TensorFlow's heuristic warns about "excessive" retracing although nothing
    is wrong and the user can do nothing about it. Other TensorFlow messages
    pass.
    """

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


_RETRACING_FILTER = _NoRetracingWarnings()


_SHOW_STARTUP_LOGS = False


def show_tensorflow_logs():
    """Let TensorFlow's own log messages through, for diagnosing an installation (the CLI's ``-v``).

    Call it before the first model is built: the C++ start-up lines are
    written while TensorFlow is imported.
    """
    global _SHOW_STARTUP_LOGS
    _SHOW_STARTUP_LOGS = True
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"
    logging.getLogger("tensorflow").removeFilter(_RETRACING_FILTER)


@contextlib.contextmanager
def _startup_noise_dropped():
    """Capture file descriptor 2 during the block, then write back all but TensorFlow's start-up lines.

    The C++ side writes to the descriptor, not to ``sys.stderr``, so only
    redirecting the descriptor catches it. Anything else written meanwhile
    (another thread's warning, an error message) is passed on afterwards.
    """
    try:
        stderr_fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # stderr replaced (a notebook, pytest's capture)
        stderr_fd = 2
    sys.stderr.flush()
    try:
        saved = os.dup(stderr_fd)
    except OSError:  # no standard error at all (closed, pythonw): nothing to keep quiet
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), stderr_fd)
        try:
            yield
        finally:
            os.dup2(saved, stderr_fd)
            os.close(saved)
            captured.seek(0)
            kept = [
                line
                for line in captured.read().decode("utf-8", "replace").splitlines(keepends=True)
                if not _STARTUP_NOISE.match(line)
            ]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


def import_keras():
    """Import Keras on the TensorFlow backend on first use, quietly and core-aware.

    TensorFlow takes seconds to import, so :mod:`skemoji` defers it until a
    model is built. Its C++ start-up log lines are dropped, and so are its
    tf.function retracing hints (see :func:`show_tensorflow_logs` to see
    them). Inside a joblib/loky worker, ``OMP_NUM_THREADS`` holds the
    worker's share of the cores; TensorFlow ignores it, so it is passed on
    explicitly to avoid oversubscribing the machine in parallel searches.
    """
    global _KERAS
    if _KERAS is None:
        # 3 hides C++ errors logged after start-up too, such as "failed call to cuInit" on a
        # machine without a GPU; a user's own setting wins.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        if _SHOW_STARTUP_LOGS or "tensorflow" in sys.modules:
            import tensorflow as tf
        else:
            with _startup_noise_dropped():
                import tensorflow as tf
        if not _SHOW_STARTUP_LOGS:
            logging.getLogger("tensorflow").addFilter(_RETRACING_FILTER)

        threads = os.environ.get("OMP_NUM_THREADS", "")
        if threads.isdigit() and int(threads) > 0:
            with contextlib.suppress(RuntimeError):  # already initialised by the caller
                tf.config.threading.set_intra_op_parallelism_threads(int(threads))
                tf.config.threading.set_inter_op_parallelism_threads(int(threads))
        import keras

        if keras.backend.backend() != "tensorflow":
            raise ImportError(
                f"skemoji needs the TensorFlow backend of Keras, but KERAS_BACKEND is "
                f"{keras.backend.backend()!r}."
            )
        _KERAS = keras
    return _KERAS


def seed_from(random_state):
    """An int seed for Keras from an sklearn-style ``random_state``."""
    if random_state is None:
        return int(np.random.default_rng().integers(2**31 - 1))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(2**31 - 1))
    return int(random_state)


@contextlib.contextmanager
def callers_random_state_kept():
    """Give the caller's ``random`` and NumPy global states back after the block.

    Keras draws default seeds for new layers from Python's ``random``, so even
    rebuilding a network (when unpickling) would otherwise advance it.
    """
    python_state, numpy_state = random.getstate(), np.random.get_state()
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


@contextlib.contextmanager
def traced_gradients_released():
    """Unregister the custom gradients TensorFlow registers while the block traces.

    Keras' optimizers all-reduce gradients through ``tf.custom_gradient``,
    which, in graph mode, registers a gradient function under a fresh
    ``CustomGradient-<n>`` name in TensorFlow's process-wide gradient registry
    and never removes it (tensorflow/tensorflow#97697). That function's closure
    holds tensors of the traced training graph, so every fit pinned its whole
    graph and sub-functions: some 15 MiB per fit that neither dropping the
    estimator nor ``keras.backend.clear_session()`` gave back.

    Such a gradient is only looked up while the graph that registered it is
    being differentiated, i.e. during that trace, so once a fit's training
    block is over the entries it added are dead and dropping them lets the
    graph be garbage-collected. Fitted networks are unaffected: predicting
    never differentiates. (Concurrent fits in threads of one process were
    never supported: Keras' seeding is process-global.)
    """
    try:
        from tensorflow.python.framework import ops

        registry = ops._gradient_registry._registry
    except (ImportError, AttributeError):  # TensorFlow's internals moved: nothing to release
        registry = None
    if not isinstance(registry, dict):
        yield
        return
    before = set(registry)
    try:
        yield
    finally:
        for name in [n for n in registry if n not in before and n.startswith("CustomGradient-")]:
            registry.pop(name, None)


@contextlib.contextmanager
def keras_seed(random_state):
    """Seed Keras, NumPy and ``random`` for the block, then give the caller's states back.

    ``keras.utils.set_random_seed`` seeds the global generators, which belong to
    the caller; fitting must not change them. The block is where estimators
    build and train their networks, so it also releases the gradients traced
    in it (see :func:`traced_gradients_released`).
    """
    keras = import_keras()
    with callers_random_state_kept(), traced_gradients_released():
        keras.utils.set_random_seed(seed_from(random_state))
        yield


def keras_verbose(verbose):
    """Map the estimators' ``verbose`` to Keras' (0 silent, 1 progress bar, 2 one line per epoch)."""
    return min(int(verbose), 2)


def progress_verbosity():
    """Keras' ``verbose`` for command-line runs: progress bars on a terminal, one line per epoch in logs."""
    return 1 if sys.stdout.isatty() else 2


def history_dict(history):
    """Keras ``History`` -> plain dict of lists of floats (picklable, JSON-able)."""
    return {key: [float(v) for v in values] for key, values in history.history.items()}


class KerasNetworksMixin:
    """Pickling of estimators that hold Keras networks, through their weights only.

    Subclasses define ``_network_attributes`` (names of fitted Keras models)
    and ``_build_networks()``, which sets those attributes from the
    parameters and the other fitted attributes.
    """

    _network_attributes = ()

    def _network_weights(self):
        pending = self.__dict__.get("_pending_network_weights")
        if pending is not None:
            return pending
        return {
            name: [np.asarray(w) for w in getattr(self, name).get_weights()]
            for name in self._network_attributes
            if getattr(self, name, None) is not None
        }

    def _restore_networks(self, weights):
        if not weights:
            return
        with callers_random_state_kept():
            self._build_networks()
        for name, values in weights.items():
            getattr(self, name).set_weights(values)

    def __getattr__(self, name):
        # Only reached when ``name`` is not set: networks of a loaded estimator are
        # rebuilt on first use, so loading one that never needs them imports no TensorFlow.
        if name in type(self)._network_attributes:
            pending = self.__dict__.pop("_pending_network_weights", None)
            if pending is not None:
                self._restore_networks(pending)
                if name in self.__dict__:
                    return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def save(self, path):
        """Save the fitted estimator to ``path`` in skemoji's safe, non-pickle format.

        The file is one zip archive of JSON and NumPy arrays; read it back
        with :func:`skemoji.load`, which never executes code from the file.
        Prefer it to pickle for files that travel: unpickling a file from an
        untrusted source can run arbitrary code.

        Parameters
        ----------
        path : str or path-like
            Where to write; the file is written exactly there.

        Returns
        -------
        path : pathlib.Path
            The path written.

        Examples
        --------
        >>> import os, tempfile
        >>> import numpy as np
        >>> import skemoji
        >>> from skemoji import EmojiVAE
        >>> from skemoji.datasets import make_emojis
        >>> X = make_emojis(32, random_state=0)
        >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(X)
        >>> path = vae.save(os.path.join(tempfile.mkdtemp(), "vae.skemoji"))
        >>> np.array_equal(skemoji.load(path).transform(X), vae.transform(X))
        True
        """
        return save(self, path)

    def __getstate__(self):
        state = super().__getstate__()  # sklearn's, which records its version
        dropped = set(self._network_attributes) | {"_pending_network_weights"}
        state = {k: v for k, v in state.items() if k not in dropped}
        state["_network_weights"] = self._network_weights()
        return state

    def __setstate__(self, state):
        state = dict(state)
        weights = state.pop("_network_weights", {})
        super().__setstate__(state)
        if weights:
            self.__dict__["_pending_network_weights"] = weights
