"""Quiet by default: plain use in a fresh process writes nothing to stderr.

Each test runs Python in a subprocess, since TensorFlow prints its start-up
lines once per process, when it is first imported.
"""

import os
import subprocess
import sys

# Several networks fitted and used on batches of changing sizes: what used to print
# TensorFlow's start-up lines and its "triggered tf.function retracing" warnings.
PLAIN_USE = """
from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import make_emojis

X = make_emojis(48, random_state=0)
vaes = [EmojiVAE(latent_dim=2, epochs=1, batch_size=16, random_state=seed).fit(X) for seed in range(3)]
for vae in vaes:
    for n in (1, 5, 17, 33):
        vae.inverse_transform(vae.transform(X[:n]))
        vae.sample(n, random_state=0)
        vae.score(X[:n])
texts, emojis = ["I love you", "hot fire", "so funny lol"] * 4, ["❤", "🔥", "😂"] * 4
ranker = SiameseEmojiRanker(vae=vaes[0], catalog_languages=(), epochs=1,
                            random_state=0).fit(texts, emojis)
for n in range(1, 9):
    ranker.rank(texts[:n], k=2)
    ranker.predict_proba(texts[:n])
print("done")
"""


def _python(code):
    # The user's own TensorFlow log settings would change what is printed: run without them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=600)


def test_plain_fit_transform_and_rank_are_silent():
    result = _python(PLAIN_USE)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "done\n"
    assert result.stderr == ""


def test_verbose_brings_progress_back():
    code = """
from skemoji import EmojiVAE
from skemoji.datasets import make_emojis
EmojiVAE(latent_dim=2, epochs=2, batch_size=16, verbose=1, random_state=0).fit(make_emojis(32, random_state=0))
"""
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert "Epoch 2/2" in result.stdout


def test_other_stderr_output_during_the_import_is_kept():
    """Only TensorFlow's start-up lines are dropped while it is imported; anything else passes."""
    code = """
import os
from skemoji import _keras_base
with _keras_base._startup_noise_dropped():
    os.write(2, b"I0000 00:00:1.0 port.cc:153] oneDNN custom operations are on.\\n")
    os.write(2, b"something else\\n")
"""
    result = _python(code)
    assert result.returncode == 0
    assert result.stderr == "something else\n"


def test_only_retracing_warnings_are_filtered():
    import logging

    from skemoji import _keras_base

    record = logging.LogRecord("tensorflow", logging.WARNING, __file__, 1,
                               "5 out of the last 5 calls to f triggered tf.function retracing.", None, None)
    other = logging.LogRecord("tensorflow", logging.WARNING, __file__, 1, "something else", None, None)
    assert _keras_base._RETRACING_FILTER.filter(record) is False
    assert _keras_base._RETRACING_FILTER.filter(other) is True
