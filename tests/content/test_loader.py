"""The content loader: the shipped county loads; broken content says file:line and how to fix it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from amtslotse.core.content import ContentError, WalkIn, default_content_root, load_catalogue


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(default_content_root(), target)
    return target


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalogue(root)
    return [str(p) for p in caught.value.problems]


def test_shipped_county_has_every_catalogue_id():
    cat = load_catalogue()
    assert set(cat.locations) == {"skz", "buergerbuero", "kreishaus"}
    assert {"jobcenter", "sozialamt", "jugendamt", "wohngeldstelle", "buergerbuero"} <= set(
        cat.offices
    )
    assert cat.offices["jobcenter"].desks == 3 and cat.offices["buergerbuero"].walk_in_only
    assert cat.services["wohngeld"].office_id == "wohngeldstelle"
    assert cat.services["wohngeld"].minutes == 30
    assert cat.services["kinderschutz"].walk_in is WalkIn.URGENT
    assert cat.services["kindergeld"].walk_in is WalkIn.EXTERNAL
    assert cat.services["beglaubigung"].walk_in is WalkIn.YES
    assert cat.services["bildung_teilhabe"].choose_office is not None


def test_real_addresses_are_marked_real_and_the_example_one_as_example():
    cat = load_catalogue()
    assert not cat.locations["skz"].address.example
    assert cat.locations["skz"].address.one_line() == "Chemieparkstraße 7, 06766 Bitterfeld-Wolfen"
    assert cat.locations["kreishaus"].address.example


def test_unknown_office_names_the_line_and_suggests_the_right_id(content: Path):
    path = content / "services" / "wohngeld.yml"
    path.write_text(path.read_text().replace("office: wohngeldstelle", "office: wohngeldstele"))
    line = path.read_text().splitlines().index("office: wohngeldstele") + 1
    assert (
        f"services/wohngeld.yml:{line}: office 'wohngeldstele' does not exist; "
        "did you mean 'wohngeldstelle'?"
    ) in _problems(content)


def test_broken_yaml_is_reported_with_its_line(content: Path):
    path = content / "offices.yml"
    lines = path.read_text().splitlines()
    lines[5] = "  name: [Job·center"
    path.write_text("\n".join(lines) + "\n")
    problems = _problems(content)
    assert any(p.startswith("offices.yml:") and "YAML syntax" in p for p in problems), problems


def test_missing_field_says_which_field_to_add(content: Path):
    path = content / "services" / "wohngeld.yml"
    path.write_text(
        "\n".join(line for line in path.read_text().splitlines() if not line.startswith("minutes:"))
        + "\n"
    )
    assert "services/wohngeld.yml:1: missing field 'minutes'; add 'minutes:'" in _problems(content)


def test_duplicate_id_points_to_the_first(content: Path):
    (content / "services" / "wohngeld_copy.yml").write_text(
        (content / "services" / "wohngeld.yml").read_text()
    )
    problems = _problems(content)
    assert any(
        "id 'wohngeld' is used twice; first at services/wohngeld.yml:1" in p for p in problems
    )


def test_unknown_placeholder_in_answer_sentences(content: Path):
    path = content / "answers.yml"
    path.write_text(path.read_text().replace("{office} hilft Ihnen.", "{amt} hilft Ihnen."))
    assert any("unknown placeholder {amt}" in p and "{office}" in p for p in _problems(content))


def test_walk_in_only_office_cannot_take_appointments(content: Path):
    path = content / "services" / "beglaubigung.yml"
    text = path.read_text().replace("walk_in: yes", "walk_in: no\nminutes: 20")
    path.write_text(text)
    assert any("office 'buergerbuero' takes no appointments" in p for p in _problems(content))


def test_content_loader_leaves_yaml_safe_load_alone():
    """Reading content must not change how other code reads YAML ("false" stays a boolean)."""
    import yaml

    from amtslotse.core.content.yamlsource import _LineLoader

    assert yaml.load("a: no\nb: false", Loader=_LineLoader) == {"a": "no", "b": False}
    assert yaml.safe_load("a: no\nb: false") == {"a": False, "b": False}


def test_every_shipped_service_names_its_source_and_check_date():
    cat = load_catalogue()
    for service in cat.services.values():
        assert service.sources, service.id
        for source in service.sources:
            assert source.url.startswith(("https://", "http://")), service.id
            assert source.checked.year >= 2026 and source.location.startswith("services/")


def test_every_shipped_service_has_a_review_and_every_closed_one_is_scored(content: Path):
    """A second person scores every service (REVIEW.md): score 1-5, reviewer and date.

    A review the author opened again after a rewrite (score, reviewer and date
    null) is allowed; `amtslotse content check` lists it as a warning
    (tests/content/test_content_check.py) until the next round scores it.
    """
    cat = load_catalogue(content)
    for service in cat.services.values():
        review = service.review
        assert review is not None, service.id
        if review.score is None:  # open: nothing half filled in
            assert not review.reviewer and review.date is None, service.id
            continue
        assert review.score in (1, 2, 3, 4, 5), service.id
        assert review.reviewer and review.date is not None, service.id
        # Below "publish as is", the note says what must change.
        assert review.score == 5 or review.note, service.id


_OPEN_REVIEW = "review:\n  score: null\n  reviewer: null\n  date: null\n"


def _reopen_review(path: Path) -> None:
    """The review block as the author leaves it before a second person scores."""
    text = path.read_text()
    start = text.index("\nreview:\n") + 1
    path.write_text(text[:start] + _OPEN_REVIEW)


def test_an_open_review_loads(content: Path):
    """The author leaves the score empty (REVIEW.md); the loader accepts that."""
    _reopen_review(content / "services" / "wohngeld.yml")
    review = load_catalogue(content).services["wohngeld"].review
    assert review is not None and review.score is None and review.reviewer == ""


def _replace(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; the 1-based line it stood on."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return next(i for i, line in enumerate(text.splitlines(), 1) if old in line)


def test_a_review_score_is_1_to_5_with_reviewer_and_date(content: Path):
    path = content / "services" / "wohngeld.yml"
    _reopen_review(path)
    line = _replace(path, "  score: null", "  score: 6")
    assert f"services/wohngeld.yml:{line}: score must be a whole number from 1 to 5, or null" in (
        _problems(content)
    )
    path.write_text(path.read_text().replace("  score: 6", "  score: 4"))
    assert any("a score needs a reviewer and a date" in p for p in _problems(content))
    path.write_text(
        path.read_text()
        .replace("  reviewer: null", "  reviewer: Erika Beispiel")
        .replace("  date: null", "  date: 2026-12-02")
    )
    review = load_catalogue(content).services["wohngeld"].review
    assert review is not None and review.score == 4 and review.reviewer == "Erika Beispiel"


def test_a_broken_source_says_where(content: Path):
    path = content / "services" / "wohngeld.yml"
    line = _replace(path, "    checked: 2026-12-01", "    checked: 1.12.2026")
    assert (
        f"services/wohngeld.yml:{line}: field 'checked' must be a date like 2026-12-01; "
        "write year-month-day" in _problems(content)
    )


def test_who_per_office_must_name_an_office_of_the_question(content: Path):
    path = content / "services" / "bildung_teilhabe.yml"
    line = _replace(path, "  sozialamt: Das Sozial·amt", "  jugendamt: Das Sozial·amt")
    assert any(
        p.startswith(f"services/bildung_teilhabe.yml:{line}: 'who' names office 'jugendamt'")
        for p in _problems(content)
    )


def test_content_check_limits_are_settings_of_the_county(content: Path):
    path = content / "county.yml"
    _replace(path, "  button_max_chars: 48", "  button_max_chars: 30")
    assert load_catalogue(content).county.checks.button_max_chars == 30
    line = _replace(path, "  source_max_age_days: 365", "  source_max_age_days: 0")
    assert f"county.yml:{line}: 'source_max_age_days' must be 1 or more" in _problems(content)
