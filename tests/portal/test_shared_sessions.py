"""Several portal instances share staff sessions through one PostgreSQL database."""

from __future__ import annotations

import re

import pytest

from amtslotse.portal.accounts import add_account
from amtslotse.portal.app import create_app
from amtslotse.portal.auth import SESSION_COOKIE
from amtslotse.testing.postgres import OS_USER, running_postgres
from tests.portal.conftest import portal_settings

pytestmark = pytest.mark.postgres
PASSWORD = "richtig-geheim-1"


async def test_a_session_opened_on_one_portal_works_and_ends_on_the_other(
    aiohttp_client, fake_rasa, tmp_path
):
    data_dir = tmp_path / "shared"
    add_account(data_dir, "erika", PASSWORD, iterations=1000)
    with running_postgres() as pg:
        pg.psql('CREATE DATABASE "portal"')
        url = f"postgresql://{OS_USER}@127.0.0.1:{pg.port}/portal"
        settings = portal_settings(fake_rasa.port, data_dir, portal_db_url=url)
        first = await aiohttp_client(create_app(settings))
        second = await aiohttp_client(create_app(settings))
        page = await first.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]*)"', await page.text()).group(1)
        login = await first.post(
            "/login",
            data={"name": "erika", "password": PASSWORD, "csrf": csrf, "next": "/hotline"},
            allow_redirects=False,
        )
        assert login.status == 303
        cookie = login.cookies[SESSION_COOKIE].value
        second.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})
        hotline = await second.get("/hotline", allow_redirects=False)
        assert hotline.status == 200
        token = re.search(r'name="csrf-token" content="([^"]+)"', await hotline.text()).group(1)
        await second.post("/logout", data={"csrf": token}, allow_redirects=False)
        assert (await first.get("/hotline", allow_redirects=False)).status == 303
        assert int(pg.psql("SELECT count(*) FROM staff_sessions", database="portal")) == 0
        await first.close()
        await second.close()
