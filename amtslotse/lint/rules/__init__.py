"""The rules, one small function each, keyed by their stable id (contract section 5).

Each check reads the analysed input and the config and yields hits; the
checker adds id, severity and position. Modules group rules by concern:
``saetze`` (sentences), ``grammatik``, ``zahlen`` (numbers, dates),
``woerter`` (words).
"""

from __future__ import annotations

from amtslotse.lint.rules.base import Rule
from amtslotse.lint.rules.grammatik import (
    genitiv,
    konjunktiv,
    man,
    nominalstil,
    partizip_attribut,
    passiv,
    verneinung,
)
from amtslotse.lint.rules.saetze import ein_satz_pro_zeile, nebensatz, satzlaenge
from amtslotse.lint.rules.woerter import (
    abkuerzung,
    amtsdeutsch,
    kompositum,
    schweres_wort,
    seltenes_wort,
    sonderzeichen,
    uneinheitlicher_begriff,
)
from amtslotse.lint.rules.zahlen import datum_uhrzeit, zahlwort

#: All rules in report order; ids are stable.
RULES: tuple[Rule, ...] = (
    Rule("satzlaenge", "Satz zu lang", satzlaenge),
    Rule("nebensatz", "Neben·satz", nebensatz),
    Rule("ein-satz-pro-zeile", "mehr als 1 Satz in einer Zeile", ein_satz_pro_zeile),
    Rule("passiv", "Passiv", passiv),
    Rule("konjunktiv", "Konjunktiv", konjunktiv),
    Rule("genitiv", "Genitiv", genitiv),
    Rule("verneinung", "Verneinung", verneinung),
    Rule("zahlwort", "Zahl als Wort", zahlwort),
    Rule("datum-uhrzeit", "Datum oder Uhrzeit in schwerer Form", datum_uhrzeit),
    Rule("abkuerzung", "Abkürzung", abkuerzung),
    Rule("sonderzeichen", "Sonder·zeichen", sonderzeichen),
    Rule("kompositum", "langes Wort nicht getrennt", kompositum),
    Rule("schweres-wort", "schweres oder seltenes Wort", schweres_wort),
    Rule("man", "„man“", man),
    Rule("nominalstil", "Nominal·stil", nominalstil),
    Rule("uneinheitlicher-begriff", "ein Wort in 2 Schreib·weisen", uneinheitlicher_begriff),
    Rule("partizip-attribut", "Partizip als Eigenschafts·wort", partizip_attribut),
    Rule("seltenes-wort", "sehr seltenes Wort", seltenes_wort),
    Rule("amtsdeutsch", "Amts·deutsch", amtsdeutsch),
)

__all__ = ["RULES", "Rule"]
