"""Process 3: the Rasa action server (``amtslotse serve-actions``).

rasa-sdk's own app, plus what ``python -m rasa_sdk`` cannot do: the runtime
(settings, catalogue, one scheduling client with one HTTP session) is opened
before the first request and closed when the server stops, and an error
answers without echoing the request, which holds the citizen's messages.
"""

from __future__ import annotations

import logging
from typing import Any

from amtslotse.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> Any:
    """The Sanic app of rasa-sdk with the actions of this package."""
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from sanic import response

    from actions import runtime

    app = create_sdk_app("actions", cors_origins=None)

    @app.before_server_start
    async def open_runtime(app: Any, loop: Any) -> None:
        runtime.install(runtime.Runtime.from_settings(settings))

    @app.after_server_stop
    async def close_runtime(app: Any, loop: Any) -> None:
        current = runtime.install(None)
        if current is not None:
            await current.close()

    @app.exception(Exception)
    async def failed(request: Any, exception: Exception) -> Any:
        # rasa-sdk's own handler answers with the request body (the tracker, with
        # everything the citizen wrote) and logs it; this one names the error type only.
        log.error("an action failed: %s", type(exception).__name__)
        return response.json({"error": type(exception).__name__}, status=500)

    return app


def serve(settings: Settings, *, host: str, port: int) -> None:
    from actions.audit import log_to_stderr
    from amtslotse import logs

    log_to_stderr()
    app = create_app(settings)
    logs.configure()  # after Sanic added its handlers
    # One worker: the runtime and its HTTP session are per process.
    app.run(host=host, port=port, workers=1, access_log=False, motd=False)
