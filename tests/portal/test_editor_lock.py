"""Saves across processes and portals: the content folder's lock and the edit conflict.

Another process holds the lock while it writes (multiprocessing, spawned): the
portal's save waits for it, then sees the new file and refuses, with the
texts as they are now. Two portals on one folder: the second save of a page
loaded before the first is refused, nothing lost. Two processes appending
in turns lose no change."""

from __future__ import annotations

import asyncio
import multiprocessing
import re
from dataclasses import replace
from pathlib import Path

from amtslotse.core.content.changes import ContentLock, write_file
from amtslotse.core.content.yamledit import ContentDocument
from amtslotse.portal import keys
from amtslotse.portal.app import create_app
from amtslotse.portal.auth import Auth, LoginLimits
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.sessions import SessionStore
from amtslotse.settings import Paths
from tests.portal import test_editor_pages as editor_pages
from tests.portal.test_editor_pages import ENTRY, GOOD, SERVICE, _editor, _entry, _problem
from tests.portal.test_staff_pages import ITERATIONS, MAX_AGE, Clock, account

content = editor_pages.content
released = editor_pages.released
training = editor_pages.training
client = editor_pages.client

OTHER = "Das Bürger·büro im Kreis·haus hilft Ihnen."
SPAWN = multiprocessing.get_context("spawn")  # no fork of the test's event loop


def _hold_and_write(root: str, file: str, text: str, ready, go) -> None:  # type: ignore[no-untyped-def]
    """Another instance: takes the lock, waits for ``go``, writes ``text``, lets go."""
    lock = ContentLock(Path(root))
    assert lock.acquire(blocking=True)
    ready.set()
    go.wait(60)
    write_file(Path(file), text)
    lock.release()


def _append(root: str, file: str, tag: str, times: int) -> None:
    """Appends ``tag-0`` ... to the list ``items`` of ``file``, one locked round each."""
    lock = ContentLock(Path(root))
    for n in range(times):
        assert lock.wait(60)
        try:
            path = Path(file)
            doc = ContentDocument(path.read_text(encoding="utf-8"))
            doc.set_list(("items",), [*doc.get(("items",)), f"{tag}-{n}"])
            write_file(path, doc.dump())
        finally:
            lock.release()


def _with_who(text: str, who: str) -> str:
    new, count = re.subn(r"(?m)^who: .*$", f"who: {who}", text)
    assert count == 1
    return new


async def _save(client, csrf: str, version: str, who: str):  # type: ignore[no-untyped-def]
    return await client.post(
        "/api/editor/entry",
        json={
            "kind": "service",
            "id": "fischereischein",
            "version": version,
            "texts": {"who": who},
        },
        headers={"X-CSRF-Token": csrf},
    )


async def test_a_save_waits_for_another_process_and_then_refuses_its_changed_file(client, content):
    csrf = await _editor(client)
    loaded = await _entry(client)
    path = content / SERVICE
    original = path.read_text(encoding="utf-8")
    theirs = _with_who(original, OTHER)
    ready, go = SPAWN.Event(), SPAWN.Event()
    other = SPAWN.Process(target=_hold_and_write, args=(str(content), str(path), theirs, ready, go))
    other.start()
    try:
        assert await asyncio.to_thread(ready.wait, 60)
        save = asyncio.create_task(_save(client, csrf, loaded["version"], GOOD))
        await asyncio.sleep(0.5)
        # The other process holds the lock: this save neither wrote nor answered.
        assert not save.done()
        assert path.read_text(encoding="utf-8") == original
        go.set()
        problem = await _problem(await save, 409)
    finally:
        go.set()
        await asyncio.to_thread(other.join, 60)
    assert other.exitcode == 0
    assert "Nichts ist gespeichert. Ihre Änderung steht noch im Formular." in problem["detail"]
    assert problem["current"]["texts"]["who"] == OTHER
    assert problem["version"] != loaded["version"]
    assert path.read_text(encoding="utf-8") == theirs  # theirs stays, nothing is lost
    log = await (await client.get("/api/editor/changes")).json()
    assert log["changes"] == []
    # With the version the refusal named, the editor's text is saved on purpose.
    r = await _save(client, csrf, problem["version"], GOOD)
    assert r.status == 200, await r.text()
    assert f"who: {GOOD}" in path.read_text(encoding="utf-8")


def _who(entry: dict) -> str:
    return next(t["text"] for t in entry["texts"] if t["name"] == "who")


async def _second_portal(aiohttp_client, fake_rasa, settings_for, tmp_path, content, training):  # type: ignore[no-untyped-def]
    accounts = {"erika": account("erika", "editor")}
    auth = Auth(
        lambda: accounts,
        SessionStore(f"sqlite:///{tmp_path / 'sessions-2.sqlite3'}", b"s" * 32),
        max_age=MAX_AGE,
        clock=Clock(),
        iterations=ITERATIONS,
        limits=LoginLimits(RateLimiter(per_minute=60, burst=60), RateLimiter(60, 60)),
    )
    settings = replace(settings_for(fake_rasa.port), paths=Paths(content_dir=content))
    return await aiohttp_client(create_app(settings, auth=auth, training=training))


async def test_two_portals_on_one_folder_refuse_the_older_page_and_keep_both_texts(
    client, content, aiohttp_client, fake_rasa, settings_for, tmp_path, training
):
    other = await _second_portal(
        aiohttp_client, fake_rasa, settings_for, tmp_path, content, training
    )
    first, second = await _editor(client), await _editor(other)
    mine, theirs = await _entry(client), await _entry(other)
    assert mine["version"] == theirs["version"]
    r = await _save(other, second, theirs["version"], OTHER)
    assert r.status == 200, await r.text()
    # The first portal's page was loaded before that save: refused, with the new text.
    problem = await _problem(await _save(client, first, mine["version"], GOOD), 409)
    assert problem["current"]["texts"]["who"] == OTHER
    text = (content / SERVICE).read_text(encoding="utf-8")
    assert f"who: {OTHER}" in text and GOOD not in text
    # The first portal reads the other's save at once (it loads the files under the lock).
    assert _who(await (await client.get(ENTRY)).json()) == OTHER


async def test_a_save_gives_up_while_another_holds_the_lock_and_writes_nothing(client, content):
    csrf = await _editor(client)
    loaded = await _entry(client)
    before = (content / SERVICE).read_bytes()
    client.app[keys.EDITOR].lock_wait = 0.3
    held = ContentLock(content)
    assert held.acquire()
    try:
        problem = await _problem(await _save(client, csrf, loaded["version"], GOOD), 503)
    finally:
        held.release()
    assert "Gerade speichert jemand anderes" in problem["detail"]
    assert (content / SERVICE).read_bytes() == before
    r = await _save(client, csrf, loaded["version"], GOOD)
    assert r.status == 200, await r.text()


def test_two_processes_changing_one_file_in_turns_lose_nothing(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    path = root / "list.yml"
    path.write_text("# kept\nitems:\n  - start\n", encoding="utf-8")
    workers = [SPAWN.Process(target=_append, args=(str(root), str(path), tag, 25)) for tag in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    items = ContentDocument(path.read_text(encoding="utf-8")).get(("items",))
    assert len(items) == 51
    assert set(items) == {"start"} | {f"{t}-{n}" for t in "ab" for n in range(25)}
    assert path.read_text(encoding="utf-8").startswith("# kept\n")


def test_the_lock_is_exclusive_within_one_process_too(tmp_path):
    first, second = ContentLock(tmp_path), ContentLock(tmp_path)
    assert first.acquire()
    assert not second.acquire() and not second.wait(0.1)
    first.release()
    assert second.acquire()
    second.release()
