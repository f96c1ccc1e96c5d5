"""The catalogue follows its files: a saved text answers without a restart."""

from __future__ import annotations

import os
import shutil

from amtslotse.core.content import default_content_root
from amtslotse.core.content.watch import LiveCatalogue


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_changed_file_is_loaded_after_the_interval_and_a_broken_one_is_not(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(default_content_root(), root)
    clock = Clock()
    live = LiveCatalogue(root, every=2.0, clock=clock)
    path = root / "services" / "wohngeld.yml"
    path.write_text(path.read_text().replace("name: Wohn·geld", "name: Geld für die Miete"))
    os.utime(path, ns=(1, 1))  # a new mtime even within the same clock tick
    assert live.current().services["wohngeld"].name == "Wohn·geld"  # not yet looked
    clock.now = 2.5
    assert live.current().services["wohngeld"].name == "Geld für die Miete"
    path.write_text("id: [kaputt\n")
    clock.now = 5.0
    assert live.current().services["wohngeld"].name == "Geld für die Miete"
