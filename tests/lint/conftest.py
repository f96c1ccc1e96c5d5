"""Shared fixtures: the project's pipeline and lint config, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from amtslotse.lint import LintConfig, LintReport, check_text, checker_pipeline, load_config


@pytest.fixture(scope="session")
def nlp():
    return checker_pipeline()


@pytest.fixture(scope="session")
def config() -> LintConfig:
    return load_config()


@pytest.fixture(scope="session")
def lint(nlp, config) -> Callable[[str], LintReport]:
    """Check a text with the default config."""

    def run(text: str) -> LintReport:
        return check_text(text, config, nlp)

    return run


@pytest.fixture(scope="session")
def rules_of(lint) -> Callable[[str], set[str]]:
    """The set of rule ids a text triggers."""

    def run(text: str) -> set[str]:
        return {f.rule for f in lint(text).findings}

    return run
