#!/usr/bin/env node
// Runs the TypeScript CLI without a build step (the same way cdk.json runs the app).
require('tsx/cjs/api').register();
require('./soc2-evidence.ts');
