"""Generate the content-derived half of the Rasa project into build/rasa/.

An editor who adds "Stütze" to the synonyms of buergergeld_antrag gets a
training example for ``anliegen_buergergeld_antrag`` after ``make train``,
without touching data/.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import yaml

from amtslotse.core.content.model import Catalogue
from amtslotse.core.routing import INTENT_PREFIX

RASA_VERSION = '"3.1"'
_MARKUP = re.compile(r"\[([^\]]*)\]\{[^}]*\}|\[([^\]]*)\]\([^)]*\)")
_UNSAFE = re.compile(r"[\[\]{}()\"]")


def concern_intents(cat: Catalogue) -> list[str]:
    """One intent per service and per clarification, e.g. ``anliegen_wohngeld``."""
    return [INTENT_PREFIX + sid for sid in sorted(cat.services)] + [
        INTENT_PREFIX + cid for cid in sorted(cat.clarifications)
    ]


def normalise(text: str) -> str:
    """Compare examples the way Rasa treats duplicates: no markup, case or spacing."""
    text = _MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", text)
    return " ".join(text.replace("·", "").lower().split())


def domain_yaml(cat: Catalogue) -> str:
    lines = [
        f"version: {RASA_VERSION}",
        "# Generated from content/leichte_sprache by amtslotse build.",
        "intents:",
    ]
    lines += [f"  - {intent}" for intent in concern_intents(cat)]
    return "\n".join(lines) + "\n"


def rules_yaml(cat: Catalogue) -> str:
    lines = [
        f"version: {RASA_VERSION}",
        "# Generated from content/leichte_sprache by amtslotse build.",
        "rules:",
    ]
    for intent in concern_intents(cat):
        lines += [
            f"  - rule: answer {intent}",
            "    steps:",
            f"      - intent: {intent}",
            "      - action: action_answer_concern",
        ]
    return "\n".join(lines) + "\n"


def _examples_block(examples: Iterable[str]) -> list[str]:
    return ["    examples: |"] + [f"      - {e}" for e in examples]


def nlu_yaml(cat: Catalogue, existing: dict[str, str]) -> str:
    """Examples from the content's synonyms, skipping what data/nlu already has.

    ``existing`` maps normalised example text to its intent in data/nlu; a
    synonym already used there (for any intent) is left to the hand-written data.
    """
    lines = [
        f"version: {RASA_VERSION}",
        "# Generated from content/leichte_sprache by amtslotse build.",
        "nlu:",
    ]
    taken = dict(existing)
    sources = [(INTENT_PREFIX + s.id, s.synonyms + (s.name,)) for s in cat.services.values()]
    sources += [(INTENT_PREFIX + c.id, c.synonyms) for c in cat.clarifications.values()]
    for intent, words in sorted(sources):
        fresh = []
        for word in words:
            word = word.replace("·", "").strip()
            key = normalise(word)
            if not key or _UNSAFE.search(word) or key in taken:
                continue
            taken[key] = intent
            fresh.append(word)
        if fresh:
            lines += [f"  - intent: {intent}"] + _examples_block(fresh)
    # Office names, however people write them, map to the office id.
    for office in sorted(cat.offices.values(), key=lambda o: o.id):
        forms = {
            office.name.replace("·", ""),
            office.name.replace("·", " "),
            office.name.replace("·", "").lower(),
        }
        forms.discard(office.id)
        lines += [f"  - synonym: {office.id}"] + _examples_block(sorted(forms))
    return "\n".join(lines) + "\n"


def existing_examples(data_dir: Path) -> dict[str, str]:
    """Normalised examples of the hand-written NLU data → intent."""
    out: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue  # reported with file:line by the training pre-check
        for block in doc.get("nlu") or []:
            if not isinstance(block, dict) or "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.setdefault(normalise(line[2:]), block["intent"])
    return out


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_generated(cat: Catalogue, bot_domain: Path, nlu_dir: Path, out: Path) -> None:
    """build/rasa/domain/ (hand-written domain + generated intents) and build/rasa/data/."""
    domain_dir = out / "domain"
    wanted = {"generated_anliegen.yml": domain_yaml(cat)}
    for src in sorted(bot_domain.glob("*.yml")):
        wanted[src.name] = src.read_text(encoding="utf-8")
    if domain_dir.is_dir():
        for stale in domain_dir.glob("*.yml"):
            if stale.name not in wanted:
                stale.unlink()
    for name, text in wanted.items():
        _write_if_changed(domain_dir / name, text)
    _write_if_changed(out / "data" / "generated_rules.yml", rules_yaml(cat))
    _write_if_changed(out / "data" / "generated_nlu.yml", nlu_yaml(cat, existing_examples(nlu_dir)))


def clean(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
