"""Sphinx configuration for the skemoji documentation.

Build with ``make docs`` (``sphinx -W --keep-going -b html docs docs/_build/html``).
Everything here works offline: no intersphinx inventories, no remote images.
"""

import os
import sys
import warnings
from datetime import date
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

# skemoji keeps TensorFlow quiet itself when the examples and autodoc import it.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")
# The gallery runs on shared 2-core machines: one TensorFlow thread pool each way.
os.environ.setdefault("OMP_NUM_THREADS", "2")

import skemoji  # noqa: E402

# -- Project information -----------------------------------------------------

project = "skemoji"
author = "skemoji developers"
copyright = f"{date.today().year}, {author}"
version = release = skemoji.__version__

# -- General configuration ---------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "generated/bench", "generated/cli"]
source_suffix = {".rst": "restructuredtext"}
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"

# -- autodoc / autosummary / numpydoc ---------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# numpydoc builds the method tables itself from the autosummary templates.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# scikit-learn's metadata-routing and set_output helpers are inherited by every
# estimator; their docstrings link into scikit-learn's own site, so they are
# left to scikit-learn's documentation.
_SKIPPED_INHERITED = {"set_output", "get_metadata_routing"}


def _skip_member(app, what, name, obj, skip, options):
    if name in _SKIPPED_INHERITED or (name.startswith("set_") and name.endswith("_request")):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_member)


# -- sphinx-gallery ----------------------------------------------------------


sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "doc_module": ("skemoji",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "reset_modules": ("matplotlib",),
    "show_memory": False,
    "min_reported_time": 1,
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "write_computation_times": True,
}

# Gallery examples print progress; Keras and TensorFlow chatter is not part of the story.
warnings.filterwarnings("ignore", category=DeprecationWarning, module="tensorflow")
warnings.filterwarnings("ignore", category=DeprecationWarning, module="keras")
warnings.filterwarnings("ignore", category=UserWarning, message="Matplotlib is currently using agg")

# -- HTML output -------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skemoji {release}"
html_static_path = ["_static"]
html_css_files = ["css/skemoji.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "logo": {"text": "skemoji"},
}
html_sidebars = {"index": [], "benchmarks": [], "auto_examples/*": []}
html_context = {"default_mode": "light"}

# -- Benchmarks: quote benchmarks/results/*.md, never retype the numbers -----

BENCH_RESULTS = ROOT / "benchmarks" / "results"
BENCH_SNIPPETS = DOCS / "generated" / "bench"
BENCH_REPORTS = [("vae", "bench_vae.py"), ("ranker", "bench_ranker.py"), ("pretrained", "bench_pretrained.py"),
                 ("memory", "bench_memory.py"), ("featurizer", "tune_featurizer.py"),
                 ("head", "tune_head.py"),
                 ("calibration", "tune_calibration.py"),
                 ("calibration_head", "tune_calibration.py --head"),
                 ("calibration_stack", "tune_calibration.py --stack"),
                 ("head_mixing", "tune_head_mixing.py"),
                 ("head_mixing_time", "head_mixing_time.py"),
                 ("calibration_zero_shot", "tune_calibration.py --zero-shot"),
                 ("zero_shot_bias", "zero_shot_bias.py"),
                 ("zero_shot_level", "tune_zero_shot_level.py"),
                 ("name_emojis", "tune_name_emojis.py"),
                 ("tower_scale", "tune_tower_scale.py"),
                 ("sentiment_weight", "tune_sentiment_weight.py --archives DIR"),
                 ("sentiment_data", "tune_sentiment_data.py --archives DIR"),
                 ("sentences", "bench_sentences.py --archives DIR"),
                 ("pretrained_variants", "tune_pretrained.py --archives DIR")]


def _markdown_to_html(text):
    """Render a benchmark report (Markdown with tables) as HTML, or None.

    Uses ``markdown-it-py``, which Keras brings in (through ``rich``); headings
    are demoted below the page's own and tables get the theme's table style.
    """
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return None
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    html = html.replace("<table>", '<table class="table">')
    return '<div class="skemoji-benchmark">\n' + html + "</div>\n"


def _write_bench_snippets():
    """Write one include-able snippet per benchmark report.

    When ``benchmarks/results/<name>.md`` exists, the snippet shows it as
    written by the benchmark script: rendered to HTML when possible, else
    verbatim (``literalinclude``), so the page always shows what the last
    benchmark run wrote and no figure is ever retyped. When it does not exist
    yet, the snippet says how to produce it instead of failing the build.
    """
    BENCH_SNIPPETS.mkdir(parents=True, exist_ok=True)
    for name, script in BENCH_REPORTS:
        source = BENCH_RESULTS / f"{name}.md"
        if source.is_file():
            html = _markdown_to_html(source.read_text(encoding="utf-8"))
            if html is not None:
                text = ".. raw:: html\n\n" + "".join(
                    f"   {line}\n" if line else "\n" for line in html.splitlines()
                )
            else:
                relative = os.path.relpath(source, BENCH_SNIPPETS)
                text = f".. literalinclude:: {relative}\n   :language: markdown\n"
            text += f"\n*Source:* ``benchmarks/results/{name}.md``, written by ``benchmarks/{script}``.\n"
        else:
            text = (
                ".. note::\n\n"
                f"   ``benchmarks/results/{name}.md`` has not been written yet on this checkout.\n"
                f"   Run ``python benchmarks/{script}`` and rebuild the docs to show its\n"
                "   figures here.\n"
            )
        target = BENCH_SNIPPETS / f"{name}.rst"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


_write_bench_snippets()


# -- Command line: the help texts come from the parser itself ---------------

CLI_SNIPPETS = DOCS / "generated" / "cli"


def _write_cli_help():
    """Write ``skemoji --help`` and each subcommand's help into text files."""
    import argparse

    from skemoji.cli import build_parser

    CLI_SNIPPETS.mkdir(parents=True, exist_ok=True)
    os.environ["COLUMNS"] = "88"  # stable line width for argparse
    parser = build_parser()
    texts = {"skemoji": parser.format_help()}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                texts[name] = sub.format_help()
    for name, text in texts.items():
        target = CLI_SNIPPETS / f"{name}.txt"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


_write_cli_help()
