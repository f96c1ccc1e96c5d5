"""Checks of the two held-out NLU test sets.

heldout.yml (concerns, labelled with service ids):

(a) well-formed, every label a known service id (from the project's content) or job_verloren
(b) every service id has >= MIN_PER_SERVICE utterances, >= MIN_TOTAL in total
(c) no near-duplicates inside the held-out set
(d) no near-duplicates between the held-out set and the training data in data/nlu/

heldout_general.yml (greetings, follow-ups, booking turns, labelled with intents):

(a) well-formed, every label an intent of data/nlu or the generated domain, and no concern
(b) every intent of allgemein.yml, nachfragen.yml and termin.yml has
    >= MIN_PER_GENERAL_INTENT utterances, >= MIN_TOTAL_GENERAL in total
(c) no near-duplicates inside the set
(d) no near-duplicates against the training data, nor against heldout.yml

Both sets were written without looking at the training examples of their
labels; (d) keeps it that way when either side changes. See README.md in
this folder.
"""

from __future__ import annotations

from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import pytest
import yaml
from similarity import MIN_WORDS, THRESHOLD, find_near_duplicates, normalize

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HELDOUT = HERE / "heldout.yml"
GENERAL = HERE / "heldout_general.yml"
TRAINING_DIR = REPO / "data" / "nlu"
DOMAIN_DIR = REPO / "bot" / "domain"

# Label for "I lost my job / I'm unemployed" without naming a benefit: the bot asks
# whether Agentur für Arbeit (ALG I) or Jobcenter (Bürgergeld) is meant.
EXTRA_LABELS = frozenset({"job_verloren"})
MIN_PER_SERVICE = 5
MIN_TOTAL = 260
# The frequent concerns get more than the minimum.
FREQUENT = (
    "buergergeld_antrag",
    "wohngeld",
    "kfz_zulassen",
    "unterhaltsvorschuss",
    "grundsicherung_alter",
)
MIN_FREQUENT = 10
# The general held-out set covers every intent with examples in these files.
GENERAL_FILES = ("allgemein.yml", "nachfragen.yml", "termin.yml")
MIN_PER_GENERAL_INTENT = 8
MIN_TOTAL_GENERAL = 150
RULE = (
    f"equal after normalising, or character-3-gram Jaccard >= {THRESHOLD} "
    f"when both have >= {MIN_WORDS} words"
)


@cache
def _raw(path: Path) -> object:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _items(path: Path) -> list[dict]:
    data = _raw(path)
    assert isinstance(data, dict) and isinstance(data.get("utterances"), list), (
        f"{path.name} must be a mapping with a list under 'utterances'"
    )
    return data["utterances"]


def _utterances() -> list[dict]:
    return _items(HELDOUT)


def _general() -> list[dict]:
    return _items(GENERAL)


# The checks that are the same for both sets: file, label key, what a label is.
BOTH_SETS = pytest.mark.parametrize(
    ("path", "label", "label_is"),
    [
        pytest.param(HELDOUT, "service", "a service id", id="heldout"),
        pytest.param(GENERAL, "intent", "an intent name", id="general"),
    ],
)


@lru_cache(maxsize=1)
def _service_ids() -> frozenset[str]:
    # Imported here so that the content-independent checks still run if the
    # package cannot even be imported.
    from amtslotse.core.content import ContentError, load_catalogue

    try:
        catalogue = load_catalogue()
    except ContentError as exc:
        pytest.fail(f"the project's content does not load, cannot check labels:\n{exc}")
    return frozenset(catalogue.services)


# ---------------------------------------------------------------- (a) well-formed


@BOTH_SETS
def test_file_starts_with_the_do_not_train_notice(path: Path, label: str, label_is: str):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Held-out utterances") and "never train" in first


@BOTH_SETS
def test_file_is_well_formed(path: Path, label: str, label_is: str):
    data = _raw(path)
    assert isinstance(data, dict), "top level must be a mapping"
    extra = sorted(set(data) - {"utterances"})
    assert not extra, f"unexpected top-level keys: {extra}"
    problems = []
    for i, item in enumerate(_items(path)):
        where = f"utterances[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be a mapping with 'text' and '{label}'")
            continue
        if set(item) != {"text", label}:
            problems.append(f"{where}: keys must be exactly text and {label}, got {sorted(item)}")
        text, value = item.get("text"), item.get(label)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: 'text' must be a non-empty text, got {text!r}")
        elif text != text.strip() or "\n" in text:
            problems.append(f"{where}: 'text' must be one line without outer spaces: {text!r}")
        elif not normalize(text):
            problems.append(f"{where}: 'text' has no words: {text!r}")
        if not isinstance(value, str) or not value:
            problems.append(f"{where}: '{label}' must be {label_is}, got {value!r}")
    assert not problems, "\n".join(problems)


def test_every_label_is_a_known_service_id():
    known = _service_ids() | EXTRA_LABELS
    unknown = [
        f"utterances[{i}]: {item['service']!r} ({item['text']!r})"
        for i, item in enumerate(_utterances())
        if item["service"] not in known
    ]
    assert not unknown, (
        "unknown labels (not a service id of the catalogue, not job_verloren):\n"
        + "\n".join(unknown)
    )


# ---------------------------------------------------------------- (b) coverage


def test_total_size():
    n = len(_utterances())
    assert n >= MIN_TOTAL, f"only {n} utterances, want >= {MIN_TOTAL}"


def test_every_service_id_is_covered():
    counts = Counter(item["service"] for item in _utterances())
    wanted = {sid: MIN_PER_SERVICE for sid in _service_ids() | EXTRA_LABELS}
    for sid in FREQUENT:
        if sid in wanted:
            wanted[sid] = MIN_FREQUENT
    short = sorted(
        f"{sid}: {counts.get(sid, 0)} < {n}" for sid, n in wanted.items() if counts.get(sid, 0) < n
    )
    assert not short, "too few held-out utterances for:\n" + "\n".join(short)


# ---------------------------------------------------------------- (c) inside the set


@BOTH_SETS
def test_no_near_duplicates_inside_the_set(path: Path, label: str, label_is: str):
    pairs = find_near_duplicates([item["text"] for item in _items(path)])
    assert not pairs, (
        f"{len(pairs)} near-duplicate pair(s) inside {path.name} "
        f"({RULE}):\n" + "\n".join(f"  {p}" for p in pairs)
    )


# ---------------------------------------------------------------- (d) against training


@lru_cache(maxsize=1)
def _training_texts() -> tuple[str, ...]:
    """Hand-written examples plus those the build step makes from the content's synonyms."""
    from rasa.shared.nlu.training_data.loading import load_data

    from amtslotse.core.content import load_catalogue
    from amtslotse.rasa.training.generate import existing_examples, nlu_yaml

    files = sorted(TRAINING_DIR.glob("*.yml"))
    if not files:
        pytest.fail(f"no training data found: {TRAINING_DIR}/*.yml")
    generated = TRAINING_DIR.parent.parent / "build" / "test-generated-nlu.yml"
    generated.parent.mkdir(exist_ok=True)
    generated.write_text(nlu_yaml(load_catalogue(), existing_examples(TRAINING_DIR)))
    examples = []
    for path in [*files, generated]:
        examples += load_data(str(path)).intent_examples
    texts = [m.get("text") for m in examples]
    texts = [t for t in texts if t]
    if not texts:
        pytest.fail(f"{TRAINING_DIR} holds no intent examples")
    return tuple(texts)


@BOTH_SETS
def test_no_near_duplicates_between_the_set_and_training_data(
    path: Path, label: str, label_is: str
):
    pairs = find_near_duplicates([item["text"] for item in _items(path)], _training_texts())
    assert not pairs, (
        f"{len(pairs)} utterance(s) of {path.name} are near-duplicates of training "
        f"examples in data/nlu ({RULE}).\n"
        "Change or remove the TRAINING example (or replace the held-out one by a fresh one "
        "written without looking at the training data):\n"
        "  score  held-out  ~  training\n" + "\n".join(f"  {p}" for p in pairs)
    )


# ================================================================ heldout_general.yml


def _intents_with_examples(paths: list[Path]) -> set[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    intents: set[str] = set()
    for path in paths:
        intents |= set(load_data(str(path)).intents)
    return intents


@lru_cache(maxsize=1)
def _known_intents() -> frozenset[str]:
    """Intents of data/nlu, of bot/domain and the generated concern intents."""
    from amtslotse.core.content import load_catalogue
    from amtslotse.rasa.training.generate import concern_intents

    known = _intents_with_examples(sorted(TRAINING_DIR.glob("*.yml")))
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for intent in doc.get("intents") or []:
            known.add(next(iter(intent)) if isinstance(intent, dict) else str(intent))
    known |= set(concern_intents(load_catalogue()))
    return frozenset(known)


@lru_cache(maxsize=1)
def _required_general_intents() -> frozenset[str]:
    paths = [TRAINING_DIR / name for name in GENERAL_FILES]
    missing = [p.name for p in paths if not p.is_file()]
    assert not missing, f"training files not found: {missing}"
    return frozenset(_intents_with_examples(paths))


# ---------------------------------------------------------------- (a) labels


def test_every_general_label_is_a_known_intent_and_no_concern():
    known = _known_intents()
    problems = []
    for i, item in enumerate(_general()):
        intent = item["intent"]
        if intent not in known:
            problems.append(f"utterances[{i}]: unknown intent {intent!r} ({item['text']!r})")
        elif intent.startswith("anliegen_") or intent == "nlu_fallback":
            problems.append(
                f"utterances[{i}]: {intent!r} does not belong here ({item['text']!r}); "
                "concerns go to heldout.yml"
            )
    assert not problems, (
        "labels must be intents of data/nlu or the domain, and no concern:\n" + "\n".join(problems)
    )


# ---------------------------------------------------------------- (b) coverage


def test_general_total_size():
    n = len(_general())
    assert n >= MIN_TOTAL_GENERAL, f"only {n} utterances, want >= {MIN_TOTAL_GENERAL}"


def test_every_general_intent_is_covered():
    counts = Counter(item["intent"] for item in _general())
    short = sorted(
        f"{intent}: {counts.get(intent, 0)} < {MIN_PER_GENERAL_INTENT}"
        for intent in _required_general_intents()
        if counts.get(intent, 0) < MIN_PER_GENERAL_INTENT
    )
    assert not short, "too few held-out utterances for:\n" + "\n".join(short)


# ---------------------------------------------------------- (d) across the two sets


def test_the_two_heldout_sets_share_no_near_duplicates():
    pairs = find_near_duplicates(
        [item["text"] for item in _general()], [item["text"] for item in _utterances()]
    )
    assert not pairs, (
        f"{GENERAL.name} and {HELDOUT.name} share near-duplicates ({RULE}):\n"
        + "\n".join(f"  {p}" for p in pairs)
    )


# ====================================================== the blind sets of round three
# Written blind (the catalogue and the issue only, never data/), by four writers:
# the held-out files are reported by `make bench`, the tuning files (tests/nlu/tuning/,
# other writers) are what the thresholds were tuned on. See README.md.

TUNING = HERE / "tuning"
DANGER_KINDS = frozenset(
    {"violence", "neglect", "alone", "sexual", "threat", "self_harm", "parent_fear",
     "witnessed_violence", "other"}
)  # fmt: skip
BLIND_SETS = {
    # file: (keys every item has, the minimum size)
    "heldout_danger.yml": ({"text", "kind", "style"}, 80),
    "heldout_nearmiss.yml": ({"text", "service", "style"}, 80),
    "heldout_long.yml": ({"text", "service", "names_office"}, 150),
    "heldout_multi.yml": ({"text", "services", "style"}, 60),
    "tuning/danger.yml": ({"text", "kind", "style"}, 80),
    "tuning/nearmiss.yml": ({"text", "service", "style"}, 80),
    "tuning/long.yml": ({"text", "service"}, 100),
    "tuning/multi.yml": ({"text", "services"}, 60),
    # round four, a fifth writer
    "tuning/danger2.yml": ({"text", "kind"}, 50),
    "tuning/nearmiss2.yml": ({"text", "service"}, 100),
    "tuning/multi2.yml": ({"text", "services"}, 100),
    # round six, a sixth writer
    "tuning/danger3.yml": ({"text", "kind"}, 80),
    "tuning/nearmiss3.yml": ({"text", "service"}, 100),
    "tuning/multi3.yml": ({"text", "services"}, 100),
}
#: Sets whose writer also took concerns back in the same message, so that one is left
#: ("Wohngeld und Elterngeld, ach nein, das Wohngeld doch nicht").
ONE_LEFT_ALLOWED = frozenset({"tuning/multi3.yml"})
BLIND = pytest.mark.parametrize("name", sorted(BLIND_SETS))


def _blind(name: str) -> list[dict]:
    return _items(HERE / name)


@BLIND
def test_blind_set_is_well_formed_and_large_enough(name: str):
    keys, minimum = BLIND_SETS[name]
    items = _blind(name)
    assert len(items) >= minimum, f"{name}: {len(items)} < {minimum}"
    first = (HERE / name).read_text(encoding="utf-8").splitlines()[0]
    assert "never train" in first and "blind" in first
    known = _service_ids() | EXTRA_LABELS | {"none"}
    problems = []
    for i, item in enumerate(items):
        if set(item) != keys:
            problems.append(f"{name}[{i}]: keys {sorted(item)} != {sorted(keys)}")
            continue
        if not isinstance(item["text"], str) or not normalize(item["text"]):
            problems.append(f"{name}[{i}]: no text")
        labels = item.get("services") or ([item["service"]] if "service" in item else [])
        fewest = 1 if name in ONE_LEFT_ALLOWED else 2
        if "services" in item and not fewest <= len(set(labels)) == len(labels) <= 4:
            problems.append(f"{name}[{i}]: services must be {fewest} to 4 different ids")
        problems += [f"{name}[{i}]: unknown service {s!r}" for s in labels if s not in known]
        if "kind" in item and item["kind"] not in DANGER_KINDS:
            problems.append(f"{name}[{i}]: unknown kind {item['kind']!r}")
    assert not problems, "\n".join(problems)


@BLIND
def test_blind_set_has_no_near_duplicates_inside(name: str):
    pairs = find_near_duplicates([item["text"] for item in _blind(name)])
    assert not pairs, "\n".join(f"  {p}" for p in pairs)


@BLIND
def test_blind_set_has_no_near_duplicates_of_training_data(name: str):
    pairs = find_near_duplicates([item["text"] for item in _blind(name)], _training_texts())
    assert not pairs, (
        f"{name} and the training data share near-duplicates ({RULE}); change the TRAINING "
        "example, never copy a held-out sentence into training:\n"
        + "\n".join(f"  {p}" for p in pairs)
    )


def test_the_reported_sets_share_nothing_with_the_tuning_sets_or_the_older_sets():
    reported = [i["text"] for n in BLIND_SETS if n.startswith("heldout") for i in _blind(n)]
    others = [i["text"] for n in BLIND_SETS if n.startswith("tuning") for i in _blind(n)]
    others += [i["text"] for i in _utterances()] + [i["text"] for i in _general()]
    pairs = find_near_duplicates(reported, others)
    assert not pairs, "\n".join(f"  {p}" for p in pairs)
