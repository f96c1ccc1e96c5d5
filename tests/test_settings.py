"""One Settings: it knows every variable, and the README's table lists exactly those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from amtslotse.errors import SetupError
from amtslotse.settings import VARIABLES, Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_variables() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", section, flags=re.M)


def test_the_readme_table_lists_every_variable_once():
    listed = _readme_variables()
    assert len(listed) == len(set(listed)), "a variable is listed twice"
    assert set(listed) == {v.name for v in VARIABLES}


def test_the_readme_table_says_what_the_settings_say():
    text = README.read_text(encoding="utf-8")
    for var in VARIABLES:
        row = f"| `{var.name}` | {var.default} | {var.meaning} |"
        assert row in text, f"README row for {var.name} differs from amtslotse/settings.py"


def test_defaults_run_everything_embedded():
    s = Settings.from_env({})
    assert s.host == "127.0.0.1" and s.lock_store_type == "in_memory"
    assert s.tracker_url.startswith("sqlite:///") and s.scheduling.database_url == ""


def test_children_read_the_same_settings_back():
    s = Settings.from_env({"PORTAL_PORT": "9090", "AMTSLOTSE_WIDGET_ORIGINS": "https://a.de/"})
    again = Settings.from_env(s.child_env())
    assert again.portal_port == 9090 and again.widget_origins == ("https://a.de",)
    assert again.scheduling_base_url == s.scheduling_base_url


def test_a_broken_number_is_a_clear_message():
    with pytest.raises(SetupError, match="RASA_PORT must be a whole number"):
        Settings.from_env({"RASA_PORT": "fünf"})
    with pytest.raises(SetupError, match="SCHEDULING_HOLD_MINUTES must be at least 1"):
        Settings.from_env({"SCHEDULING_HOLD_MINUTES": "0"})
