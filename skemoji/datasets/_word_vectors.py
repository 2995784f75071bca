"""GloVe word vectors of the 50,000 most frequent English words, from a file inside skemoji.

Made by ``tools/make_word_vectors.py`` (GloVe 6B 50-d, public domain under
the ODC PDDL; see ``LICENSE-GloVe.txt`` next to the data file).
"""

import functools
import io
from pathlib import Path

import numpy as np

_DATA_FILE = Path(__file__).parent / "data" / "glove_words.npz"


@functools.lru_cache(maxsize=1)
def load_word_vectors():
    """``(index, vectors)``: a dict of lower-case word to row, and float32 (n_words, 50) rows."""
    archive = np.load(io.BytesIO(_DATA_FILE.read_bytes()), allow_pickle=False)
    words = archive["words"].tobytes().decode("utf-8").split("\n")
    vectors = archive["vectors"].astype(np.float32) * archive["scales"][:, None]
    vectors.setflags(write=False)
    return {word: row for row, word in enumerate(words)}, vectors
