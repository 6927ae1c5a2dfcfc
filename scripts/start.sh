#!/usr/bin/env bash
# npm start: the workstation against the embedded demo hospital.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# The project runs on the Node major Electron embeds (node@24 from npm), whatever Node is installed.
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build-renderer.ts
echo "huizhen: starting the demo hospital…"
exec node scripts/start.ts "$@"
