"""The README's Python snippets run as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_snippets():
    assert len(SNIPPETS) >= 2


@pytest.mark.slow
@pytest.mark.parametrize("number", range(len(SNIPPETS)))
def test_readme_snippet_runs(number, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the snippets write files (ranker.skemoji) into the working directory
    namespace = {"__name__": "__readme__"}
    exec(compile(SNIPPETS[number], f"README.md snippet {number + 1}", "exec"), namespace)
    if "add_candidates" in SNIPPETS[number]:
        assert "custom:party-parrot" in set(namespace["ranker"].classes_)
        assert (tmp_path / "ranker.skemoji").is_file()
    if "load_pretrained" in SNIPPETS[number]:
        assert len(namespace["ranker"].classes_) == 3979
