"""The editors' content: the county's catalogue, loaded and validated.

``load_catalogue(root)`` reads ``content/leichte_sprache/`` and returns a
:class:`Catalogue`, or raises :class:`ContentError` that lists every problem
with file and line. The model is plain, immutable data: no I/O after loading.
"""

from amtslotse.core.content.loader import (
    ContentError,
    Problem,
    default_content_root,
    load_catalogue,
)
from amtslotse.core.content.model import (
    Accessibility,
    Address,
    Catalogue,
    Clarification,
    ClarifyOption,
    County,
    ExternalBody,
    GlossaryEntry,
    Interval,
    Location,
    Office,
    OpeningHours,
    Service,
    TextSource,
    WalkIn,
)

__all__ = [
    "Accessibility",
    "Address",
    "Catalogue",
    "Clarification",
    "ClarifyOption",
    "ContentError",
    "County",
    "ExternalBody",
    "GlossaryEntry",
    "Interval",
    "Location",
    "Office",
    "OpeningHours",
    "Problem",
    "Service",
    "TextSource",
    "WalkIn",
    "default_content_root",
    "load_catalogue",
]
