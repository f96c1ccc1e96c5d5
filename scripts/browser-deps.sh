#!/usr/bin/env bash
# JavaScript the browser tests need (axe-core, pinned in package-lock.json).
# Installs into node_modules/ only when it is missing; does nothing otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f node_modules/axe-core/axe.min.js ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "browser-deps: npm is missing; install it (Debian: apt-get install npm)." >&2
    exit 1
fi
echo "browser-deps: installing axe-core from package-lock.json (npm ci)"
npm ci --no-audit --no-fund
