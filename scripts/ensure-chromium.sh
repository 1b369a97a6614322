#!/bin/sh
# Ensures /usr/bin/chromium exists for the web end-to-end tests (playwright-core drives the Debian
# package; we never download Playwright's own browser builds). Idempotent: does nothing when present.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium with your package manager" >&2
  exit 1
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
fi

echo "ensure-chromium: installing the Debian package 'chromium'" >&2
# Other jobs on this machine may hold the dpkg lock; wait for it rather than fail.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
