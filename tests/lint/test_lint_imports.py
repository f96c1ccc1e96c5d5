"""Importing the checker does no work: spaCy and the word data load on first use."""

from __future__ import annotations

import subprocess
import sys


def test_import_loads_nothing_heavy():
    code = (
        "import sys, amtslotse.lint, amtslotse.run.commands.lint\n"
        "heavy = {'spacy', 'wordfreq', 'pyphen', 'german_nouns', 'tensorflow'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
