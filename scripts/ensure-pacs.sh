#!/usr/bin/env bash
# Installs what the demo PACS needs: Debian's Orthanc with its DICOMweb plugin, and Python with
# pydicom + numpy + dcmtk to draw and re-identify the seed series. As root and only when
# something is missing; otherwise it says what is missing and exits 1 (the demo hospital then
# runs without a PACS). Debian's orthanc package would start its own service on 8042/4242:
# policy-rc.d denies that in containers; elsewhere it is stopped, as Huizhen runs its own.
set -euo pipefail

missing=()
[ -x /usr/sbin/Orthanc ] || missing+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
/usr/bin/python3 -c 'import pydicom' 2>/dev/null || missing+=(python3-pydicom)
/usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
[ -d /usr/lib/python3/dist-packages/pydicom/data/test_files ] || missing+=(python3-pydicom)
command -v dcmdump >/dev/null 2>&1 || missing+=(dcmtk)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
readarray -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" != "0" ]; then
  echo "huizhen: the demo PACS needs ${missing[*]} and this is not root: run 'sudo apt-get install ${missing[*]}' once." >&2
  exit 1
fi
echo "huizhen: installing ${missing[*]} for the demo PACS…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet orthanc 2>/dev/null; then
  systemctl stop orthanc || true
  systemctl disable orthanc >/dev/null 2>&1 || true
fi
