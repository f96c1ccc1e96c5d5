"""What the portal serves from the editors' content: the glossary and the checked texts.

``PortalContent`` is made once per app start (``load_content`` in the app's
cleanup context) and holds the catalogue's glossary as JSON. The checker
runs on one worker thread of its own (spaCy is loaded on first use, not at
start): ``check`` for a pasted text, ``texts_report`` for every text a
citizen can see, the editorial checks and each service's sources and
review (computed once, then kept).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from amtslotse.core.content import Catalogue
from amtslotse.core.content.entries import entry_of_key
from amtslotse.core.content.watch import LiveCatalogue
from amtslotse.settings import Paths

#: Longest text the live check accepts (a page of content is far shorter).
MAX_LINT_CHARS = 5000


class PortalContent:
    """The catalogue as the files are now (amtslotse.core.content.watch), its glossary as
    JSON and the texts report, both made again when the catalogue changed."""

    def __init__(self, paths: Paths, live: LiveCatalogue, executor: ThreadPoolExecutor):
        self.paths = paths
        self.live = live
        self.executor = executor
        self._catalogue = live.current()
        self._glossary = glossary_json(self._catalogue)
        self._report: dict[str, Any] | None = None
        self._report_of: Catalogue | None = None
        self._lint: dict[str, Any] = {}
        self._lock = asyncio.Lock()

    @property
    def catalogue(self) -> Catalogue:
        cat = self.live.current()
        if cat is not self._catalogue:
            self._catalogue, self._glossary = cat, glossary_json(cat)
        return cat

    @property
    def glossary(self) -> list[dict[str, Any]]:
        self.catalogue  # noqa: B018 - made again if the files changed
        return self._glossary

    def reloaded(self) -> bool:
        """Load the files again now (after a save in this portal); whether they changed."""
        changed = self.live.reload_if_changed()
        self.catalogue  # noqa: B018
        return changed

    async def _run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def check(self, text: str) -> dict[str, Any]:
        """Findings and readability scores of one text (lines 1-based, as typed)."""
        return await self._run(_check, self.paths, text)

    async def texts_report(self) -> dict[str, Any]:
        async with self._lock:
            cat = self.catalogue
            if self._report is None or self._report_of is not cat:
                self._report = await self._run(_texts_report, self.paths, cat, self._lint)
                self._report_of = cat
            return self._report


def glossary_json(cat: Catalogue) -> list[dict[str, Any]]:
    return [
        {"term": g.term, "forms": list(g.forms), "explanation": g.explanation.strip()}
        for g in cat.glossary
    ]


def load_content(paths: Paths, executor: ThreadPoolExecutor) -> PortalContent:
    return PortalContent(paths, LiveCatalogue(paths.content), executor)


def _check(paths: Paths, text: str) -> dict[str, Any]:
    from amtslotse.lint import check_text, checker_pipeline, load_config

    return check_text(text, load_config(default=paths.lint_config), checker_pipeline()).to_json()


def services_report(cat: Catalogue, today: date) -> list[dict[str, Any]]:
    """Per service: its sources (with their age), its review and its first answer.

    What an editor checks before publishing (content/leichte_sprache/REVIEW.md).
    """
    from amtslotse.core.routing import office_reply

    limit = cat.county.checks.source_max_age_days
    rows = []
    for service in cat.services.values():
        reply = office_reply(cat, service)
        review = service.review
        rows.append(
            {
                "id": service.id,
                "name": service.name,
                "where": service.location,
                "sources": [
                    {
                        "url": s.url,
                        "title": s.title,
                        "note": s.note,
                        "checked": s.checked.isoformat(),
                        "age_days": (today - s.checked).days,
                        "stale": (today - s.checked).days > limit,
                        "where": s.location,
                    }
                    for s in service.sources
                ],
                "review": {
                    "score": review.score if review else None,
                    "reviewer": review.reviewer if review else "",
                    "date": review.date.isoformat() if review and review.date else None,
                    # What must still change, or (open review) the old score's note.
                    "note": review.note if review else "",
                },
                "answer": reply.text,
                "buttons": [b.title for b in reply.buttons],
            }
        )
    return rows


def _entry_of(cat: Catalogue, key: str) -> str:
    """``kind:id`` of the entry a text of the report belongs to."""
    if key.startswith("answer:"):
        return f"service:{key[len('answer:') :]}"
    if key in ("answers", "booking"):
        return "answers:answers"
    if key == "mail":
        return "mail:mail"
    if key == "bot":
        return "bot:bot"
    found = entry_of_key(cat, key)
    return f"{found[0]}:{found[1]}" if found else "answers:answers"


def _texts_report(paths: Paths, cat: Catalogue, lint: dict[str, Any]) -> dict[str, Any]:
    """The report of every text; ``lint`` keeps the checker's results between calls."""
    from amtslotse.core.content.checks import editorial_checks
    from amtslotse.core.content.entries import ENTRY_KINDS, entries
    from amtslotse.core.content.review import review_states
    from amtslotse.core.content.texts import citizen_texts
    from amtslotse.lint import checker_pipeline, lint_items, load_config, text_scores
    from amtslotse.lint.analysis import analyse

    texts = citizen_texts(cat, paths.content, paths.bot / "domain", paths.root)
    wording = tuple((t.where(1, 1), t.text) for t in texts)
    if lint.get("wording") != wording:
        # The texts are read together (a word spelled two ways in two texts is a finding),
        # so the findings are kept for exactly these texts: a review mark changes none.
        nlp = checker_pipeline()
        findings: list[list[dict[str, Any]]] = [[] for _ in texts]
        for item in lint_items(
            ((str(i), t.text) for i, t in enumerate(texts)),
            load_config(default=paths.lint_config),
            nlp,
        ):
            index = int(item.source)
            f = item.finding
            findings[index].append({**f.to_json(), "where": texts[index].where(f.line, f.column)})
        scores = []
        for text in texts:
            analysis = analyse(text.text, nlp)
            scores.append(
                text_scores([[t.text for t in s.words] for s in analysis.sentences]).to_json()
            )
        lint.update(wording=wording, findings=findings, scores=scores)
    findings, all_scores = lint["findings"], lint["scores"]
    states = review_states(cat)
    rows = []
    for text, found, scores in zip(texts, findings, all_scores, strict=True):
        state = states.get(text.key)
        rows.append(
            {
                "label": text.label,
                "where": text.where(1, 1),
                "text": text.text,
                "findings": found,
                "scores": scores,
                "key": text.key,
                "entry": _entry_of(cat, text.key),
                "name": cat.sources[text.key].name if text.key in cat.sources else "",
                # None: a text the bot composes, or the domain's; only its parts are marked.
                "review": state.to_json() if state else None,
            }
        )
    counts = {"texts": len(rows), "error": 0, "warning": 0, "info": 0}
    for found in findings:
        for finding in found:
            counts[finding["severity"]] += 1
    today = date.today()
    checks = [
        {
            "where": c.where,
            "rule": c.rule,
            "severity": c.severity,
            "text": c.text,
            "message": c.message,
            "suggestion": c.suggestion,
        }
        for c in editorial_checks(cat, today)
    ]
    for check in checks:
        counts[check["severity"]] += 1
    counts["unreviewed"] = sum(1 for s in states.values() if not s.checked)
    return {
        "entries": [
            {"kind": e.kind, "id": e.id, "label": e.label, "lists": list(e.lists)}
            for e in entries(cat).values()
        ],
        "kinds": ENTRY_KINDS,
        "counts": counts,
        "texts": rows,
        "checks": checks,
        "services": services_report(cat, today),
        "source_max_age_days": cat.county.checks.source_max_age_days,
    }
