#!/usr/bin/env bash
# npm start: the workstation against the embedded demo hospital.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec bash scripts/start-workstation.sh "$@"
