"""skemoji.distributed: ranking a corpus partition by partition on a Dask cluster."""

import sys

import numpy as np
import pytest

from skemoji.distributed import rank_partitions

pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
import dask  # noqa: E402  (after the skips: without the extra, the module is skipped)
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import distributed  # noqa: E402

CORPUS = np.array([f"{text} #{i}" for i, text in enumerate(
    ["I love you", "so hot today", "lol so funny", "love it", "fire", "", "haha"] * 5)], dtype=object)


@pytest.fixture(scope="module")
def client():
    # Two worker processes: the ranker really travels (pickled) to other processes, as on a cluster.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


def test_skemoji_import_does_not_import_dask():
    import subprocess

    code = "import sys, skemoji; print('dask' in sys.modules or 'distributed' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "False\n"


def test_bag_on_a_cluster_matches_rank(tiny_ranker, client):
    expected = tiny_ranker.rank(CORPUS, k=2)
    rankings = rank_partitions(tiny_ranker, db.from_sequence(CORPUS, npartitions=5), k=2, client=client)
    assert [list(row) for row in rankings.compute()] == expected.tolist()


def test_dataframe_column_on_a_cluster_keeps_the_index(tiny_ranker, client):
    frame = pd.DataFrame({"text": CORPUS}, index=np.arange(len(CORPUS)) * 10)
    rankings = rank_partitions(tiny_ranker, dd.from_pandas(frame, npartitions=4)["text"], k=3, client=client)
    result = rankings.compute()
    assert list(result.columns) == ["emoji_1", "emoji_2", "emoji_3"]
    np.testing.assert_array_equal(result.index, frame.index)
    np.testing.assert_array_equal(result.to_numpy(dtype=object), tiny_ranker.rank(CORPUS, k=3))


def _ranker_keys(client):
    """{worker address: keys of scattered rankers it holds}."""
    return {worker: {key for key in keys if str(key).startswith("SiameseEmojiRanker-")}
            for worker, keys in client.has_what().items()}


def test_the_ranker_is_sent_once_to_each_worker(tiny_ranker, client):
    before = _ranker_keys(client)
    rankings = rank_partitions(tiny_ranker, db.from_sequence(CORPUS, npartitions=6), k=1, client=client)
    new = {worker: keys - before[worker] for worker, keys in _ranker_keys(client).items()}
    # One copy on each of the 2 workers, under one key that all 6 partitions' tasks read.
    assert len(new) == 2 and all(len(keys) == 1 for keys in new.values())
    assert len(set.union(*new.values())) == 1
    assert len(rankings.compute()) == len(CORPUS)


def test_without_a_client_the_ranker_travels_in_the_graph_once(tiny_ranker):
    with dask.config.set(scheduler="threads"):
        rankings = rank_partitions(tiny_ranker, db.from_sequence(CORPUS, npartitions=4), k=2)
        graph = dict(rankings.__dask_graph__())
        assert sum(1 for value in graph.values() if value is tiny_ranker
                   or getattr(value, "value", None) is tiny_ranker) <= 1
        assert [list(r) for r in rankings.compute()] == tiny_ranker.rank(CORPUS, k=2).tolist()


def test_empty_partitions(tiny_ranker):
    with dask.config.set(scheduler="sync"):
        bag = db.from_sequence(["I love you"], npartitions=1).filter(lambda text: False)
        assert rank_partitions(tiny_ranker, bag, k=2).compute() == []


@pytest.mark.parametrize("texts, error, message", [
    (["a list"], TypeError, "dask.bag.Bag or a dask.dataframe.Series"),
    ("frame", TypeError, "text column"),
])
def test_refuses_other_collections(tiny_ranker, texts, error, message):
    if texts == "frame":
        texts = dd.from_pandas(pd.DataFrame({"text": CORPUS}), npartitions=2)
    with pytest.raises(error, match=message):
        rank_partitions(tiny_ranker, texts)


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_refuses_bad_k(tiny_ranker, k):
    with pytest.raises(ValueError, match="k must be"):
        rank_partitions(tiny_ranker, db.from_sequence(CORPUS[:2]), k=k)


def test_refuses_an_unfitted_ranker():
    from sklearn.exceptions import NotFittedError

    from skemoji import SiameseEmojiRanker

    with pytest.raises(NotFittedError):
        rank_partitions(SiameseEmojiRanker(), db.from_sequence(CORPUS[:2]))
