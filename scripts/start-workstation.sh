#!/usr/bin/env bash
# npm start after its dependency check: build the screens if their code changed, then the demo
# hospital and the workstation. The first-start bench runs this directly (it must not install).
set -euo pipefail
cd "$(dirname "$0")/.."
# The project runs on the Node major Electron embeds (node@24 from npm), whatever Node is installed.
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build-renderer.ts
echo "huizhen: starting the demo hospital…"
exec node scripts/start.ts "$@"
