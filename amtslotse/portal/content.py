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
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from amtslotse.core.content import Catalogue, load_catalogue
from amtslotse.settings import Paths

#: Longest text the live check accepts (a page of content is far shorter).
MAX_LINT_CHARS = 5000


@dataclass
class PortalContent:
    paths: Paths
    catalogue: Catalogue
    glossary: list[dict[str, Any]]
    executor: ThreadPoolExecutor
    _report: dict[str, Any] | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def _run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def check(self, text: str) -> dict[str, Any]:
        """Findings and readability scores of one text (lines 1-based, as typed)."""
        return await self._run(_check, self.paths, text)

    async def texts_report(self) -> dict[str, Any]:
        async with self._lock:
            if self._report is None:
                self._report = await self._run(_texts_report, self.paths, self.catalogue)
            return self._report


def glossary_json(cat: Catalogue) -> list[dict[str, Any]]:
    return [
        {"term": g.term, "forms": list(g.forms), "explanation": g.explanation.strip()}
        for g in cat.glossary
    ]


def load_content(paths: Paths, executor: ThreadPoolExecutor) -> PortalContent:
    cat = load_catalogue(paths.content)
    return PortalContent(paths, cat, glossary_json(cat), executor)


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


def _texts_report(paths: Paths, cat: Catalogue) -> dict[str, Any]:
    from amtslotse.core.content.checks import editorial_checks
    from amtslotse.core.content.texts import citizen_texts
    from amtslotse.lint import checker_pipeline, lint_items, load_config, text_scores
    from amtslotse.lint.analysis import analyse

    nlp = checker_pipeline()
    texts = citizen_texts(cat, paths.content, paths.bot / "domain", paths.root)
    findings: list[list[dict[str, Any]]] = [[] for _ in texts]
    for item in lint_items(
        ((str(i), t.text) for i, t in enumerate(texts)), load_config(default=paths.lint_config), nlp
    ):
        index = int(item.source)
        f = item.finding
        findings[index].append({**f.to_json(), "where": texts[index].where(f.line, f.column)})
    rows = []
    for text, found in zip(texts, findings, strict=True):
        analysis = analyse(text.text, nlp)
        scores = text_scores([[t.text for t in s.words] for s in analysis.sentences])
        rows.append(
            {
                "label": text.label,
                "where": text.where(1, 1),
                "text": text.text,
                "findings": found,
                "scores": scores.to_json(),
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
    return {
        "counts": counts,
        "texts": rows,
        "checks": checks,
        "services": services_report(cat, today),
        "source_max_age_days": cat.county.checks.source_max_age_days,
    }
