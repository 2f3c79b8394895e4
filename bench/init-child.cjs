// One cold start: a fresh Node process requires one bundle (as the Lambda runtime loads a CJS
// handler) and reports how long the require took (module evaluation: the bundle's own code
// plus every SDK client it constructs at load). Used by bench/cold-start.ts.
'use strict';
const { performance } = require('node:perf_hooks');
const file = process.argv[2];
const t0 = performance.now();
const mod = require(file);
const initMs = performance.now() - t0;
if (typeof mod.handler !== 'function') {
  process.stderr.write(`${file} does not export a handler function\n`);
  process.exit(3);
}
process.stdout.write(JSON.stringify({ initMs, sinceProcessStartMs: performance.now() }));
