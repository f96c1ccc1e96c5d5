"""Thresholds, severities and allow-lists of the checker, read from YAML.

The default file is ``content/leichte_sprache/lint.yml`` (editors own the
lists in it); ``amtslotse lint --config FILE`` reads another one. Every rule
has a ``severity`` (``error``, ``warning``, ``info`` or ``off``) and its own
options; unknown names are errors, so a typo never switches a check off
silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from amtslotse.errors import UserFacingError
from amtslotse.lint.model import Severity

#: The stable rule ids (interface contract, section 5), in report order.
RULE_IDS: tuple[str, ...] = (
    "satzlaenge",
    "nebensatz",
    "ein-satz-pro-zeile",
    "passiv",
    "konjunktiv",
    "genitiv",
    "verneinung",
    "zahlwort",
    "datum-uhrzeit",
    "abkuerzung",
    "sonderzeichen",
    "kompositum",
    "schweres-wort",
    "man",
    "nominalstil",
    "uneinheitlicher-begriff",
    # Added by issue 16 (the ids above are the contract's).
    "partizip-attribut",
    "seltenes-wort",
    # Added by issue 16's follow-up (official German that passed).
    "amtsdeutsch",
)

#: How compounds are split in the house style: "Bürger·geld" or "Bürger-Geld".
COMPOUND_STYLES = ("mediopunkt", "hyphen")

#: Severities used where the config file names none.
DEFAULT_SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {
        "satzlaenge": Severity.ERROR,
        "nebensatz": Severity.WARNING,
        "ein-satz-pro-zeile": Severity.ERROR,
        "passiv": Severity.ERROR,
        "konjunktiv": Severity.ERROR,
        "genitiv": Severity.ERROR,
        "verneinung": Severity.WARNING,
        "zahlwort": Severity.ERROR,
        "datum-uhrzeit": Severity.WARNING,
        "abkuerzung": Severity.ERROR,
        "sonderzeichen": Severity.WARNING,
        "kompositum": Severity.ERROR,
        "schweres-wort": Severity.INFO,
        "man": Severity.WARNING,
        "nominalstil": Severity.ERROR,
        "uneinheitlicher-begriff": Severity.ERROR,
        "partizip-attribut": Severity.ERROR,
        "seltenes-wort": Severity.ERROR,
        "amtsdeutsch": Severity.ERROR,
    }
)


def _frozen(value: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class LintConfig:
    """Everything a rule may be told; the defaults are the checker's built-in ones.

    ``severities`` maps a rule id to its severity, or to ``None`` when the
    rule is switched off.
    """

    severities: Mapping[str, Severity | None] = field(default_factory=lambda: DEFAULT_SEVERITIES)
    #: satzlaenge: most words a sentence may have.
    max_words: int = 12
    #: verneinung: regular expressions of negations that may stay.
    allowed_negations: tuple[re.Pattern[str], ...] = ()
    #: konjunktiv: forms that may stay (e.g. polite "möchten").
    allowed_konjunktiv: frozenset[str] = frozenset()
    #: abkuerzung: abbreviations that may stay ("Kfz" in an office name).
    allowed_abbreviations: frozenset[str] = frozenset()
    #: abkuerzung: abbreviations that may stay where the same input explains them.
    explained_abbreviations: Mapping[str, str] = field(default_factory=_frozen)
    #: abkuerzung: what to write instead (suggestions).
    abbreviation_expansions: Mapping[str, str] = field(default_factory=_frozen)
    #: sonderzeichen: characters that are fine besides letters, digits and . , ? ! : · -
    allowed_characters: frozenset[str] = frozenset()
    #: sonderzeichen: what to write instead of a character (suggestions).
    character_replacements: Mapping[str, str] = field(default_factory=_frozen)
    #: kompositum: shortest word (letters) that must be split with "·".
    compound_min_letters: int = 8
    #: kompositum: words that are written together anyway (names, loan words).
    compound_exempt: frozenset[str] = frozenset()
    #: kompositum: words that must stay whole, also inside a compound ("Sonntag", "Mittelpunkt").
    compound_fixed: frozenset[str] = frozenset()
    #: kompositum, uneinheitlicher-begriff: the house style, "mediopunkt" or "hyphen".
    #: Both accept every middle dot and the hyphen as split; the style decides suggestions.
    compound_style: str = "mediopunkt"
    #: schweres-wort: words rarer than this Zipf frequency are hard.
    hard_word_max_zipf: float = 2.5
    #: schweres-wort: words that are never hard (names of offices, explained words).
    hard_word_exempt: frozenset[str] = frozenset()
    #: schweres-wort: officialese that is common but hard, with a simpler word.
    hard_words: Mapping[str, str] = field(default_factory=_frozen)
    #: nominalstil: noun-verb phrases ("zur Verfügung stellen") with a plain verb.
    nominal_phrases: Mapping[str, str] = field(default_factory=_frozen)
    #: nominalstil: verbal nouns (-ung, -nahme, ...) in one sentence that count as nominal
    #: style by their number alone; 0 = off (it caught no official German the other checks
    #: miss, and flagged lists such as "Nahrung, Kleidung" in Leichte Sprache).
    nominal_min_per_sentence: int = 0
    #: nominalstil: verbs that leave the action to a verbal noun ("Die Abholung erfolgt ...").
    nominal_light_verbs: frozenset[str] = frozenset(
        {"erfolgen", "vornehmen", "durchführen", "stattfinden", "vollziehen", "tätigen"}
    )
    #: nominalstil: adjectives that, with "sein" as the only verb, leave the action to a
    #: verbal noun ("Eine Anmeldung ist nicht möglich.").
    nominal_light_predicates: frozenset[str] = frozenset(
        {"möglich", "nötig", "notwendig", "erforderlich", "zulässig", "ausgeschlossen"}
    )
    #: nominalstil: verbal nouns that are nominal style wherever they stand, with their verb.
    nominal_nouns: Mapping[str, str] = field(default_factory=_frozen)
    #: partizip-attribut: participles used as adjectives anyway ("gebraucht", "verheiratet").
    participle_allowed: frozenset[str] = frozenset()
    #: partizip-attribut: participles at least this common (Zipf) are plain adjectives.
    participle_max_zipf: float = 4.5
    #: seltenes-wort: words rarer than this Zipf frequency are very rare (an error).
    rare_word_max_zipf: float = 1.5
    #: seltenes-wort: words the county explains (glossary terms and forms, lower case, no marks).
    glossary_words: frozenset[str] = frozenset()
    #: amtsdeutsch: officialese words with the everyday word to write (any inflected form).
    officialese_words: Mapping[str, str] = field(default_factory=_frozen)
    #: amtsdeutsch: regular expressions (case-insensitive) of officialese phrases and
    #: constructions ("wenden Sie sich an", "brauchen ... nicht zu ..."), with advice.
    officialese_phrases: Mapping[str, str] = field(default_factory=_frozen)
    #: YAML content: keys whose values are not citizen-facing text.
    yaml_skip_keys: frozenset[str] = frozenset()

    def severity(self, rule: str) -> Severity | None:
        """The severity of ``rule``, or None when it is switched off."""
        return self.severities.get(rule, DEFAULT_SEVERITIES[rule])


def default_config_path() -> Path:
    """``lint.yml`` of this checkout's content; a process passes its configured one."""
    from amtslotse.settings import Paths

    return Paths().lint_config


def _strings(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("a list of texts")
    return frozenset(value)


def _mapping(value: Any) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise TypeError("a mapping of text to text")
    return _frozen({str(k): "" if v is None else str(v) for k, v in value.items()})


def _patterns(value: Any) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in _strings(value))
    except re.error as exc:
        raise TypeError(f"regular expressions ({exc})") from exc


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TypeError("a whole number above 0")
    return value


def _style(value: Any) -> str:
    if value not in COMPOUND_STYLES:
        raise TypeError(" or ".join(COMPOUND_STYLES))
    return str(value)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("a number")
    return float(value)


_Converter = Callable[[Any], Any]

#: (section, option) in the YAML file -> (LintConfig field, converter)
_OPTIONS: Mapping[tuple[str, str], tuple[str, _Converter]] = MappingProxyType(
    {
        ("satzlaenge", "max_words"): ("max_words", _positive_int),
        ("verneinung", "allowed"): ("allowed_negations", _patterns),
        ("konjunktiv", "allowed"): ("allowed_konjunktiv", _strings),
        ("abkuerzung", "allowed"): ("allowed_abbreviations", _strings),
        ("abkuerzung", "explained"): ("explained_abbreviations", _mapping),
        ("abkuerzung", "expansions"): ("abbreviation_expansions", _mapping),
        ("sonderzeichen", "allowed"): ("allowed_characters", _strings),
        ("sonderzeichen", "replacements"): ("character_replacements", _mapping),
        ("kompositum", "min_letters"): ("compound_min_letters", _positive_int),
        ("kompositum", "exempt"): ("compound_exempt", _strings),
        ("kompositum", "fixed"): ("compound_fixed", _strings),
        ("schweres-wort", "max_zipf"): ("hard_word_max_zipf", _number),
        ("schweres-wort", "exempt"): ("hard_word_exempt", _strings),
        ("schweres-wort", "words"): ("hard_words", _mapping),
        ("nominalstil", "phrases"): ("nominal_phrases", _mapping),
        ("nominalstil", "min_per_sentence"): ("nominal_min_per_sentence", _positive_int),
        ("nominalstil", "light_verbs"): ("nominal_light_verbs", _strings),
        ("nominalstil", "nouns"): ("nominal_nouns", _mapping),
        ("nominalstil", "light_predicates"): ("nominal_light_predicates", _strings),
        ("partizip-attribut", "allowed"): ("participle_allowed", _strings),
        ("partizip-attribut", "max_zipf"): ("participle_max_zipf", _number),
        ("seltenes-wort", "max_zipf"): ("rare_word_max_zipf", _number),
        ("amtsdeutsch", "words"): ("officialese_words", _mapping),
        ("amtsdeutsch", "phrases"): ("officialese_phrases", _mapping),
        ("yaml", "skip_keys"): ("yaml_skip_keys", _strings),
    }
)


def _severity(value: Any) -> Severity | None:
    if value == "off" or value is False:
        return None
    try:
        return Severity(value)
    except ValueError:
        raise TypeError("error, warning, info or off") from None


_TOP_LEVEL = ("rules", "yaml", "version", "compound_style", "glossary")
_MARKS = re.compile("[\u00b7\u0387\u2027\u2219\u22c5\u30fb\uff65\\-]")


def glossary_words(path: Path) -> frozenset[str]:
    """Terms and forms of a glossary file (``- term: ..., forms: [...]``), lower case, no marks.

    The county explains these words, so ``seltenes-wort`` lets them pass.
    """
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except OSError as exc:
        raise UserFacingError(f"{path}: glossary cannot be read ({exc.strerror})") from None
    except yaml.YAMLError:
        raise UserFacingError(f"{path}: glossary is not valid YAML") from None
    if not isinstance(entries, list):
        raise UserFacingError(f"{path}: glossary must be a list of entries with 'term:'")
    words: set[str] = set()
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("term"), str):
            raise UserFacingError(f"{path}: every glossary entry needs a 'term:' text")
        for text in [entry["term"], *(entry.get("forms") or [])]:
            words.update(_MARKS.sub("", w).lower() for w in str(text).split())
    return frozenset(words)


def config_from_mapping(
    data: Mapping[str, Any], where: str = "config", base: Path | None = None
) -> LintConfig:
    """Build a LintConfig from parsed YAML; raise UserFacingError naming the bad entry.

    ``base`` is the folder a relative ``glossary:`` path is read from.

    >>> config_from_mapping({"rules": {"satzlaenge": {"max_words": 10}}}).max_words
    10
    >>> config_from_mapping({"rules": {"man": {"severity": "off"}}}).severity("man") is None
    True
    >>> config_from_mapping({"compound_style": "hyphen"}).compound_style
    'hyphen'
    """
    if not isinstance(data, Mapping):
        raise UserFacingError(f"{where}: the file must be a mapping with 'rules:'")
    unknown = set(data) - set(_TOP_LEVEL)
    if unknown:
        raise UserFacingError(
            f"{where}: unknown section {sorted(unknown)[0]!r}; use one of {', '.join(_TOP_LEVEL)}"
        )
    sections: dict[str, Any] = dict(data.get("rules") or {})
    if data.get("yaml") is not None:
        sections["yaml"] = data["yaml"]
    severities: dict[str, Severity | None] = dict(DEFAULT_SEVERITIES)
    values: dict[str, Any] = {}
    for section, options in sections.items():
        if section not in RULE_IDS and section != "yaml":
            raise UserFacingError(
                f"{where}: unknown rule {section!r}; known: {', '.join(RULE_IDS)}"
            )
        if not isinstance(options, Mapping):
            raise UserFacingError(f"{where}: {section} must be a mapping (severity: ..., options)")
        for option, raw in options.items():
            try:
                if option == "severity" and section != "yaml":
                    severities[section] = _severity(raw)
                elif (section, option) in _OPTIONS:
                    name, convert = _OPTIONS[(section, option)]
                    values[name] = convert(raw)
                else:
                    raise UserFacingError(f"{where}: unknown option {option!r} of {section}")
            except TypeError as exc:
                raise UserFacingError(f"{where}: {section}.{option} must be {exc}") from None
    if "compound_style" in data:
        try:
            values["compound_style"] = _style(data["compound_style"])
        except TypeError as exc:
            raise UserFacingError(f"{where}: compound_style must be {exc}") from None
    if data.get("glossary"):
        glossary = Path(str(data["glossary"]))
        values["glossary_words"] = glossary_words(
            glossary if glossary.is_absolute() else (base or Path.cwd()) / glossary
        )
    return replace(LintConfig(), severities=MappingProxyType(severities), **values)


def load_config(path: Path | None = None, *, default: Path | None = None) -> LintConfig:
    """Read the config file ``path``, else ``default`` (this checkout's lint.yml if None).

    A missing default file gives the built-in defaults; a missing file that
    was asked for by name is an error.
    """
    target = path or default or default_config_path()
    if not target.is_file():
        if path is None:
            return LintConfig()
        raise UserFacingError(f"{target}: config file not found; check the path after --config")
    try:
        data = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise UserFacingError(
            f"{target}{line}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    return config_from_mapping(data, str(target), target.parent)


__all__ = [
    "COMPOUND_STYLES",
    "DEFAULT_SEVERITIES",
    "RULE_IDS",
    "LintConfig",
    "config_from_mapping",
    "default_config_path",
    "glossary_words",
    "load_config",
]
