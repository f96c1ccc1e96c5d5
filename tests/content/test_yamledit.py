"""The round trip of content files: what an editor changes changes, nothing else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from amtslotse.core.content import load_catalogue
from amtslotse.core.content.review import review_checks, review_states, text_hash
from amtslotse.core.content.yamledit import ContentDocument, EditError
from amtslotse.settings import Paths

CONTENT = Paths().content
FILES = sorted(p for p in CONTENT.rglob("*.yml") if p.name != "lint.yml")


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_every_content_file_reads_and_writes_back_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert ContentDocument(text).dump() == text


SERVICE = """\
id: beispiel
name: Bei·spiel
# The first answer: the next step first.
text: |
  Stellen Sie den Antrag bald.
who: Das Amt hilft Ihnen.  # in its own words
synonyms:
  - Beispiel
  # a comment about the next one
  - Muster
hard_words: [Antrag, Amt]
documents: []
review:
  score: null
  reviewer: null
  date: null
"""


def test_a_changed_text_keeps_every_comment_and_the_order():
    doc = ContentDocument(SERVICE)
    doc.set_text(("text",), "Stellen Sie den Antrag sofort.\nDas geht auch per Post.")
    doc.set_text(("who",), "Das Sozial·amt hilft Ihnen.")
    out = doc.dump()
    # (An end-of-line comment keeps its column where the new value leaves room.)
    assert out == SERVICE.replace(
        "  Stellen Sie den Antrag bald.\n",
        "  Stellen Sie den Antrag sofort.\n  Das geht auch per Post.\n",
    ).replace("who: Das Amt hilft Ihnen.  #", "who: Das Sozial·amt hilft Ihnen. #")


def test_a_list_keeps_its_style_and_the_comments_of_its_items():
    doc = ContentDocument(SERVICE)
    doc.set_list(("synonyms",), ["Beispiel", "Muster", "Ich will ein Beispiel"])
    doc.set_list(("hard_words",), ["Antrag"])
    doc.set_list(("documents",), ["Ihr Personal·ausweis."])
    out = doc.dump()
    assert "  # a comment about the next one\n  - Muster\n  - Ich will ein Beispiel\n" in out
    assert "hard_words: [Antrag]\n" in out
    assert "documents:\n  - Ihr Personal·ausweis.\n" in out
    assert out.index("synonyms:") < out.index("hard_words:") < out.index("review:")


def test_texts_that_need_quotes_get_them():
    doc = ContentDocument(SERVICE)
    doc.set_text(("who",), "Achtung: # kein Kommentar")
    again = ContentDocument(doc.dump())
    assert again.get(("who",)) == "Achtung: # kein Kommentar"


def test_top_level_lists_stay_at_column_0_with_their_comments():
    text = (CONTENT / "clarifications.yml").read_text(encoding="utf-8")
    doc = ContentDocument(text)
    doc.set_text((0, "question"), "Hatten Sie 12 Monate Arbeit?")
    doc.set_list((0, "synonyms"), ["Arbeit verloren", "Job weg"])
    out = doc.dump()
    assert out.startswith(text[: text.index("- id: job_verloren")] + "- id: job_verloren\n")
    assert "  question: |\n    Hatten Sie 12 Monate Arbeit?\n" in out
    assert "  synonyms: [Arbeit verloren, Job weg]\n" in out
    assert "    # The Agentur für Arbeit checks the months" in out


def test_a_path_that_does_not_exist_is_an_error():
    with pytest.raises(EditError):
        ContentDocument(SERVICE).set_text(("choose_office", "question"), "Wer?")


def _copy_content(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def test_a_mark_counts_while_the_text_is_as_checked_and_clears_when_it_changes(tmp_path):
    root = _copy_content(tmp_path)
    path = root / "services" / "wohngeld.yml"
    cat = load_catalogue(root)
    text = cat.sources["services.wohngeld.text"].text
    doc = ContentDocument(path.read_text(encoding="utf-8"))
    doc.set_mark((), "text", date(2026, 12, 2), "Prüf·gruppe Lebenshilfe", text_hash(text))
    path.write_text(doc.dump(), encoding="utf-8")
    assert 'geprueft:\n  text: {am: 2026-12-02, von: Prüf·gruppe Lebenshilfe, fassung: "' in (
        path.read_text(encoding="utf-8")
    )
    states = review_states(load_catalogue(root))
    assert states["services.wohngeld.text"].checked
    assert states["services.wohngeld.simple"].state == "offen"

    doc = ContentDocument(path.read_text(encoding="utf-8"))
    doc.set_text(("text",), text + "\nDas geht schnell.")
    path.write_text(doc.dump(), encoding="utf-8")
    changed = review_states(load_catalogue(root))["services.wohngeld.text"]
    assert changed.state == "geaendert" and changed.von == "Prüf·gruppe Lebenshilfe"
    # Only indentation and line ends do not count as a change.
    assert text_hash("  Ein Satz.\n  Noch einer.\n") == text_hash("Ein Satz.\nNoch einer.")
    assert text_hash("Ein Satz. Noch einer.") != text_hash("Ein Satz.\nNoch einer.")


def test_content_check_warns_once_per_file_and_about_marks_without_a_text(tmp_path):
    root = _copy_content(tmp_path)
    path = root / "offices.yml"
    doc = ContentDocument(path.read_text(encoding="utf-8"))
    doc.set_mark((0,), "nmae", date(2026, 12, 2), "Prüf·gruppe", "0123456789ab")
    path.write_text(doc.dump(), encoding="utf-8")
    checks = review_checks(load_catalogue(root))
    files = [c.text for c in checks if c.rule == "ungeprueft"]
    assert len(files) == len(set(files)) and "offices.yml" in files
    (orphan,) = [c for c in checks if c.rule == "geprueft-verwaist"]
    assert orphan.text == "nmae" and orphan.where.startswith("offices.yml:")
