"""Turn the services a client names into offerings at one location.

A client names a service by id (``wohngeld``) or, where several offices offer
it (``bildung_teilhabe`` at Jobcenter or Sozialamt), by ``service:office``.
The bot asks the citizen which office applies; this module never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from amtslotse.scheduling.domain.model import ServiceOption
from amtslotse.scheduling.errors import (
    AmbiguousService,
    FieldError,
    InvalidRequest,
    MixedLocations,
    UnknownService,
)


def resolve_services(
    requested: Sequence[str], offered: Mapping[str, Sequence[ServiceOption]]
) -> list[ServiceOption]:
    """Pick one offering per requested service; all must be at one location."""
    chosen: list[ServiceOption] = []
    for text in requested:
        service_id, _, office_id = text.partition(":")
        options = list(offered.get(service_id, ()))
        if not options:
            raise UnknownService(
                f"'{service_id}' is not a service that can be booked",
                errors=[FieldError("service", f"unknown or not bookable: {service_id}")],
            )
        if office_id:
            options = [o for o in options if o.office_id == office_id]
            if not options:
                raise UnknownService(
                    f"'{service_id}' cannot be booked at office '{office_id}'",
                    errors=[FieldError("service", f"not offered by {office_id}: {service_id}")],
                )
        if len(options) > 1:
            names = ", ".join(f"{service_id}:{o.office_id}" for o in options)
            raise AmbiguousService(
                f"'{service_id}' is offered by several offices; name one of: {names}",
                errors=[FieldError("service", f"name the office: {names}")],
            )
        chosen.append(options[0])
    if len({(o.service_id, o.office_id) for o in chosen}) != len(chosen):
        raise InvalidRequest(
            "each service may be requested only once",
            errors=[FieldError("service", "duplicate service")],
        )
    locations = {o.service_id: o.location_id for o in chosen}
    if len(set(locations.values())) > 1:
        where = ", ".join(f"{sid} at {loc}" for sid, loc in locations.items())
        raise MixedLocations(
            f"these services are at different locations and cannot be combined: {where}",
            locations=locations,
        )
    return chosen
