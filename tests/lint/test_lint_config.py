"""The config file: defaults, overrides, and mistakes that must not pass silently."""

from __future__ import annotations

import pytest

from amtslotse.errors import UserFacingError
from amtslotse.lint import RULE_IDS, Severity, load_config
from amtslotse.lint.config import config_from_mapping


def test_default_file_configures_every_rule():
    config = load_config()
    assert {rule: config.severity(rule) is not None for rule in RULE_IDS} == dict.fromkeys(
        RULE_IDS, True
    )
    assert config.max_words == 12
    assert "möchten" in config.allowed_konjunktiv
    assert "Kfz" in config.allowed_abbreviations


def test_options_and_severities_are_read():
    config = config_from_mapping(
        {
            "rules": {
                "satzlaenge": {"severity": "warning", "max_words": 8},
                "man": {"severity": "off"},
            }
        }
    )
    assert (config.max_words, config.severity("satzlaenge"), config.severity("man")) == (
        8,
        Severity.WARNING,
        None,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": {"passive": {}}}, "unknown rule 'passive'"),
        (
            {"rules": {"passiv": {"severity": "hoch"}}},
            "passiv.severity must be error, warning, info or off",
        ),
        (
            {"rules": {"satzlaenge": {"max_words": 0}}},
            "satzlaenge.max_words must be a whole number above 0",
        ),
        (
            {"rules": {"verneinung": {"allowed": ["("]}}},
            "verneinung.allowed must be regular expressions",
        ),
        ({"rules": {"man": {"limit": 3}}}, "unknown option 'limit' of man"),
        ({"rule": {}}, "unknown section 'rule'"),
    ],
)
def test_mistakes_are_named(data, message):
    with pytest.raises(UserFacingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        config_from_mapping(data)


def test_missing_config_file_named_on_the_command_line(tmp_path):
    with pytest.raises(UserFacingError, match="config file not found"):
        load_config(tmp_path / "lint.yml")
