"""Load and validate content/leichte_sprache/ into a Catalogue.

Every problem is collected (not only the first) and reported as
``file:line: message; hint`` relative to the content root.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from amtslotse.core.content.model import (
    PHRASES,
    WEEKDAYS,
    Accessibility,
    Address,
    Catalogue,
    Clarification,
    ClarifyOption,
    ContentChecks,
    County,
    ExternalBody,
    GlossaryEntry,
    Interval,
    Location,
    Office,
    OpeningHours,
    Review,
    Service,
    Source,
    TextMark,
    TextSource,
    WalkIn,
)
from amtslotse.core.content.yamlsource import LineDict, YamlSyntaxError, parse_yaml

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class ContentError(Exception):
    """The content could not be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def default_content_root() -> Path:
    """content/leichte_sprache/ of this checkout; a process passes its configured one."""
    from amtslotse.settings import Paths

    return Paths().content


class _Reader:
    """Typed field access on one file's YAML, collecting problems."""

    def __init__(self, root: Path, problems: list[Problem], overrides: dict[str, str]):
        self.root = root
        self.problems = problems
        self.overrides = overrides
        self.sources: dict[str, TextSource] = {}
        self.marks: list[TextMark] = []

    def load(self, relpath: str) -> Any:
        path = self.root / relpath
        if relpath not in self.overrides and not path.is_file():
            self.problems.append(
                Problem(relpath, 1, "file is missing", "create it (see README.md)")
            )
            return None
        try:
            text = self.overrides.get(relpath)
            doc = parse_yaml(text if text is not None else path.read_text(encoding="utf-8"))
        except YamlSyntaxError as exc:
            self.problems.append(
                Problem(
                    relpath,
                    exc.line,
                    f"YAML syntax: {exc.message}",
                    "check indentation and quotes around texts with ':' or '#'",
                )
            )
            return None
        for entry in doc if isinstance(doc, list) else [doc]:
            if isinstance(entry, LineDict) and "geprueft" in entry:
                self._marks(relpath, entry)
        return doc

    def _marks(self, file: str, d: LineDict) -> None:
        """``geprueft: {<text name>: {am: YYYY-MM-DD, von: ..., fassung: ...}}`` of an entry."""
        block = self.mapping(file, d["geprueft"], d.line_of("geprueft"), "geprueft")
        if block is None:
            return
        for name in block:
            mark = self.mapping(file, block[name], block.line_of(name), f"geprueft '{name}'")
            if mark is None:
                continue
            for key in mark:
                if key not in ("am", "von", "fassung"):
                    self.problem(
                        file, mark.line_of(key), f"unknown field '{key}'", "use am, von, fassung"
                    )
            am = self.day(file, mark, "am")
            von = self.get(file, mark, "von", str, default="").strip()
            fassung = self.get(file, mark, "fassung", str, default="").strip()
            if am is not None and von and fassung:
                self.marks.append(
                    TextMark(file, d.path, str(name), am, von, fassung, f"{file}:{mark.line}")
                )

    def problem(self, file: str, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(file, line, message, hint))

    def mapping(self, file: str, value: Any, line: int, what: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.problem(file, line, f"{what} must be a mapping (key: value)")
        return None

    def get(
        self,
        file: str,
        d: LineDict,
        key: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
    ) -> Any:
        if key not in d or d[key] is None:
            if required:
                self.problem(file, d.line, f"missing field '{key}'", f"add '{key}:'")
            return default
        value = d[key]
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            self.problem(
                file, d.line_of(key), f"field '{key}' must be {_TYPE_WORDS.get(names, names)}"
            )
            return default
        return value

    def text(self, file: str, d: LineDict, key: str, name: str, *, required: bool = True) -> str:
        value = self.get(file, d, key, str, required=required, default="")
        value = value.strip()
        if value:
            self.sources[name] = TextSource(f"{file}:{d.text_line_of(key)}", value, (*d.path, key))
        return value

    def day(self, file: str, d: LineDict, key: str, *, required: bool = True) -> date | None:
        """A date written as YYYY-MM-DD (YAML reads it as a date; quoted, as text)."""
        value = d.get(key)
        if value is None:
            if required:
                self.problem(file, d.line, f"missing field '{key}'", f"add '{key}: YYYY-MM-DD'")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(
                file,
                d.line_of(key),
                f"field '{key}' must be a date like 2026-12-01",
                "write year-month-day",
            )
            return None

    def strings(
        self, file: str, d: LineDict, key: str, *, required: bool = False
    ) -> tuple[str, ...]:
        value = self.get(file, d, key, list, required=required, default=[])
        out = []
        for item in value:
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                out.append(str(item).strip())
            else:
                self.problem(file, d.line_of(key), f"every entry of '{key}' must be a text")
        return tuple(out)

    def ident(self, file: str, d: LineDict, key: str = "id") -> str:
        value = self.get(file, d, key, str, default="")
        if value and not _ID.match(value):
            self.problem(
                file,
                d.line_of(key),
                f"id '{value}' may only use a-z, 0-9 and _",
                "write it in lower case, e.g. 'wohngeld'",
            )
        return value


_TYPE_WORDS = {
    "str": "a text",
    "int": "a whole number",
    "bool": "true or false",
    "list": "a list",
    "LineDict": "a mapping",
}


def _suggest(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known))}"


def _parse_hours(r: _Reader, file: str, d: LineDict, hid: str) -> OpeningHours:
    weekly_raw = r.get(file, d, "weekly", LineDict, default=LineDict())
    weekly: list[tuple[Interval, ...]] = []
    for key in weekly_raw:
        if key not in WEEKDAYS:
            r.problem(
                file,
                weekly_raw.line_of(key),
                f"unknown weekday '{key}'",
                f"use one of {', '.join(WEEKDAYS)}",
            )
    for day in WEEKDAYS:
        spans = weekly_raw.get(day) or []
        if isinstance(spans, str):
            spans = [spans]
        intervals = []
        for span in spans:
            m = _HOURS.match(str(span).replace(" ", ""))
            if not m:
                r.problem(
                    file,
                    weekly_raw.line_of(day),
                    f"hours '{span}' are not HH:MM-HH:MM",
                    "write e.g. 08:00-12:00",
                )
                continue
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            try:
                start, end = time(h1, m1), time(h2, m2)
            except ValueError:
                r.problem(file, weekly_raw.line_of(day), f"hours '{span}' are not a time of day")
                continue
            if end <= start:
                r.problem(file, weekly_raw.line_of(day), f"hours '{span}' end before they start")
                continue
            intervals.append(Interval(start, end))
        intervals.sort(key=lambda i: i.start)
        for a, b in zip(intervals, intervals[1:], strict=False):
            if b.start < a.end:
                r.problem(file, weekly_raw.line_of(day), f"hours on '{day}' overlap")
        weekly.append(tuple(intervals))
    return OpeningHours(id=hid, weekly=tuple(weekly))


def _walk_in(r: _Reader, file: str, d: LineDict, office_is_external: bool) -> WalkIn:
    if office_is_external:
        return WalkIn.EXTERNAL
    raw = r.get(file, d, "walk_in", (str, bool), default="no")
    raw = {True: "yes", False: "no"}.get(raw, raw) if isinstance(raw, bool) else raw
    mapping = {
        "yes": WalkIn.YES,
        "ja": WalkIn.YES,
        "no": WalkIn.NO,
        "nein": WalkIn.NO,
        "urgent": WalkIn.URGENT,
    }
    if raw not in mapping:
        r.problem(
            file, d.line_of("walk_in"), f"walk_in '{raw}' is unknown", "write yes, no or urgent"
        )
        return WalkIn.NO
    return mapping[raw]


def load_catalogue(root: Path | None = None, overrides: dict[str, str] | None = None) -> Catalogue:
    """Read and validate all content below ``root``; raise ContentError on any problem.

    ``overrides`` maps file names (``services/wohngeld.yml``) to texts read
    instead of the files: how the editor validates a change before saving it.
    """
    root = Path(root) if root else default_content_root()
    problems: list[Problem] = []
    r = _Reader(root, problems, overrides or {})

    county = _load_county(r)
    hours = _load_hours(r)
    locations = _load_locations(r, hours)
    offices = _load_offices(r, locations)
    external = _load_external(r)
    services = _load_services(r, offices, external)
    clarifications = _load_clarifications(r, services)
    glossary = _load_glossary(r)
    phrases = _load_phrases(r)

    if problems or county is None:
        raise ContentError(problems or [Problem("county.yml", 1, "could not be read")])
    return Catalogue(
        county=county,
        locations=locations,
        offices=offices,
        external=external,
        services=services,
        clarifications=clarifications,
        glossary=glossary,
        phrases=phrases,
        sources=r.sources,
        marks=tuple(r.marks),
    )


def _load_county(r: _Reader) -> County | None:
    f = "county.yml"
    d = r.mapping(f, r.load(f), 1, "county.yml")
    if d is None:
        return None
    hotline = r.get(f, d, "hotline", LineDict, default=None)
    emergency = r.get(f, d, "emergency", LineDict, default=None)
    if hotline is None or emergency is None:
        return None
    return County(
        id=r.ident(f, d),
        name=r.text(f, d, "name", "county.name"),
        example_notice=r.text(f, d, "example_notice", "county.example_notice"),
        hotline_phone=r.get(f, hotline, "phone", str, default=""),
        hotline_hours=r.text(f, hotline, "hours", "county.hotline.hours"),
        jugendamt_emergency_phone=r.get(f, emergency, "jugendamt", str, default=""),
        timezone=r.get(f, d, "timezone", str, default="Europe/Berlin"),
        holiday_subdivision=r.get(f, d, "holiday_subdivision", str, default="ST"),
        checks=_content_checks(r, f, d),
    )


def _content_checks(r: _Reader, f: str, d: LineDict) -> ContentChecks:
    """county.yml ``content_check``: the limits of `amtslotse content check` (all optional)."""
    raw = r.get(f, d, "content_check", LineDict, required=False, default=None)
    if raw is None:
        return ContentChecks()
    defaults = ContentChecks()
    limits = {"source_max_age_days": 1, "button_max_chars": 10}
    for key in raw:
        if key not in limits:
            r.problem(f, raw.line_of(key), f"unknown setting '{key}'", _suggest(key, list(limits)))
    values = {}
    for key, least in limits.items():
        value = r.get(f, raw, key, int, required=False, default=getattr(defaults, key))
        if value < least:
            r.problem(f, raw.line_of(key), f"'{key}' must be {least} or more")
            value = getattr(defaults, key)
        values[key] = value
    return ContentChecks(**values)


def _load_hours(r: _Reader) -> dict[str, OpeningHours]:
    f = "opening_hours.yml"
    d = r.mapping(f, r.load(f), 1, "opening_hours.yml")
    out: dict[str, OpeningHours] = {}
    if d is None:
        return out
    for hid, body in d.items():
        body = r.mapping(f, body, d.line_of(hid), f"hours '{hid}'")
        if body is not None:
            out[hid] = _parse_hours(r, f, body, hid)
    return out


def _items(r: _Reader, f: str, what: str) -> list[LineDict]:
    data = r.load(f)
    if data is None:
        return []
    if not isinstance(data, list):
        r.problem(f, 1, f"{what} must be a list ('- id: ...')")
        return []
    out = []
    for item in data:
        d = r.mapping(f, item, getattr(data, "line", 1), f"every {what[:-1]}")
        if d is not None:
            out.append(d)
    return out


def _unique(r: _Reader, f: str, d: LineDict, ident: str, seen: dict[str, str]) -> bool:
    if not ident:
        return False
    if ident in seen:
        r.problem(f, d.line_of("id"), f"id '{ident}' is used twice", f"first at {seen[ident]}")
        return False
    seen[ident] = f"{f}:{d.line_of('id')}"
    return True


def _load_locations(r: _Reader, hours: dict[str, OpeningHours]) -> dict[str, Location]:
    f = "locations.yml"
    out: dict[str, Location] = {}
    seen: dict[str, str] = {}
    for d in _items(r, f, "locations"):
        lid = r.ident(f, d)
        if not _unique(r, f, d, lid, seen):
            continue
        addr = r.get(f, d, "address", LineDict, default=None)
        acc = r.get(f, d, "accessibility", LineDict, default=None)
        hid = r.get(f, d, "hours", str, default="")
        if hid and hid not in hours:
            r.problem(
                f, d.line_of("hours"), f"hours '{hid}' do not exist", _suggest(hid, list(hours))
            )
        if addr is None or acc is None or hid not in hours:
            continue
        out[lid] = Location(
            id=lid,
            name=r.text(f, d, "name", f"locations.{lid}.name"),
            address=Address(
                street=r.get(f, addr, "street", str, default=""),
                postcode=r.get(f, addr, "postcode", str, default=""),
                city=r.get(f, addr, "city", str, default=""),
                example=r.get(f, addr, "example", bool, default=True),
            ),
            hours=hours[hid],
            appointments=r.get(f, d, "appointments", bool, default=True),
            accessibility=Accessibility(
                wheelchair=r.get(f, acc, "wheelchair", bool, default=False),
                lift=r.get(f, acc, "lift", bool, default=False),
                text=r.text(f, acc, "text", f"locations.{lid}.accessibility"),
            ),
            directions=r.text(f, d, "directions", f"locations.{lid}.directions", required=False),
            at=r.get(f, d, "at", str, required=False, default="").strip(),
            to=r.get(f, d, "to", str, required=False, default="").strip(),
        )
    return out


def _load_offices(r: _Reader, locations: dict[str, Location]) -> dict[str, Office]:
    f = "offices.yml"
    out: dict[str, Office] = {}
    seen: dict[str, str] = {}
    for d in _items(r, f, "offices"):
        oid = r.ident(f, d)
        if not _unique(r, f, d, oid, seen):
            continue
        loc = r.get(f, d, "location", str, default="")
        if loc and loc not in locations:
            r.problem(
                f,
                d.line_of("location"),
                f"location '{loc}' does not exist",
                _suggest(loc, list(locations)),
            )
            continue
        desks = r.get(f, d, "desks", int, default=0)
        if desks < 0:
            r.problem(f, d.line_of("desks"), "desks must be 0 (walk-in only) or more")
        out[oid] = Office(
            id=oid,
            name=r.text(f, d, "name", f"offices.{oid}.name"),
            location_id=loc,
            desks=max(desks, 0),
            phone=r.get(f, d, "phone", str, default=""),
            email=r.get(f, d, "email", str, default=""),
            text=r.text(f, d, "text", f"offices.{oid}.text", required=False),
            who=r.get(f, d, "who", str, required=False, default="").strip(),
        )
    return out


def _load_external(r: _Reader) -> dict[str, ExternalBody]:
    f = "external.yml"
    out: dict[str, ExternalBody] = {}
    seen: dict[str, str] = {}
    for d in _items(r, f, "bodies"):
        eid = r.ident(f, d)
        if not _unique(r, f, d, eid, seen):
            continue
        if not eid.startswith("extern_"):
            r.problem(f, d.line_of("id"), f"id '{eid}' must start with 'extern_'")
        out[eid] = ExternalBody(
            id=eid,
            name=r.text(f, d, "name", f"external.{eid}.name"),
            phone=r.get(f, d, "phone", str, required=False, default=""),
            website=r.get(f, d, "website", str, required=False, default=""),
            text=r.text(f, d, "text", f"external.{eid}.text", required=False),
            who=r.get(f, d, "who", str, required=False, default="").strip(),
            contact=r.text(f, d, "contact", f"external.{eid}.contact", required=False),
        )
    return out


def _clarification(
    r: _Reader, f: str, d: LineDict, cid: str, known: list[str], what: str
) -> Clarification | None:
    opts_raw = r.get(f, d, "options", list, default=[])
    options = []
    for i, o in enumerate(opts_raw):
        o = r.mapping(f, o, d.line_of("options"), "every option")
        if o is None:
            continue
        target = r.get(f, o, what, str, default="")
        if target and target not in known:
            r.problem(
                f, o.line_of(what), f"{what} '{target}' does not exist", _suggest(target, known)
            )
        options.append(
            ClarifyOption(title=r.text(f, o, "title", f"{cid}.options.{i}"), payload_id=target)
        )
    if len(options) < 2:
        r.problem(f, d.line_of("options"), "a question needs at least 2 options")
        return None
    return Clarification(
        id=cid,
        question=r.text(f, d, "question", f"{cid}.question"),
        options=tuple(options),
        synonyms=r.strings(f, d, "synonyms"),
        text=r.text(f, d, "text", f"{cid}.text", required=False),
    )


def _load_services(
    r: _Reader, offices: dict[str, Office], external: dict[str, ExternalBody]
) -> dict[str, Service]:
    out: dict[str, Service] = {}
    seen: dict[str, str] = {}
    folder = r.root / "services"
    files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if not files:
        r.problem("services/", 1, "no service files", "add services/<id>.yml")
    owners = list(offices) + list(external)
    for path in files:
        f = f"services/{path.name}"
        d = r.mapping(f, r.load(f), 1, "a service file")
        if d is None:
            continue
        sid = r.ident(f, d)
        if not _unique(r, f, d, sid, seen):
            continue
        if sid and path.stem != sid:
            r.problem(
                f,
                d.line_of("id"),
                f"file name does not match id '{sid}'",
                f"rename the file to services/{sid}.yml",
            )
        office_id = r.get(f, d, "office", str, required="choose_office" not in d, default=None)
        choose = None
        if "choose_office" in d:
            raw = r.mapping(f, d["choose_office"], d.line_of("choose_office"), "choose_office")
            if raw is not None:
                choose = _clarification(
                    r, f, raw, f"services.{sid}.choose_office", list(offices), "office"
                )
        if office_id is not None and office_id not in offices and office_id not in external:
            r.problem(
                f,
                d.line_of("office"),
                f"office '{office_id}' does not exist",
                _suggest(office_id, owners),
            )
            continue
        walk_in = _walk_in(r, f, d, office_id in external)
        minutes = r.get(f, d, "minutes", int, required=walk_in is WalkIn.NO, default=None)
        if minutes is not None and not 5 <= minutes <= 240:
            r.problem(f, d.line_of("minutes"), "minutes must be between 5 and 240")
        if (
            office_id is not None
            and office_id in offices
            and walk_in is WalkIn.NO
            and offices[office_id].walk_in_only
        ):
            r.problem(
                f,
                d.line_of("walk_in"),
                f"office '{office_id}' takes no appointments",
                "write walk_in: yes",
            )
        leika = r.get(f, d, "leika", str, required=False, default=None)
        if leika is not None and not re.fullmatch(r"\d{14}", leika):
            r.problem(
                f,
                d.line_of("leika"),
                "leika must be a 14-digit LeiKa key",
                'put it in quotes: leika: "99..."',
            )
        documents = r.strings(f, d, "documents")
        for i, doc in enumerate(documents):
            # Block-style list: item i stands i+1 lines below "documents:".
            r.sources[f"services.{sid}.documents.{i}"] = TextSource(
                f"{f}:{d.line_of('documents') + 1 + i}", doc, (*d.path, "documents", i)
            )
        hard_words = r.strings(f, d, "hard_words")
        offices_here = [office_id] if office_id is not None else []
        if choose is not None:
            offices_here = [o.payload_id for o in choose.options]
        out[sid] = Service(
            id=sid,
            location=f"{f}:{d.line}",
            name=r.text(f, d, "name", f"services.{sid}.name"),
            bring=r.text(f, d, "bring", f"services.{sid}.bring", required=False),
            who=_who(r, f, d, sid, offices_here),
            button=r.text(f, d, "button", f"services.{sid}.button", required=False),
            sources=_sources(r, f, d),
            review=_review(r, f, d),
            office_id=office_id,
            walk_in=walk_in,
            minutes=minutes,
            text=r.text(f, d, "text", f"services.{sid}.text"),
            simple_text=r.text(f, d, "simple", f"services.{sid}.simple"),
            documents=documents,
            synonyms=r.strings(f, d, "synonyms", required=True),
            hard_words=hard_words,
            hard_words_where=_item_lines(f, d, "hard_words", len(hard_words)),
            leika=leika,
            choose_office=choose,
        )
    return out


def _item_lines(f: str, d: LineDict, key: str, count: int) -> tuple[str, ...]:
    """ "file:line" of each entry of the list ``key``: one line for ``[a, b]``, else one each."""
    start = d.text_line_of(key)
    flow = start == d.line_of(key)
    return tuple(f"{f}:{start if flow else start + i}" for i in range(count))


def _who(
    r: _Reader, f: str, d: LineDict, sid: str, offices: list[str]
) -> tuple[tuple[str, str], ...]:
    """``who:`` one sentence, or (with choose_office) one sentence per office id."""
    if "who" not in d or d["who"] is None:
        return ()
    raw = d["who"]
    if isinstance(raw, str):
        if len(offices) != 1:
            r.problem(
                f,
                d.line_of("who"),
                "'who' must name the office when choose_office decides",
                f"write who: with one line per office ({', '.join(offices)})",
            )
            return ()
        return ((offices[0], r.text(f, d, "who", f"services.{sid}.who")),)
    per_office = r.mapping(f, raw, d.line_of("who"), "who")
    if per_office is None:
        return ()
    out = []
    for office in per_office:
        if office not in offices:
            r.problem(
                f,
                per_office.line_of(office),
                f"'who' names office '{office}', which this service does not use",
                _suggest(str(office), offices),
            )
            continue
        out.append((str(office), r.text(f, per_office, office, f"services.{sid}.who.{office}")))
    return tuple(out)


def _sources(r: _Reader, f: str, d: LineDict) -> tuple[Source, ...]:
    """``sources:`` the official pages the facts were checked against.

    A service without any is reported by `amtslotse content check` (checks.py),
    not here: the assistant still starts.
    """
    raw = r.get(f, d, "sources", list, required=False, default=[])
    out = []
    for item in raw:
        src = r.mapping(f, item, d.line_of("sources"), "every source")
        if src is None:
            continue
        url = r.get(f, src, "url", str, default="").strip()
        if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            r.problem(
                f, src.line_of("url"), f"url '{url}' is not a web address", "write https://..."
            )
        checked = r.day(f, src, "checked")
        if not url or checked is None:
            continue
        out.append(
            Source(
                url=url,
                checked=checked,
                title=r.get(f, src, "title", str, required=False, default="").strip(),
                note=r.get(f, src, "note", str, required=False, default="").strip(),
                location=f"{f}:{src.line_of('checked')}",
            )
        )
    return tuple(out)


def _review(r: _Reader, f: str, d: LineDict) -> Review | None:
    """``review:`` score 1-5, reviewer and date; all may be null until someone reviews."""
    raw = r.get(f, d, "review", LineDict, required=False, default=None)
    if raw is None:
        return None
    for key in raw:
        if key not in ("score", "reviewer", "date", "note"):
            r.problem(
                f,
                raw.line_of(key),
                f"unknown review field '{key}'",
                "use score, reviewer, date, note",
            )
    score = raw.get("score")
    if score is not None and (isinstance(score, bool) or score not in (1, 2, 3, 4, 5)):
        r.problem(f, raw.line_of("score"), "score must be a whole number from 1 to 5, or null")
        score = None
    reviewer = r.get(f, raw, "reviewer", str, required=False, default="").strip()
    when = r.day(f, raw, "date", required=False)
    if score is not None and (not reviewer or when is None):
        r.problem(
            f,
            raw.line_of("score"),
            "a score needs a reviewer and a date",
            "add reviewer: and date:",
        )
    return Review(
        score=score,
        reviewer=reviewer,
        date=when,
        note=r.get(f, raw, "note", str, required=False, default="").strip(),
        location=f"{f}:{raw.line_of('score')}",
    )


def _load_clarifications(r: _Reader, services: dict[str, Service]) -> dict[str, Clarification]:
    f = "clarifications.yml"
    out: dict[str, Clarification] = {}
    seen: dict[str, str] = {}
    for d in _items(r, f, "questions"):
        cid = r.ident(f, d)
        if not _unique(r, f, d, cid, seen):
            continue
        c = _clarification(r, f, d, cid, list(services), "service")
        if c is not None:
            out[cid] = c
    return out


def _load_glossary(r: _Reader) -> tuple[GlossaryEntry, ...]:
    f = "glossary.yml"
    out = []
    seen: dict[str, str] = {}
    for d in _items(r, f, "entries"):
        term = r.get(f, d, "term", str, default="")
        key = term.replace("·", "").lower()
        if key in seen:
            r.problem(
                f, d.line_of("term"), f"term '{term}' is explained twice", f"first at {seen[key]}"
            )
            continue
        seen[key] = f"{f}:{d.line_of('term')}"
        out.append(
            GlossaryEntry(
                term=term,
                forms=r.strings(f, d, "forms"),
                explanation=r.text(f, d, "explanation", f"glossary.{key}"),
            )
        )
    return tuple(out)


def _load_phrases(r: _Reader) -> dict[str, str]:
    f = "answers.yml"
    d = r.mapping(f, r.load(f), 1, "answers.yml")
    out: dict[str, str] = {}
    if d is None:
        return out
    for key in d:
        if key not in PHRASES and key != "geprueft":
            r.problem(
                f, d.line_of(key), f"unknown sentence '{key}'", _suggest(str(key), list(PHRASES))
            )
    for key, allowed in PHRASES.items():
        text = r.text(f, d, key, f"answers.{key}")
        if not text and key in d:
            r.problem(f, d.line_of(key), f"sentence '{key}' is empty")
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            r.problem(
                f, d.line_of(key), f"broken {{placeholder}}: {exc}", "write {word} with both braces"
            )
            continue
        for name in sorted(used - allowed):
            hint = (
                f"allowed here: {', '.join('{' + a + '}' for a in sorted(allowed))}"
                if allowed
                else "this sentence takes no {words}"
            )
            r.problem(f, d.line_of(key), f"unknown placeholder {{{name}}}", hint)
        out[key] = text
    return out
