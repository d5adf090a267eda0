#!/usr/bin/env bash
# Loads an auditor package's index.html in headless Chromium, as an auditor's browser would, and fails
# unless it renders cleanly: the page logs nothing to the console (it has no scripts, so any console line,
# "Uncaught" above all, is a problem), the DOM holds the calendar and findings sections and the folded
# object table, and the page loads nothing from the network.
#   scripts/check-index-in-browser.sh PATH/index.html     (Chromium from CHROMIUM_PATH, chromium or chromium-browser)
set -euo pipefail

page=${1:?usage: check-index-in-browser.sh PATH/index.html}
if [ ! -f "$page" ]; then
  echo "check-index-in-browser: no such file: $page" >&2
  exit 2
fi
browser=${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ]; then
  echo "check-index-in-browser: no Chromium found (install chromium or set CHROMIUM_PATH)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"

# A throw-away profile, so nothing of a previous run (or the user's own browser) is reused.
if ! timeout 90 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
  --enable-logging=stderr --v=0 --dump-dom "$url" >"$work/dom.html" 2>"$work/stderr.log"; then
  echo "check-index-in-browser: Chromium failed to load $url:" >&2
  tail -n 20 "$work/stderr.log" >&2
  exit 1
fi

problems=0
fail() {
  echo "check-index-in-browser: $*" >&2
  problems=$((problems + 1))
}

# Chromium logs each console message as `INFO:CONSOLE(line)] "text", source: URL (line)`.
if grep -E ':CONSOLE[:(]|Uncaught' "$work/stderr.log" >"$work/console.log"; then
  fail "the page logged to the console:"
  sed 's/^/  /' "$work/console.log" >&2
fi
for needle in '<section id="coverage">' '<table class="cal">' '<ul class="legend">' '<section id="findings">' \
  '<h3>Per check, most severe first</h3>' '<h3>Per control</h3>' '<h2>All objects</h2><details>'; do
  grep -qF "$needle" "$work/dom.html" || fail "the rendered DOM has no $needle"
done
if grep -qiE '<script|<link |(src|href)="(https?:)?//' "$work/dom.html"; then
  fail "the page is not self-contained: it has a script, a stylesheet link or a network address"
fi
if [ "$problems" -gt 0 ]; then
  exit 1
fi
echo "check-index-in-browser: $page renders in $("$browser" --version 2>/dev/null | head -n 1 || echo Chromium): no console output, calendar, findings and folded object table present"
