#!/usr/bin/env bash
# The auditor's install path, end to end: build the CLI, pack it as the vendor hands it over, install the
# tarball into an empty folder with production dependencies only, and run `verify` from there on an auditor
# package (CI passes the demo's) against its trust file. Fails if the packed CLI needs anything only a clone
# has (tsx, the CDK, the TypeScript sources) or if verify finds an integrity problem (exit 4); exit 3 (gaps:
# the demo stages one on purpose) passes.
#
#   scripts/pack-and-verify.sh <auditor-package-dir> <trust-file>
#   # e.g. <demo --out dir>/auditor-package <demo --out dir>/demo-trust.json
set -euo pipefail

if [[ $# -ne 2 || ! -f "$1/manifest.json" || ! -f "$2" ]]; then
  echo "usage: $0 <auditor-package-dir> <trust-file>  (a directory written by pull, with manifest.json; the pinned keys)" >&2
  exit 1
fi
package_dir=$(cd "$1" && pwd)
trust_file="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
cd "$(dirname "$0")/.."
version=$(node -p 'require("./package.json").version')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tarball" "$work/auditor"

echo "-- build (npm run build)"
npm run --silent build

echo "-- pack"
npm pack --ignore-scripts --json --pack-destination "$work/tarball" >"$work/pack.json"
tarball="$work/tarball/$(node -p 'require(process.argv[1])[0].filename' "$work/pack.json")"
node -e '
const [p] = require(process.argv[1]);
console.log(`${p.filename}: ${p.entryCount} files, ${p.size} bytes packed, ${p.unpackedSize} unpacked`);
console.log(`integrity ${p.integrity}`);
for (const f of p.files) {
  if (!/^(dist\/|bin\/soc2-evidence\.cjs$|schema\/|docs\/AUDITOR\.md$|README\.md$|package\.json$|LICENSE)/.test(f.path)) {
    console.error(`unexpected file in the tarball: ${f.path}`);
    process.exitCode = 1;
  }
}' "$work/pack.json"
(cd "$work/tarball" && sha256sum "$(basename "$tarball")")

echo "-- install into an empty folder, production dependencies only"
cd "$work/auditor"
npm init -y >/dev/null
npm install --omit=dev --no-audit --no-fund "$tarball"
installed=$(npm ls --all --parseable | tail -n +2 | wc -l)
echo "installed packages: $installed"
for dev in tsx typescript aws-cdk-lib constructs cdk-nag esbuild; do
  if [[ -e "node_modules/$dev" ]]; then
    echo "a development dependency was installed: $dev" >&2
    exit 1
  fi
done
if [[ -e node_modules/soc2-evidence/bin/soc2-evidence.ts || ! -f node_modules/soc2-evidence/dist/bin/soc2-evidence.js ]]; then
  echo "the tarball must ship dist/bin/soc2-evidence.js and not the TypeScript entry point" >&2
  exit 1
fi

# --no: run only the copy installed here, never download a package of that name (`--` keeps npx from
# reading the command's own flags, such as --version, as its own).
echo "-- npx --no -- soc2-evidence --version"
got=$(npx --no -- soc2-evidence --version)
if [[ "$got" != "$version" ]]; then
  echo "expected version $version, got: $got" >&2
  exit 1
fi
echo "$got"
echo "-- npx --no -- soc2-evidence --help"
npx --no -- soc2-evidence --help >/dev/null

from=$(node -p 'require(process.argv[1]).period.from' "$package_dir/manifest.json")
to=$(node -p 'require(process.argv[1]).period.to' "$package_dir/manifest.json")
echo "-- npx --no -- soc2-evidence verify $package_dir --trust $trust_file --from $from --to $to"
start=$(date +%s%N)
status=0
npx --no -- soc2-evidence verify "$package_dir" --trust "$trust_file" --from "$from" --to "$to" || status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
echo "verify exit code $status in ${elapsed_ms} ms"
if [[ $status -ne 0 && $status -ne 3 ]]; then
  echo "the packed CLI's verify failed (exit $status)" >&2
  exit 1
fi
