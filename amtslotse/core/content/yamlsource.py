"""YAML reading that remembers line numbers, so editors get file:line messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A mapping from YAML that knows its own line and each key's line (1-based),
    and its place in the document (``path``: keys and list indices from the top)."""

    line: int = 0
    path: tuple[str | int, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[str, int] = {}
        self.value_lines: dict[str, int] = {}

    key_lines: dict[str, int]
    # Line of the first character of each value's text (for block scalars
    # "key: |" the line after the key), so checker findings map to file lines.
    value_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def text_line_of(self, key: str) -> int:
        return self.value_lines.get(key, self.line_of(key))


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
        block = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
        result.value_lines[str(key)] = value_node.start_mark.line + 1 + int(block)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# YAML 1.1 reads "no"/"yes"/"on" as booleans; editors write "walk_in: no" and
# mean the word, so only true/false are booleans here. The loader gets its own
# copy of the resolvers: the inherited dict is PyYAML's, shared by yaml.safe_load.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; raises YamlSyntaxError with the 1-based line."""
    return parse_yaml(path.read_text(encoding="utf-8"))


def _place(node: Any, path: tuple[str | int, ...]) -> None:
    if isinstance(node, LineDict):
        node.path = path
        for key, value in node.items():
            _place(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _place(value, (*path, i))


def parse_yaml(text: str) -> Any:
    """Parse YAML text (see read_yaml); every mapping knows its path."""
    doc = _parse(text)
    _place(doc, ())
    return doc


def _parse(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return _raise(line, f"{exc.problem or exc.context}")
    except yaml.YAMLError as exc:  # pragma: no cover - other YAML errors carry no mark
        raise YamlSyntaxError(1, str(exc)) from exc


def _raise(line: int, message: str) -> Any:
    raise YamlSyntaxError(line, message)
