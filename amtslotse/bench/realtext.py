"""The checker on real text: public bodies' own Leichte Sprache and official German.

The sets live in ``tests/lint/real/``:

- ``leichte_sprache.yml``: sentences from Leichte Sprache pages written by
  public bodies (Jobcenters, Landkreise, Städte, Rentenversicherung,
  Bundesregierung); machine-translated pages are left out;
- ``amtsdeutsch.yml``: ordinary official German on the same topics;
- ``findings_to_judge.yml``: every error finding on the Leichte Sprache
  sentences, each to be judged true or false by a reviewer who did not
  write the rules (``verdict:``).

Each sentence has its source URL, publisher and part: ``dev`` (looked at
while fixing rules) or ``report`` (held out in issue 16's first round:
figures only, never read sentence by sentence). The part goes by publisher
(:func:`part_of`), so one writer is never on both sides. A part in
:data:`EXPLICIT_PARTS` is set by hand instead: ``fresh``, official German
collected later from publishers in neither set, held out once ``report``
had been looked at too often (its publishers must stay out of the other
parts; the test checks it).

Pages are checked as texts: the sentences of one source URL, one per line,
as an editor's page would be, so that the rules that look at a whole text
(one spelling throughout, abbreviations explained once) see what they
would see in use.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

#: The parts a publisher is hashed into (:func:`part_of`).
PARTS = ("dev", "report")
#: Parts set explicitly in the set files, for sentences collected later.
EXPLICIT_PARTS = ("fresh",)
ALL_PARTS = PARTS + EXPLICIT_PARTS
_STARTS = re.compile(r"^[„\"(]?[A-ZÄÖÜ0-9]")
_ENDS = re.compile(r"[.!?][“\"»)]?$")
MIN_WORDS = 3


def part_of(publisher: str) -> str:
    """``dev`` or ``report``: by a hash of the publisher's name, stable across runs.

    >>> part_of("Stadt Köln"), part_of("Stadt Neuss")
    ('dev', 'report')
    """
    return PARTS[hashlib.sha1(publisher.encode("utf-8")).digest()[0] % 2]


def is_sentence(words: Sequence[str], tags: Sequence[str]) -> bool:
    """The evaluation sets' rule for what counts as a sentence.

    ``words`` are the tokens of one entry, ``tags`` their STTS tags. A
    sentence starts with a capital letter, a digit or an opening quote,
    ends with ".", "!" or "?", has at least 3 words and a verb (a tag
    starting with V). Dropped: headings (no final stop), lead-ins of a list
    (ending with ":"), and list items cut from their lead-in without a verb
    ("Oder einen Reise·pass.", "Für eine bestimmte Zeit."). Typos of the
    original stay.

    >>> is_sentence(["Man", "braucht", "Hilfe", "."], ["PIS", "VV(FIN)", "NN", "$."])
    True
    >>> is_sentence(["Oder", "einen", "Reise·pass", "."], ["KON", "ART", "NN", "$."])
    False
    >>> is_sentence(["Das", "heißt", ":"], ["PDS", "VV(FIN)", "$."])
    False
    """
    text = " ".join(words)
    if not _STARTS.match(text) or not _ENDS.search(text):
        return False
    if sum(any(c.isalnum() for c in w) for w in words) < MIN_WORDS:
        return False
    return any(tag.startswith("V") for tag in tags)


@dataclass(frozen=True)
class RealSentence:
    """One sentence of a real-text set."""

    text: str
    source: str
    publisher: str
    part: str


def load_sentences(path: Path) -> list[RealSentence]:
    """Read one set file (``sentences:`` with text, source, publisher, part)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sentences = [
        RealSentence(s["text"], s["source"], s["publisher"], s["part"]) for s in data["sentences"]
    ]
    for sentence in sentences:
        if sentence.part not in ALL_PARTS:
            raise ValueError(f"{path}: part must be one of {ALL_PARTS}: {sentence}")
    return sentences


def pages(sentences: Iterable[RealSentence]) -> list[list[RealSentence]]:
    """The sentences grouped by source URL, in file order."""
    grouped: dict[str, list[RealSentence]] = defaultdict(list)
    for sentence in sentences:
        grouped[sentence.source].append(sentence)
    return list(grouped.values())


class FindingLike(Protocol):
    rule: str
    line: int
    text: str
    message: str

    @property
    def severity(self) -> Any: ...


#: Checks one text (one sentence a line) and returns its findings.
Check = Callable[[str], Sequence[FindingLike]]
#: (source, sentence, rule, flagged text, occurrence): a finding across checker versions.
Key = tuple[str, str, str, str, int]


@dataclass(frozen=True)
class ErrorFinding:
    """One error finding on one real sentence."""

    sentence: RealSentence
    rule: str
    flagged: str
    message: str
    #: 2 for the second finding of the same rule on the same text in the sentence, ...
    occurrence: int = 1

    @property
    def key(self) -> Key:
        """What identifies a finding across checker versions (messages may change)."""
        return (self.sentence.source, self.sentence.text, self.rule, self.flagged, self.occurrence)


def error_findings(
    check: Check, sentences: Iterable[RealSentence]
) -> dict[RealSentence, list[ErrorFinding]]:
    """The error findings of every sentence (pages checked as texts)."""
    found: dict[RealSentence, list[ErrorFinding]] = {}
    for page in pages(sentences):
        for sentence in page:
            found[sentence] = []
        seen: Counter[tuple[int, str, str]] = Counter()
        for finding in check("\n".join(s.text for s in page)):
            if getattr(finding.severity, "value", finding.severity) != "error":
                continue
            sentence = page[finding.line - 1]
            seen[(finding.line, finding.rule, finding.text)] += 1
            occurrence = seen[(finding.line, finding.rule, finding.text)]
            found[sentence].append(
                ErrorFinding(sentence, finding.rule, finding.text, finding.message, occurrence)
            )
    return found


# --- the verdicts -------------------------------------------------------------------

JUDGE_HEADER = """\
# Every error finding of the checker on the professional Leichte Sprache sentences
# (tests/lint/real/leichte_sprache.yml), for a reviewer who did not write the rules.
#
# verdict: true  = the rule is right here (the sentence breaks the house rule as
#                  content/leichte_sprache/lint.yml and the rule's docstring describe it);
#          false = a false alarm.
#          Leave it empty if unsure; `make bench` counts empty verdicts as unjudged.
# note:    optional, why.
# found_by: which checker reported it: "before" = the checker before issue 16,
#           "current" = the checker of this checkout (kept up to date by
#           `python -m amtslotse.bench.lint --update-judge-file`; verdicts are kept).
# Sorted by rule, then source and sentence. Do not edit the other fields by hand.
"""


@dataclass
class JudgeEntry:
    """One finding in the file to judge."""

    rule: str
    flagged: str
    sentence: str
    source: str
    part: str
    message: str
    found_by: list[str] = field(default_factory=list)
    verdict: bool | None = None
    note: str = ""
    occurrence: int = 1

    @property
    def key(self) -> Key:
        return (self.source, self.sentence, self.rule, self.flagged, self.occurrence)

    def to_yaml(self) -> dict[str, Any]:
        more = {"occurrence": self.occurrence} if self.occurrence > 1 else {}
        return {
            "rule": self.rule,
            "flagged": self.flagged,
            **more,
            "sentence": self.sentence,
            "source": self.source,
            "part": self.part,
            "message": self.message,
            "found_by": list(self.found_by),
            "verdict": self.verdict,
            "note": self.note,
        }


def load_judgements(path: Path) -> list[JudgeEntry]:
    """The entries of the file to judge (none if it does not exist)."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = []
    for raw in data.get("findings") or []:
        verdict = raw.get("verdict")
        if verdict not in (True, False, None):
            raise ValueError(f"{path}: verdict must be true, false or empty: {raw}")
        entries.append(
            JudgeEntry(
                rule=raw["rule"],
                flagged=str(raw["flagged"]),
                sentence=raw["sentence"],
                source=raw["source"],
                part=raw["part"],
                message=raw["message"],
                found_by=list(raw.get("found_by") or []),
                verdict=verdict,
                note=raw.get("note") or "",
                occurrence=int(raw.get("occurrence") or 1),
            )
        )
    return entries


def merge_judgements(
    entries: list[JudgeEntry], findings: Iterable[ErrorFinding], version: str
) -> list[JudgeEntry]:
    """The entries with ``version`` (e.g. "current") set on exactly ``findings``.

    Verdicts and notes are kept; a new finding gets an empty verdict; an
    entry no version reports any more is dropped.
    """
    by_key = {e.key: e for e in entries}
    reported = set()
    for finding in findings:
        reported.add(finding.key)
        entry = by_key.get(finding.key)
        if entry is None:
            entry = JudgeEntry(
                finding.rule,
                finding.flagged,
                finding.sentence.text,
                finding.sentence.source,
                finding.sentence.part,
                finding.message,
                occurrence=finding.occurrence,
            )
            by_key[finding.key] = entry
        entry.message = finding.message if version == "current" else entry.message
        if version not in entry.found_by:
            entry.found_by.append(version)
    for key, entry in by_key.items():
        if key not in reported and version in entry.found_by:
            entry.found_by.remove(version)
    kept = [e for e in by_key.values() if e.found_by]
    for entry in kept:
        entry.found_by.sort(key=lambda v: (v != "before", v))
    return sorted(kept, key=lambda e: (e.rule, e.source, e.sentence, e.flagged, e.occurrence))


def write_judgements(path: Path, entries: list[JudgeEntry]) -> None:
    """Write the file to judge; an open verdict is written as an empty ``verdict:``."""
    body = yaml.safe_dump(
        {"findings": [e.to_yaml() for e in entries]},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    body = re.sub(r"^(\s*)verdict: null$", r"\1verdict:", body, flags=re.MULTILINE)
    body = re.sub(r"^(\s*)note: ''$", r"\1note:", body, flags=re.MULTILINE)
    path.write_text(JUDGE_HEADER + body, encoding="utf-8")


# --- the figures --------------------------------------------------------------------


@dataclass(frozen=True)
class RuleScore:
    """Judged findings of one rule."""

    rule: str
    true: int
    false: int
    unjudged: int

    @property
    def precision(self) -> float | None:
        judged = self.true + self.false
        return self.true / judged if judged else None


@dataclass(frozen=True)
class LeichteSpracheScore:
    """What the checker does on professional Leichte Sprache (one part or all)."""

    sentences: int
    with_error: int
    #: sentences whose error findings are all judged, none of them true
    judged_clean: int
    #: judged-clean sentences that still get an error (all findings judged false)
    false_alarm_sentences: int
    #: sentences with an unjudged error finding and no true one: their status is open
    open_sentences: int
    findings: int
    unjudged: int
    per_rule: tuple[RuleScore, ...]

    @property
    def false_alarm_share(self) -> float | None:
        """False alarms among the clean sentences, once every finding is judged.

        With findings still unjudged, this is over the sentences whose status
        is known (``open_sentences`` left out).
        """
        return self.false_alarm_sentences / self.judged_clean if self.judged_clean else None

    @property
    def error_share(self) -> float:
        """Sentences with any error finding (true or false)."""
        return self.with_error / self.sentences if self.sentences else 0.0


def score_leichte_sprache(
    found: dict[RealSentence, list[ErrorFinding]], verdicts: dict[Key, bool]
) -> LeichteSpracheScore:
    """Figures over ``found`` (a sentence's error findings) with the reviewer's verdicts."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    with_error = clean = false_alarm = open_ = unjudged = findings = 0
    for items in found.values():
        results = [verdicts.get(f.key) for f in items]
        for finding, verdict in zip(items, results, strict=True):
            counts[finding.rule][{True: "true", False: "false", None: "unjudged"}[verdict]] += 1
        findings += len(items)
        unjudged += results.count(None)
        with_error += bool(items)
        if True in results:
            continue
        if None in results:
            open_ += 1
            continue
        clean += 1
        false_alarm += bool(items)
    per_rule = tuple(
        RuleScore(rule, c["true"], c["false"], c["unjudged"]) for rule, c in sorted(counts.items())
    )
    return LeichteSpracheScore(
        sentences=len(found),
        with_error=with_error,
        judged_clean=clean,
        false_alarm_sentences=false_alarm,
        open_sentences=open_,
        findings=findings,
        unjudged=unjudged,
        per_rule=per_rule,
    )


@dataclass(frozen=True)
class OfficialScore:
    """What the checker catches of official German: sentences with at least one error."""

    sentences: int
    caught: int
    missed: tuple[str, ...]

    @property
    def caught_share(self) -> float:
        return self.caught / self.sentences if self.sentences else 0.0


def score_official(found: dict[RealSentence, list[ErrorFinding]]) -> OfficialScore:
    missed = tuple(s.text for s, items in found.items() if not items)
    return OfficialScore(len(found), len(found) - len(missed), missed)


def in_part(found: dict[RealSentence, Any], part: str | None) -> dict[RealSentence, Any]:
    """``found`` restricted to one part (None: all)."""
    return {s: v for s, v in found.items() if part is None or s.part == part}
