"""The Leichte Sprache checker.

``check_text(text, config, nlp)`` runs every rule over a text and returns a
:class:`LintReport` (findings and readability scores); ``lint_items`` checks
many labelled texts at once (content check, bot responses);
``amtslotse lint`` is the command line (``amtslotse.run.commands.lint``).

Layout: ``rules/`` holds one small function per rule (stable ids in
``RULE_IDS``), ``config`` the thresholds and allow-lists read from
``content/leichte_sprache/lint.yml``, ``lexicon`` the word data
(german-nouns, wordfreq, pyphen; loaded lazily, once), ``readability`` the
scores, ``analysis`` lines and sentences, ``sources`` the file readers,
``pipeline`` the spaCy pipeline loader. Nothing is loaded at import time.
"""

from amtslotse.lint.checker import check_source, check_text, lint_items
from amtslotse.lint.config import RULE_IDS, LintConfig, default_config_path, load_config
from amtslotse.lint.lexicon import count_syllables, split_compound
from amtslotse.lint.model import Finding, LintReport, Scores, Severity, SourcedFinding
from amtslotse.lint.pipeline import checker_pipeline
from amtslotse.lint.readability import flesch_amstad, text_scores, wiener_sachtextformel
from amtslotse.lint.sources import Source, read_source

__all__ = [
    "RULE_IDS",
    "Finding",
    "LintConfig",
    "LintReport",
    "Scores",
    "Severity",
    "Source",
    "SourcedFinding",
    "check_source",
    "check_text",
    "checker_pipeline",
    "count_syllables",
    "default_config_path",
    "flesch_amstad",
    "lint_items",
    "load_config",
    "read_source",
    "split_compound",
    "text_scores",
    "wiener_sachtextformel",
]
