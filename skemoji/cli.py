"""The ``skemoji`` command: the demo, and each capability usable from a shell.

Errors the user can fix (a missing file, a bad CSV column, an unknown emoji)
are printed as one line on stderr with exit code 1; usage errors exit with 2,
as argparse does. Output is the answer alone, plus progress for the long steps
(training); ``-v`` lets TensorFlow's own log lines through as well.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

from ._keras_base import progress_verbosity, show_tensorflow_logs
from ._version import __version__

DEFAULT_DEMO_DIR = Path("skemoji-demo")
RANKER_FILE = "ranker.skemoji"
VAE_FILE = "vae.skemoji"


class CommandError(Exception):
    """A problem to report to the user in one line."""


def _load_model(path, kind):
    from . import load

    path = Path(path)
    if not path.exists():
        raise CommandError(f"no saved model at {path}; run `skemoji demo` or `skemoji fit-{kind}` first")
    model = load(path)
    if type(model).__name__ != {"vae": "EmojiVAE", "ranker": "SiameseEmojiRanker"}[kind]:
        raise CommandError(f"{path} holds a {type(model).__name__}, not a {kind}")
    return model


def _read_pairs(args):
    """(texts, emojis) from --csv or --tweeteval, for fit-ranker and evaluate."""
    from .datasets import load_tweeteval

    if args.tweeteval:
        data = load_tweeteval(args.tweeteval, split=args.split)
        return data.text, data.emoji
    path = Path(args.csv)
    if not path.is_file():
        raise CommandError(f"CSV file {path} does not exist")
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [c for c in (args.text_column, args.emoji_column) if c not in columns]
        if missing:
            raise CommandError(
                f"{path} has no column {missing[0]!r} (columns: {', '.join(columns) or 'none'}); "
                f"use --text-column/--emoji-column"
            )
        rows = list(reader)
    if not rows:
        raise CommandError(f"{path} has no data rows")
    return [r[args.text_column] for r in rows], [r[args.emoji_column] for r in rows]


def _fit_vae(args):
    import numpy as np

    from ._vae import EmojiVAE
    from .datasets import load_twemoji

    images = load_twemoji().images
    if args.limit:
        rng = np.random.RandomState(args.seed)
        images = images[np.sort(rng.permutation(len(images))[: args.limit])]
    print(f"Fitting EmojiVAE(latent_dim={args.latent_dim}) on {len(images)} Twemoji images ...")
    params = {"latent_dim": args.latent_dim, "random_state": args.seed, "verbose": progress_verbosity()}
    if args.epochs:
        params["epochs"] = args.epochs
    vae = EmojiVAE(**params).fit(images)
    vae.save(args.out)
    print(f"Saved the VAE to {args.out} (ELBO per training image: {vae.score(images):.1f})")
    return 0


def _generate(args):
    from .plotting import emoji_grid

    vae = _load_model(args.model, "vae")
    images = vae.sample(args.n, random_state=args.seed)
    emoji_grid(images, scale=3).save(args.out)
    print(f"Wrote {args.n} generated emojis to {args.out}")
    return 0


def _fit_ranker(args):
    from .ranker import SiameseEmojiRanker

    languages = _catalog_languages(args.languages)
    texts, emojis = _read_pairs(args)
    params = {"random_state": args.seed, "verbose": progress_verbosity(), "catalog_languages": languages}
    if args.epochs:
        params["epochs"] = args.epochs
    if args.vae:
        # Its encoder's codes, unrefined, as the ranker's own VAE gives them: refined ones cost
        # recall on added emojis (benchmarks/results/ranker_vae.md), and refining takes ~12 ms
        # per catalog image on 2 cores (benchmarks/results/vae.md).
        params["vae"] = _load_model(args.vae, "vae").set_params(refine_steps=0)
    print(f"Fitting SiameseEmojiRanker on {len(texts)} (text, emoji) pairs ...")
    ranker = SiameseEmojiRanker(**params).fit(texts, emojis)
    ranker.save(args.out)
    print(f"Saved the ranker ({len(ranker.classes_)} candidate emojis) to {args.out}")
    return 0


def _catalog_languages(value):
    """--languages as catalog_languages: "en,fr" is ("en", "fr"), "none" is ()."""
    if value.strip().lower() == "none":
        return ()
    languages = tuple(part.strip() for part in value.split(",") if part.strip())
    if not languages:
        raise CommandError(f"--languages takes CLDR language codes such as en,fr, or none; got {value!r}")
    return languages


def _rank(args):
    if args.model is None:
        from ._pretrained import load_pretrained

        ranker = load_pretrained("ranker")
    else:
        ranker = _load_model(args.model, "ranker")
    if args.k < 1:
        raise CommandError(f"-k must be at least 1, got {args.k}")
    texts, from_stdin = args.texts, args.texts == ["-"]
    if from_stdin:
        texts = [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
        if not texts:
            raise CommandError("no texts on standard input (one per line, with TEXT -)")
    k = min(args.k, ranker._n_answers(args.skin_tones))  # as many as there are, if fewer
    for text, emojis in zip(texts, ranker.rank(texts, k=k, skin_tones=args.skin_tones)):
        prefix = f"{text}\t" if len(texts) > 1 or from_stdin else ""
        print(prefix + " ".join(emojis))
    return 0


def _evaluate(args):
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score

    ranker = _load_model(args.model, "ranker")
    texts, emojis = _read_pairs(args)
    from ._emoji import normalize_emoji

    truth = np.array([normalize_emoji(e) for e in emojis], dtype=object)
    unknown = sorted(set(truth) - set(ranker.classes_))
    if unknown:
        raise CommandError(f"answers not among the ranker's candidates: {' '.join(unknown[:10])}")
    k = min(5, len(ranker.classes_))
    ranked = ranker.rank(texts, k=k)
    metrics = {
        "n": len(truth),
        "accuracy": float(accuracy_score(truth, ranked[:, 0])),
        "f1_macro": float(f1_score(truth, ranked[:, 0], average="macro")),
        f"top{k}_accuracy": float(np.mean([t in row for t, row in zip(truth, ranked)])),
    }
    print(json.dumps(metrics, indent=1))
    return 0


def _demo(args):
    from ._demo import run_demo

    run_demo(Path(args.out), quick=args.quick)
    return 0


def _add_pair_source(parser):
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", help="CSV file of (text, emoji) pairs")
    source.add_argument("--tweeteval", metavar="DIR", help="a TweetEval emoji directory")
    parser.add_argument("--split", default="train", help="TweetEval split (default: %(default)s)")
    parser.add_argument("--text-column", default="text", help="CSV text column (default: %(default)s)")
    parser.add_argument("--emoji-column", default="emoji", help="CSV emoji column (default: %(default)s)")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skemoji",
        description="Emoji models for scikit-learn: learn emoji images, answer texts with emojis.",
    )
    parser.add_argument("--version", action="version", version=f"skemoji {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print TensorFlow's own log lines (start-up, devices), hidden by default")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="train both models on the built-in data and write a report",
        description="Train an EmojiVAE on the Twemoji images and a SiameseEmojiRanker on emoji "
        "names in several languages, then write report.html, pictures, metrics.json and the "
        "saved models into --out.",
    )
    demo.add_argument("--out", default=str(DEFAULT_DEMO_DIR), help="output directory (default: %(default)s)")
    demo.add_argument("--quick", action="store_true", help="a much shorter run, for a smoke test")
    demo.set_defaults(handler=_demo)

    fit_vae = commands.add_parser("fit-vae", help="fit an EmojiVAE on the Twemoji images and save it")
    fit_vae.add_argument("--out", default=VAE_FILE, help="model file to write (default: %(default)s)")
    fit_vae.add_argument("--latent-dim", type=int, default=16, help="latent dimensions (default: %(default)s)")
    fit_vae.add_argument("--epochs", type=int, help="training epochs (default: the estimator's)")
    fit_vae.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    fit_vae.add_argument("--limit", type=int, help="train on a random subset of this many images (a quick look)")
    fit_vae.set_defaults(handler=_fit_vae)

    generate = commands.add_parser("generate", help="draw novel emojis from a saved VAE into a PNG grid")
    generate.add_argument("--model", default=str(DEFAULT_DEMO_DIR / VAE_FILE),
                          help="saved VAE (default: %(default)s)")
    generate.add_argument("-n", type=int, default=36, help="how many emojis (default: %(default)s)")
    generate.add_argument("--out", default="generated.png", help="PNG to write (default: %(default)s)")
    generate.add_argument("--seed", type=int, default=None, help="random seed (default: none)")
    generate.set_defaults(handler=_generate)

    fit_ranker = commands.add_parser("fit-ranker",
                                     help="fit a SiameseEmojiRanker on (text, emoji) pairs and save it")
    _add_pair_source(fit_ranker)
    fit_ranker.add_argument("--vae", help="a saved VAE for the answer tower, read through its encoder "
                            "without refinement (default: fit one)")
    fit_ranker.add_argument("--out", default=RANKER_FILE, help="model file to write (default: %(default)s)")
    fit_ranker.add_argument("--epochs", type=int, help="training epochs (default: the estimator's)")
    fit_ranker.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    fit_ranker.add_argument("--languages", default="en",
                            help="CLDR languages whose emoji names and keywords are trained on beside "
                            "the pairs, comma-separated (e.g. en,fr), or none (default: %(default)s)")
    fit_ranker.set_defaults(handler=_fit_ranker)

    rank = commands.add_parser("rank", help="print the best emojis for texts")
    rank.add_argument("texts", nargs="+", metavar="TEXT",
                      help="text(s) to answer; - reads them from standard input, one per line")
    rank.add_argument("-k", type=int, default=5, help="how many emojis per text (default: %(default)s)")
    rank.add_argument("--model", help="a saved ranker (default: the pretrained one that ships with skemoji)")
    rank.add_argument("--skin-tones", action="store_true",
                      help="let every skin-tone variant answer (👍🏽 and 👍🏿 beside 👍); by default "
                      "each emoji answers in one tone, the toneless one where the ranker has it")
    rank.set_defaults(handler=_rank)

    evaluate = commands.add_parser("evaluate", help="score a saved ranker on (text, emoji) pairs")
    _add_pair_source(evaluate)
    evaluate.add_argument("--model", default=str(DEFAULT_DEMO_DIR / RANKER_FILE),
                          help="saved ranker (default: %(default)s)")
    evaluate.set_defaults(handler=_evaluate)
    return parser


def main(argv=None):
    """Run the ``skemoji`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.verbose:
        show_tensorflow_logs()
    try:
        return args.handler(args)
    except (CommandError, ValueError, TypeError, OSError) as exc:
        print(f"skemoji {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"skemoji {args.command}: interrupted", file=sys.stderr)
        return 130
