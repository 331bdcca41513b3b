#!/usr/bin/env bash
# usage: html_screenshot.sh REPORT.html OUT.png
# Renders REPORT.html in headless Debian chromium, writes a 1280x2000 screenshot to OUT.png and
# the DOM after scripts ran to OUT.png.dom.html (also printed on stdout). Offline: every
# background network feature is off, so a report that tried to load anything would show broken.
# Exit 3 when chromium is not installed (callers skip), otherwise chromium's failure status.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 REPORT.html OUT.png" >&2; exit 2; }
report=$(realpath "$1")
out=$2
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "html_screenshot: chromium is not installed" >&2; exit 3; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars
       --user-data-dir="$profile" --window-size=1280,2000)
rm -f "$out" "$out.dom.html"
"$browser" "${flags[@]}" --screenshot="$out" "file://$report" >/dev/null 2>"$profile/screenshot.log" ||
  { cat "$profile/screenshot.log" >&2; exit 1; }
"$browser" "${flags[@]}" --dump-dom "file://$report" 2>"$profile/dom.log" >"$out.dom.html" ||
  { cat "$profile/dom.log" >&2; exit 1; }
[ -s "$out" ] || { echo "html_screenshot: no screenshot written" >&2; cat "$profile/screenshot.log" >&2; exit 1; }
cat "$out.dom.html"
