"""Rank a corpus too large for one machine on a Dask cluster.

A fitted :class:`~skemoji.SiameseEmojiRanker` is sent to each worker once,
then every partition of a Dask Bag or Dask DataFrame column of texts is
ranked where it lies, with the ranker's public :meth:`rank`. Nothing here is
imported by :mod:`skemoji` itself, and Dask is imported only when called:
install it with ``pip install "skemoji[distributed]"``.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["rank_partitions"]


def _rank_texts(texts, ranker, k):
    """One partition's rankings as a list of tuples (a Bag's partition is any iterable)."""
    texts = list(texts)
    if not texts:  # rank refuses empty input; an empty partition has no answers
        return []
    return [tuple(row) for row in ranker.rank(texts, k=k)]


def _rank_series(texts, ranker, k, columns):
    """One partition of a DataFrame column: a frame of ``k`` emoji columns, with the same index."""
    import pandas as pd

    if len(texts) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}, index=texts.index)
    ranked = np.asarray(ranker.rank(texts.to_numpy(dtype=object), k=k), dtype=object)
    return pd.DataFrame(ranked, index=texts.index, columns=columns, dtype=object)


def _shared(ranker, client):
    """The ranker as one piece of data in the cluster, which each worker fetches once.

    With a ``distributed`` client, ``scatter(broadcast=True)`` copies it to
    every worker up front, without passing through the scheduler; otherwise a
    ``dask.delayed`` value puts it in the graph once, under one key that all
    partitions' tasks depend on (a worker keeps what it fetched, so it fetches
    it once, not once per task).
    """
    if client is not None:
        return client.scatter(ranker, broadcast=True, hash=False)
    import dask

    return dask.delayed(ranker, pure=True, traverse=False)


def rank_partitions(ranker, texts, k=5, *, client=None):
    """Rank every text of a Dask Bag or DataFrame column, partition by partition.

    Parameters
    ----------
    ranker : SiameseEmojiRanker
        A fitted ranker (or any fitted estimator with a ``rank(X, k)`` method).
    texts : dask.bag.Bag of str or dask.dataframe.Series of str
        The texts, in as many partitions as suits the cluster (each partition
        is ranked by one task, so it must fit in a worker's memory: some 10^5
        texts per partition is a good size).
    k : int, default=5
        Emojis per text, best first; at most ``len(ranker.classes_)``.
    client : distributed.Client, default=None
        With a client, the ranker is scattered to every worker up front
        (``client.scatter(ranker, broadcast=True)``); without one it travels
        in the task graph, once per worker. Either way it is not re-sent with
        each partition.

    Returns
    -------
    rankings : dask.bag.Bag or dask.dataframe.DataFrame
        Lazy, like ``texts``: a Bag of ``k``-tuples of emoji strings in the
        order of ``texts``, or a DataFrame with the index of ``texts`` and
        columns ``emoji_1`` (the best) to ``emoji_k``. Call ``.compute()``,
        or write it out partition by partition (``to_textfiles``,
        ``to_parquet``) for a corpus larger than memory.

    Raises
    ------
    NotFittedError
        If ``ranker`` is not fitted.
    TypeError
        If ``texts`` is neither a Dask Bag nor a Dask DataFrame column.
    ValueError
        If ``k`` is not a positive integer.

    See Also
    --------
    SiameseEmojiRanker.rank : What each partition runs.

    Examples
    --------
    >>> import dask.bag as db
    >>> from skemoji import EmojiVAE, SiameseEmojiRanker
    >>> from skemoji.datasets import make_emojis
    >>> from skemoji.distributed import rank_partitions
    >>> vae = EmojiVAE(latent_dim=2, epochs=1, random_state=0).fit(make_emojis(32, random_state=0))
    >>> ranker = SiameseEmojiRanker(vae=vae, catalog_languages=(), epochs=1, random_state=0).fit(
    ...     ["I love you", "so hot", "lol funny"] * 4, ["❤", "🔥", "😂"] * 4)
    >>> texts = db.from_sequence(["love you", "fire", "haha", "hot love"], npartitions=2)
    >>> rankings = rank_partitions(ranker, texts, k=2)  # lazy: nothing ranked yet
    >>> result = rankings.compute(scheduler="threads")  # on a cluster: pass client=, then .compute()
    >>> len(result), len(result[0])
    (4, 2)
    """
    import dask.bag
    import dask.dataframe

    check_is_fitted(ranker)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    k = int(k)
    if isinstance(texts, dask.bag.Bag):
        return texts.map_partitions(_rank_texts, _shared(ranker, client), k)
    if isinstance(texts, dask.dataframe.Series):
        import pandas as pd

        columns = [f"emoji_{i + 1}" for i in range(k)]
        meta = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
        return texts.map_partitions(_rank_series, _shared(ranker, client), k, columns, meta=meta)
    raise TypeError(
        f"texts must be a dask.bag.Bag or a dask.dataframe.Series of str, got {type(texts).__name__}; "
        "for a DataFrame, pass its text column (frame['text'])."
    )
