"""Inputs of the checker: Markdown, YAML content files, plain text, stdin.

Each reader returns a :class:`Source`: the text to check (one line of text
per line of prose) and, for every one of its lines, where that line starts
in the file, so findings name the real file line and column.

- Markdown: markup (headings, list bullets, emphasis, links, tables, HTML)
  is blanked out with spaces, so columns stay exact; code blocks and front
  matter are skipped.
- YAML: every string value that is citizen-facing text, i.e. not under a key
  in ``yaml.skip_keys`` of the config and not an id, number, e-mail or web
  address. Block texts (``text: |``) are checked line by line.
- Plain text and stdin: as they are; each line is one paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from amtslotse.errors import UserFacingError

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_YAML_SUFFIXES = frozenset({".yml", ".yaml"})


@dataclass(frozen=True)
class Source:
    """Text to check, its label (path or "-") and where each of its lines is in the file.

    ``origins[i]`` is (file line, column offset) of text line ``i + 1``;
    empty means the text is the file itself.
    """

    label: str
    text: str
    origins: tuple[tuple[int, int], ...] = ()

    def locate(self, line: int, column: int) -> tuple[int, int]:
        """File line and column (1-based) of a text line and column (1-based).

        >>> Source("a.yml", "Hallo.", ((7, 8),)).locate(1, 1)
        (7, 9)
        """
        if not self.origins:
            return line, column
        file_line, offset = self.origins[line - 1]
        return file_line, column + offset


# --- Markdown -----------------------------------------------------------------

_MD_BLANK_PATTERNS = (
    re.compile(r"^\s{0,3}#{1,6}\s"),  # heading marks
    re.compile(r"^\s{0,3}(?:>\s?)+"),  # block quotes
    re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+"),  # list bullets
    re.compile(r"!\[[^\]]*\]\([^)]*\)"),  # images
    re.compile(r"<[^>\n]+>"),  # HTML tags and autolinks
    re.compile(r"\*\*|__|`"),  # strong emphasis, code spans
    re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"),  # *emphasis*, not "Bürger*innen"
    re.compile(r"\|"),  # table cells
)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_COMMENT = re.compile(r"<!--.*?-->")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{3,}")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def markdown_prose(line: str) -> str:
    """One Markdown line with its markup replaced by spaces (same length).

    >>> markdown_prose("## Das **Wohn·geld**")
    '   Das   Wohn·geld  '
    >>> markdown_prose("- [Antrag](https://example.org) stellen")
    '   Antrag                       stellen'
    """
    if _MD_RULE.match(line):
        return ""
    line = _MD_LINK.sub(
        lambda m: " " + m.group(1) + " " * (len(m.group()) - len(m.group(1)) - 1), line
    )
    for pattern in _MD_BLANK_PATTERNS:
        line = pattern.sub(_blank, line)
    return line


def markdown_source(label: str, content: str) -> Source:
    """A Markdown document as prose lines (front matter, code blocks and comments blanked)."""
    out: list[str] = []
    lines = content.split("\n")
    fence: str | None = None
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    in_comment = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if in_front_matter:
            out.append("")
            if index > 0 and stripped in {"---", "..."}:
                in_front_matter = False
            continue
        if fence:
            out.append("")
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append("")
            continue
        if in_comment:
            in_comment = "-->" not in line
            out.append("")
            continue
        line = _MD_COMMENT.sub(_blank, line)
        if "<!--" in line:  # a comment that runs on over the next lines
            in_comment = True
            line = line[: line.index("<!--")]
        if (
            line.startswith(("    ", "\t"))
            and not stripped.startswith(("-", "*", "+"))
            and not re.match(r"\d", stripped)
        ):
            out.append("")  # indented code
            continue
        out.append(markdown_prose(line))
    return Source(label, "\n".join(out))


# --- YAML ---------------------------------------------------------------------

_NOT_PROSE = re.compile(
    r"^[a-z0-9_]+$"  # ids
    r"|^[^A-Za-zÄÖÜäöüß]*$"  # numbers, phone numbers, times
    r"|^\S+@\S+\.\S+$"  # e-mail
    r"|^(https?://|www\.)\S+$"  # web address
)


def _scalar_lines(node: yaml.ScalarNode, file_lines: list[str]) -> list[tuple[str, int, int]]:
    """(text, file line 1-based, column offset) for each line of a scalar's text."""
    start, end = node.start_mark, node.end_mark
    if node.style in ("|", ">"):
        # The end mark of a block text is the start of the next line (column 0), or
        # the end of the last line when the file ends without a newline.
        body = file_lines[start.line + 1 : end.line + (1 if end.column else 0)]
        while body and not body[-1].strip():
            body.pop()
        indents = [len(raw) - len(raw.lstrip()) for raw in body if raw.strip()]
        indent = min(indents) if indents else 0
        return [(raw[indent:], start.line + 2 + i, indent) for i, raw in enumerate(body)]
    quote = 1 if node.style in ('"', "'") else 0
    if start.line == end.line:
        return [(node.value, start.line + 1, start.column + quote)]
    result = []
    for line_no in range(start.line, end.line + 1):
        raw = file_lines[line_no]
        column = start.column + quote if line_no == start.line else len(raw) - len(raw.lstrip())
        text = raw[column : end.column - quote] if line_no == end.line else raw[column:]
        result.append((text, line_no + 1, column))
    return result


def _prose_scalars(node: yaml.Node, key: str | None, skip: frozenset[str]) -> list[yaml.ScalarNode]:
    if isinstance(node, yaml.MappingNode):
        found: list[yaml.ScalarNode] = []
        for key_node, value in node.value:
            name = str(key_node.value)
            if name not in skip:
                found.extend(_prose_scalars(value, name, skip))
        return found
    if isinstance(node, yaml.SequenceNode):
        return [s for item in node.value for s in _prose_scalars(item, key, skip)]
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        value = node.value.strip()
        if (
            value
            and not _NOT_PROSE.match(value)
            and value.lower() not in {"yes", "no", "ja", "nein", "on", "off"}
        ):
            return [node]
    return []


def yaml_source(label: str, content: str, skip_keys: frozenset[str]) -> Source:
    """The citizen-facing texts of a YAML content file, with their file positions."""
    try:
        root = yaml.compose(content, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}" if mark else ""
        raise UserFacingError(
            f"{label}{where}: not valid YAML ({exc.problem or exc.context})"
        ) from None
    if root is None:
        return Source(label, "", ())
    file_lines = content.split("\n")
    texts: list[str] = []
    origins: list[tuple[int, int]] = []
    for scalar in _prose_scalars(root, None, skip_keys):
        for text, file_line, column in _scalar_lines(scalar, file_lines):
            texts.append(text)
            origins.append((file_line, column))
    return Source(label, "\n".join(texts), tuple(origins))


# --- files ----------------------------------------------------------------------


def read_source(path: Path, skip_keys: frozenset[str] = frozenset()) -> Source:
    """Read a Markdown, YAML or plain text file; UserFacingError when it cannot be read."""
    label = str(path)
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserFacingError(f"{label}: no such file; check the path") from None
    except IsADirectoryError:
        raise UserFacingError(f"{label}: is a directory; name the files to check") from None
    except UnicodeDecodeError:
        raise UserFacingError(f"{label}: not UTF-8 text") from None
    except OSError as exc:
        raise UserFacingError(f"{label}: cannot be read ({exc.strerror})") from None
    suffix = path.suffix.lower()
    if suffix in _MARKDOWN_SUFFIXES:
        return markdown_source(label, content)
    if suffix in _YAML_SUFFIXES:
        return yaml_source(label, content, skip_keys)
    return Source(label, content.rstrip("\n"))
