"""The examples in the checker's docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

from amtslotse.lint.rules.base import demo

MODULES = [
    "amtslotse.bench.realtext",
    "amtslotse.rasa.nlp.morphology",
    "amtslotse.lint.analysis",
    "amtslotse.lint.config",
    "amtslotse.lint.lexicon",
    "amtslotse.lint.model",
    "amtslotse.lint.readability",
    "amtslotse.lint.rules.grammatik",
    "amtslotse.lint.rules.woerter",
    "amtslotse.lint.rules.zahlen",
    "amtslotse.lint.sources",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    # Rule docstrings show what a rule flags with demo(rule, text).
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.ELLIPSIS, extraglobs={"demo": demo}
    )
    assert result.attempted > 0
    assert result.failed == 0
