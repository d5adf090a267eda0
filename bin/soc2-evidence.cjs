#!/usr/bin/env node
// The `soc2-evidence` command. Two ways to run, chosen by what is on disk:
// - Inside a clone (the TypeScript sources sit beside this file and tsx, a devDependency, is installed):
//   run the sources through tsx, as cdk.json runs the app. `npm run demo`, `npx soc2-evidence` and the
//   tests need no build step, and a dist/ left over from an earlier `npm run build` is never run in place
//   of sources edited since.
// - Installed from the packed tarball (`npm pack` ships this file and dist/, not the sources; tsx is not a
//   production dependency): run the compiled JavaScript in dist/, built by `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, 'soc2-evidence.ts');
const compiled = join(__dirname, '..', 'dist', 'bin', 'soc2-evidence.js');

function tsxApi() {
  try {
    return require.resolve('tsx/cjs/api');
  } catch {
    return undefined;
  }
}

const tsx = existsSync(source) ? tsxApi() : undefined;
if (tsx) {
  require(tsx).register();
  require(source);
} else if (existsSync(compiled)) {
  require(compiled);
} else {
  console.error(
    'soc2-evidence: neither the compiled CLI (dist/) nor tsx to run its sources was found; ' +
      'in a clone run `npm ci` (or `npm run build`), otherwise reinstall the package',
  );
  process.exitCode = 1;
}
