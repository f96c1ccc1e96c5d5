"""Changing a content file the way an editor would: comments, order and style stay.

ruamel.yaml reads the file as a round-trip document; a change touches only
the values it sets. Written back, an unchanged document is the same text,
byte for byte (tests/content/test_yamledit.py checks every content file):

- block texts (``text: |``) stay block texts; a single line that becomes
  several lines becomes one; quoted one-liners keep their quotes;
- lists keep their style (``[a, b]`` or one ``- a`` a line), and items
  that stay keep their comments;
- ``null`` stays ``null``; lines are never wrapped;
- files whose top level is a list (``- id: ...`` at column 0, as
  offices.yml) keep that, with nested lists indented as in the other files.

Pure: text in, text out. :meth:`ContentDocument.dump` refuses to return a
text that does not read back as the same data (:class:`EditError`).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

__all__ = ["ContentDocument", "EditError", "Path"]

Path = tuple[str | int, ...]


class EditError(Exception):
    """A change that cannot be made (a path that does not exist, a broken round trip)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # type: ignore[assignment]
    yaml.width = 4096  # type: ignore[assignment]
    yaml.indent(mapping=2, sequence=4, offset=2)
    # The same date in two marks is written twice, not as an anchor and an alias.
    yaml.representer.ignore_aliases = lambda *_: True  # type: ignore[method-assign]
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


class ContentDocument:
    """One content file, changed in place."""

    def __init__(self, text: str):
        self._yaml = _yaml()
        try:
            self.data: Any = self._yaml.load(text)
        except Exception as exc:  # ruamel raises many kinds; all mean "not YAML"
            raise EditError(f"the file is no YAML: {exc}") from None

    def node(self, path: Path) -> Any:
        node = self.data
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                raise EditError(f"no {'.'.join(map(str, path))} in this file") from None
        return node

    def get(self, path: Path, default: Any = None) -> Any:
        try:
            return self.node(path)
        except EditError:
            return default

    def set_text(self, path: Path, text: str) -> None:
        """The text at ``path`` (its parent must exist), in the style it had."""
        parent, key = self.node(path[:-1]), path[-1]
        old = parent.get(key) if isinstance(parent, dict) else parent[key]
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        value: Any
        if "\n" in text or isinstance(old, LiteralScalarString):
            value = LiteralScalarString(text + "\n")
        elif isinstance(old, DoubleQuotedScalarString):
            value = DoubleQuotedScalarString(text)
        elif isinstance(old, SingleQuotedScalarString):
            value = SingleQuotedScalarString(text)
        else:
            value = text
        parent[key] = value

    def set_list(self, path: Path, items: list[str]) -> None:
        """The list at ``path`` holds ``items``: kept items keep their place and comments."""
        old = self.get(path)
        if not isinstance(old, CommentedSeq):
            seq = CommentedSeq(items)
            if not items:
                seq.fa.set_flow_style()  # "documents: []"
            self.node(path[:-1])[path[-1]] = seq
            return
        kept = [item for item in old if item in items]
        if kept == [item for item in items if item in kept]:
            # Same order: delete what went (from the end), append what is new.
            for i in range(len(old) - 1, -1, -1):
                if old[i] not in items:
                    del old[i]
            for item in items:
                if item not in old:
                    old.append(item)
        else:
            del old[:]
            old.extend(items)

    def set_mark(self, entry: Path, name: str, am: date, von: str, fassung: str) -> None:
        """``geprueft.<name>`` of the entry at ``entry``, as one flow mapping a line."""
        target = self.node(entry)
        block = target.get("geprueft")
        if not isinstance(block, CommentedMap):
            block = CommentedMap()
            target["geprueft"] = block
        mark = CommentedMap(
            [("am", am), ("von", von), ("fassung", DoubleQuotedScalarString(fassung))]
        )
        mark.fa.set_flow_style()
        block[name] = mark

    def drop_mark(self, entry: Path, name: str) -> bool:
        """Removes ``geprueft.<name>``, and the block when it is empty; whether there was one."""
        target = self.node(entry)
        block = target.get("geprueft")
        if not isinstance(block, dict) or name not in block:
            return False
        del block[name]
        if not block:
            del target["geprueft"]
        return True

    def marks(self, entry: Path) -> list[str]:
        block = self.get((*entry, "geprueft"))
        return [str(k) for k in block] if isinstance(block, dict) else []

    def dump(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        text = out.getvalue()
        if isinstance(self.data, list):
            # ruamel indents a top-level list like a nested one; comments keep their column.
            text = "".join(
                line[2:] if line.startswith("  ") and not line.lstrip().startswith("#") else line
                for line in text.splitlines(keepends=True)
            )
        if _plain(_yaml().load(text)) != _plain(self.data):
            raise EditError("the file would not read back the same; nothing was written")
        return text


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
