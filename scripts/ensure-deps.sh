#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need on a fresh clone: npm packages (npm ci) when
# node_modules is missing or older than the lock file, and — for tests, as root — Debian's
# Chromium. Nothing here needs to be installed by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "huizhen: installing npm packages (npm ci)…"
  npm ci --no-audit --no-fund
fi

want_chromium=false
for arg in "$@"; do [ "$arg" = "--chromium" ] && want_chromium=true; done

# The demo hospital's PACS (Orthanc + DICOMweb, pydicom/dcmtk for its seed images). Without it
# and without root, the demo hospital runs with no PACS and says so.
bash scripts/ensure-pacs.sh || true
if $want_chromium && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "huizhen: installing Debian's chromium for end-to-end tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "huizhen: /usr/bin/chromium is missing and this is not root: run 'sudo apt-get install chromium' once." >&2
    exit 1
  fi
fi
