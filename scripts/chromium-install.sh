#!/usr/bin/env bash
# Installs Debian's Chromium and its WebDriver when absent, for the console's browser tests.
# The tests use /usr/bin/chromium and /usr/bin/chromedriver as they are: nothing downloads a browser
# or a driver at run time.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium chromium-driver >/dev/null
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { echo "Chromium could not be installed" >&2; exit 1; }
