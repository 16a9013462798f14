#!/usr/bin/env node
// The `kubeloop` command: runs the compiled CLI (npm ci builds it through `prepare`).
import { main } from '../dist/src/cli/index.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`kubeloop: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
