"""Reading Markdown and YAML content: what is checked and where it is in the file."""

from __future__ import annotations

import pytest

from amtslotse.errors import UserFacingError
from amtslotse.lint.sources import markdown_prose, markdown_source, read_source, yaml_source

SKIP = frozenset({"id", "synonyms", "forms", "phone"})


def test_markdown_markup_becomes_spaces_and_columns_stay():
    assert markdown_prose("## Das **Wohn·geld**") == "   Das   Wohn·geld  "
    assert (
        markdown_prose("1. [Antrag](https://x.de) stellen") == "    Antrag" + " " * 16 + "stellen"
    )
    assert markdown_prose("Für Bürger*innen") == "Für Bürger*innen"


def test_markdown_code_front_matter_and_comments_are_skipped():
    source = markdown_source(
        "a.md", "---\ntitle: x\n---\nText.\n```\ncode here\n```\n<!-- note -->\nEnde."
    )
    assert source.text.split("\n") == ["", "", "", "Text.", "", "", "", "", "Ende."]


def test_yaml_texts_and_their_positions():
    content = (
        "- id: wohngeld\n"  # 1
        "  name: Wohn·geld\n"  # 2
        "  synonyms: [Wohngeld]\n"  # 3
        '  phone: "0123 45"\n'  # 4
        "  text: |\n"  # 5
        "    Erste Zeile.\n"  # 6
        "\n"  # 7
        "    Zweite Zeile.\n"  # 8
        "  title: 'Zitat.'\n"  # 9
        "  walk_in: no\n"  # 10
    )
    source = yaml_source("s.yml", content, SKIP)
    lines = source.text.split("\n")
    assert lines == ["Wohn·geld", "Erste Zeile.", "", "Zweite Zeile.", "Zitat."]
    assert [source.locate(i + 1, 1) for i in range(len(lines))] == [
        (2, 9),
        (6, 5),
        (7, 5),
        (8, 5),
        (9, 11),
    ]


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(UserFacingError, match=r"s.yml:2: not valid YAML"):
        yaml_source("s.yml", "a: 1\nb: c: d\n", SKIP)


def test_unreadable_paths_are_user_facing_errors(tmp_path):
    with pytest.raises(UserFacingError, match="no such file"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(UserFacingError, match="is a directory"):
        read_source(tmp_path)
