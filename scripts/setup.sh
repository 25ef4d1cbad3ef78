#!/usr/bin/env bash
# One-command set-up on a fresh Debian machine with Node 20: installs the npm
# packages and, when no Chromium is found, Debian's chromium package.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

node_version=$(node -p 'process.versions.node' 2>/dev/null) || fail "Node.js is not installed; install Node 20.19+ or 22.12+ (https://nodejs.org)"
major=${node_version%%.*}; rest=${node_version#*.}; minor=${rest%%.*}
# package.json engines: ">=20.19 <21 || >=22.12" (chai 6 is an ES module loaded
# through require, which Node has without a flag from 20.19 and 22.12 on).
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; } || [ "$major" -eq 21 ] || { [ "$major" -eq 22 ] && [ "$minor" -lt 12 ]; }; then
  fail "Node $node_version cannot run this suite: use Node 20.19+ (20.x) or 22.12 or later (chai 6 is an ES module loaded through require)"
fi

say "installing npm packages (npm ci)"
npm ci --no-audit --no-fund

browser=""
if [ -n "${UMA_BROWSER_PATH:-}" ]; then
  [ -x "$UMA_BROWSER_PATH" ] || fail "UMA_BROWSER_PATH=$UMA_BROWSER_PATH is not an executable"
  browser=$UMA_BROWSER_PATH
elif [ -n "${UMA_BROWSER_WS:-}" ]; then
  browser="remote $UMA_BROWSER_WS"
else
  own=$(node -e 'try{const p=require("playwright").chromium.executablePath();if(require("fs").existsSync(p))console.log(p)}catch{}')
  for candidate in "$own" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then browser=$candidate; break; fi
  done
fi

if [ -z "$browser" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "no Chromium found: installing Debian's chromium package"
    if ! apt-get install -y chromium >/dev/null 2>&1; then
      apt-get update >/dev/null && apt-get install -y chromium >/dev/null || fail "apt-get could not install chromium; install it by hand or set UMA_BROWSER_PATH"
    fi
    browser=/usr/bin/chromium
  else
    fail "no Chromium found. Install one (Debian: sudo apt-get install -y chromium), or set UMA_BROWSER_PATH to a Chromium executable, or UMA_BROWSER_WS to a Playwright browser server"
  fi
fi
say "browser: $browser"

if ! command -v java >/dev/null; then
  say "note: Java is not installed; \`npm run report\` (Allure) needs it (Debian: apt-get install -y default-jre-headless). Tests run without it."
fi
say "ready: run \`npm test\`"
