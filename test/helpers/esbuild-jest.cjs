// The jest transform of the project's TypeScript: types stripped to CommonJS by esbuild, one file at a time,
// as ts-jest did with isolatedModules (type checking is `tsc --noEmit`, npm run typecheck). esbuild takes
// about a millisecond a file where ts-jest's transpileModule took tens: a run with a cold transform cache
// (CI, a fresh clone) spent seconds of CPU per worker on it. It reads the tsconfig's options that change
// the emitted code (target, strict, useDefineForClassFields), so the output means what tsc's would.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const esbuild = require('esbuild');

const tsconfigRaw = readFileSync(join(__dirname, '..', '..', 'tsconfig.json'), 'utf8');
const self = readFileSync(join(__dirname, 'esbuild-jest.cjs'), 'utf8');

module.exports = {
  getCacheKey(source, path, options) {
    return createHash('sha256')
      .update([esbuild.version, self, tsconfigRaw, options.configString, path, source].join('\0'))
      .digest('hex');
  },
  process(source, path) {
    const { code, map } = esbuild.transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      sourcefile: path,
      sourcemap: 'external',
      sourcesContent: false,
      tsconfigRaw,
      // import() becomes a require() in a promise, as tsc emits it for CommonJS (jest's module registry
      // serves require; a real dynamic import needs --experimental-vm-modules).
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
};
