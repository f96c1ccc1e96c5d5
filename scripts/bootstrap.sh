#!/usr/bin/env bash
# Create .venv from Python 3.10 and install the project, once.
#
# Re-running is fast: the install is keyed on a hash of pyproject.toml and
# constraints.txt, stored in .venv/.amtslotse-install; nothing happens while
# that hash is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.amtslotse-install"
want_hash=$(cat pyproject.toml constraints.txt 2>/dev/null | sha256sum | cut -c1-16)

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_hash" ]; then
  exit 0
fi

find_python310() {
  # 1. explicit choice, 2. pyenv, 3. PATH.
  if [ -n "${AMTSLOTSE_PYTHON:-}" ]; then
    echo "$AMTSLOTSE_PYTHON"; return 0
  fi
  if command -v pyenv >/dev/null 2>&1; then
    local v
    v=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -V | tail -n 1 || true)
    if [ -n "$v" ] && [ -x "$(pyenv root)/versions/$v/bin/python" ]; then
      echo "$(pyenv root)/versions/$v/bin/python"; return 0
    fi
  fi
  for candidate in python3.10 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
  PY="$VENV/bin/python"
else
  if ! PY=$(find_python310); then
    cat >&2 <<'MSG'
amtslotse: Python 3.10 was not found. Rasa 3.6 runs only on Python 3.8 to 3.10,
and this project is built and tested with 3.10. Install it, for example with
"pyenv install 3.10" (the bootstrap finds pyenv versions by itself) or with your
system's package manager, or point AMTSLOTSE_PYTHON at a python3.10 binary, and
run the command again.
MSG
    exit 1
  fi
  if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "amtslotse: $PY is not Python 3.10 (AMTSLOTSE_PYTHON must name a 3.10 interpreter)." >&2
    exit 1
  fi
  rm -rf "$VENV"
  echo "Creating $VENV with $("$PY" --version 2>&1) ($PY)"
  "$PY" -m venv "$VENV"
fi

echo "Installing Amtslotse and its pinned dependencies into $VENV (first run: about 4 minutes)"
# constraints.txt pins every transitive package to the set the tests ran with.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  -c constraints.txt -e ".[dev]" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
echo "$want_hash" > "$STAMP"
