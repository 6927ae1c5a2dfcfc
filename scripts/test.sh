#!/usr/bin/env bash
# npm test: everything — types, layer rules, unit, integration (real loopback servers),
# the Electron bundles, and end-to-end in Debian's Chromium. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --chromium
export PATH="$PWD/node_modules/.bin:$PATH"

step() { printf '\n=== %s ===\n' "$1"; }

step "type-check (node, renderer, electron)"
tsc -p tsconfig.node.json
tsc -p tsconfig.renderer.json
tsc -p tsconfig.electron.json
tsc -p tsconfig.e2e.json

step "lint (incl. the layer rule) and format"
eslint --max-warnings 0 .
prettier --check . --log-level warn

step "electronegativity (Electron shell: no unreviewed finding)"
node scripts/electronegativity.ts

step "build (renderer, electron shell)"
vite build --logLevel warn
node scripts/build-electron.ts

step "unit + integration"
vitest run

step "end to end (Playwright, Chromium)"
playwright test
