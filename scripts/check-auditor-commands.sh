#!/usr/bin/env bash
# docs/AUDITOR.md's manual commands must work as written. Every ```sh block of the guide whose first line is
#   # Run from the package directory
# is run here, as written, with bash -euo pipefail, from <package-dir>, with TRUST set to <trust-file> (the
# guide tells the auditor to set TRUST to their pinned trust file). Blocks that need AWS credentials are not
# marked and not run; these are the offline checks (digests, signatures, the digest chain).
#
#   scripts/check-auditor-commands.sh <package-dir> <trust-file>   # CI: the demo's package and demo-trust.json
set -euo pipefail

if [[ $# -ne 2 || ! -f "$1/manifest.json" || ! -f "$2" ]]; then
  echo "usage: $0 <package-dir> <trust-file>" >&2
  exit 1
fi
package_dir=$(cd "$1" && pwd)
trust="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
guide="$(cd "$(dirname "$0")/.." && pwd)/docs/AUDITOR.md"
for tool in jq openssl sha256sum base64; do
  command -v "$tool" >/dev/null || { echo "$tool is needed to run the guide's commands" >&2; exit 1; }
done

blocks=$(mktemp -d)
trap 'rm -rf "$blocks"' EXIT
node -e '
const fs = require("node:fs");
const text = fs.readFileSync(process.argv[1], "utf8");
let n = 0;
for (const m of text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
  if (!m[1].startsWith("# Run from the package directory")) continue;
  fs.writeFileSync(`${process.argv[2]}/${String(++n).padStart(2, "0")}.sh`, m[1]);
}
if (n === 0) { console.error("no block starts with \"# Run from the package directory\""); process.exit(1); }
console.log(`${n} block(s) of ${process.argv[1]}`);
' "$guide" "$blocks"

status=0
for block in "$blocks"/*.sh; do
  echo "-- block $(basename "$block" .sh): $(sed -n 2p "$block")"
  work=$(mktemp -d)
  cp -R "$package_dir/." "$work/"
  if ! (cd "$work" && TRUST="$trust" bash -euo pipefail "$block"); then
    echo "docs/AUDITOR.md block $(basename "$block" .sh) failed as written" >&2
    status=1
  elif ! diff -rq "$package_dir" "$work" >/dev/null; then
    # The guide promises the blocks leave the package as it was (verify would count a stray file).
    echo "docs/AUDITOR.md block $(basename "$block" .sh) changed the package:" >&2
    diff -rq "$package_dir" "$work" >&2 || true
    status=1
  fi
  rm -rf "$work"
done
exit $status
