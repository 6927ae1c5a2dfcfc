#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need on a fresh clone: npm packages (npm ci) when
# node_modules is missing or older than the lock file, and — for tests, as root — Debian's
# Chromium. Nothing here needs to be installed by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -L node_modules ]; then
  # A checkout that borrows another's packages (a git worktree): npm ci would follow the link and
  # empty the other checkout's node_modules, so they are left to the checkout that owns them.
  [ -x node_modules/.bin/node ] || { echo "huizhen: node_modules links to $(readlink node_modules), which has no packages: run npm ci there." >&2; exit 1; }
elif [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "huizhen: installing npm packages (npm ci)…"
  npm ci --no-audit --no-fund
fi

want_chromium=false
for arg in "$@"; do [ "$arg" = "--chromium" ] && want_chromium=true; done

# The demo hospital's PACS (Orthanc + DICOMweb, pydicom/dcmtk for its seed images). Without it
# and without root, the demo hospital runs with no PACS and says so.
bash scripts/ensure-pacs.sh || true
# The demo hospital's message broker (RabbitMQ, run as its own process); without it the demo says "broker off".
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || { [ "$(id -u)" = "0" ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null; } || echo "huizhen: no RabbitMQ, the demo runs without its broker: run 'sudo apt-get install rabbitmq-server' once." >&2
# Tests also need Debian's chromium (end-to-end), a CJK font (without one, screenshots show
# Chinese as boxes) and python3-hl7's mllp_send (an independent MLLP peer for the inbound
# listener's tests).
test_packages=()
if $want_chromium; then
  [ -x /usr/bin/chromium ] || test_packages+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || test_packages+=(fonts-noto-cjk)
  [ -x /usr/bin/mllp_send ] || test_packages+=(python3-hl7)
fi
if [ ${#test_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "huizhen: installing ${test_packages[*]} for the tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${test_packages[@]}" >/dev/null
  else
    echo "huizhen: the tests need ${test_packages[*]} and this is not root: run 'sudo apt-get install ${test_packages[*]}' once." >&2
    exit 1
  fi
fi
