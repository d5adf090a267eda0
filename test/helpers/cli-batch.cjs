// Runs several CLI invocations in one Node.js process, for tests that check what each prints and its exit
// code: loading the CLI costs a second or two of CPU, paid here once per batch instead of once per case.
// Usage: node cli-batch.cjs <cases.json> <results.json>; cases.json is [["arg", ...], ...]. Each case runs
// the real `main` (bin/soc2-evidence.ts through tsx, as bin/soc2-evidence.cjs does) with fresh stdout and
// stderr captures and process.exitCode reset; results.json gets [{ code, stderr, stdout }, ...] in order.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

require(require.resolve('tsx/cjs/api')).register();
const { main } = require(join(__dirname, '..', '..', 'cli', 'main.ts'));
const { CommanderError } = require('commander');

async function run() {
  const [casesFile, resultsFile] = process.argv.slice(2);
  const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
  const results = [];
  const realErr = process.stderr.write.bind(process.stderr);
  const realOut = process.stdout.write.bind(process.stdout);
  // Commander ends the process on a parse error of a subcommand (process.exit after printing its message);
  // here that ends the case instead: main treats a CommanderError as commander's own exit.
  const realExit = process.exit;
  process.exit = (code) => {
    throw new CommanderError(code ?? 0, 'cli-batch.exit', '');
  };
  for (const args of cases) {
    let stderr = '';
    let stdout = '';
    process.stderr.write = (chunk) => ((stderr += String(chunk)), true);
    process.stdout.write = (chunk) => ((stdout += String(chunk)), true);
    process.exitCode = undefined;
    try {
      await main(['node', 'soc2-evidence', ...args]);
    } catch (err) {
      stderr += `uncaught: ${String(err && err.stack ? err.stack : err)}\n`;
      process.exitCode = 99;
    } finally {
      process.stderr.write = realErr;
      process.stdout.write = realOut;
    }
    results.push({ code: process.exitCode ?? 0, stderr, stdout });
  }
  process.exit = realExit;
  process.exitCode = 0;
  writeFileSync(resultsFile, JSON.stringify(results));
}
void run();
