"""The ``skemoji`` command."""

import argparse
import sys
from pathlib import Path

from ._version import __version__


def _demo(args):
    # Until the full demo lands: render the whole Twemoji catalog as one picture.
    from .datasets import load_twemoji
    from .plotting import emoji_grid

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    twemoji = load_twemoji()
    print(f"Loaded {len(twemoji.images)} Twemoji images of shape {twemoji.images.shape[1:]}.")
    path = out / "twemoji.png"
    emoji_grid(twemoji.images, n_cols=64, scale=1, padding=1).save(path)
    print(f"Wrote {path}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skemoji",
        description="Emoji models for scikit-learn: learn emoji images, answer texts with emojis.",
    )
    parser.add_argument("--version", action="version", version=f"skemoji {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="train both models on the built-in data and write a report")
    demo.add_argument("--out", default="skemoji-demo", help="output directory (default: %(default)s)")
    demo.set_defaults(handler=_demo)
    return parser


def main(argv=None):
    """Run the ``skemoji`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except (ValueError, TypeError, FileNotFoundError, OSError) as exc:
        print(f"skemoji {args.command}: error: {exc}", file=sys.stderr)
        return 1
