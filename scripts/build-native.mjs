#!/usr/bin/env node
// Builds kubeloop's one native helper, the podbind LD_PRELOAD shim (src/node/runtime/native), into
// dist/native/podbind.so with the system C compiler. Runs after tsc in `npm ci` (prepare) and in
// `npm test`. Without a compiler kubeloop still works; pods' outgoing connections then leave from
// 127.0.0.1 unless the program binds $POD_IP (the node runtime README says so).
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src/node/runtime/native/podbind.c');
const out = join(root, 'dist/native/podbind.so');
mkdirSync(join(root, 'dist/native'), { recursive: true });
let fresh = false;
try {
  fresh = statSync(out).mtimeMs >= statSync(src).mtimeMs;
} catch {
  fresh = false;
}
if (!fresh) {
  const cc = process.env.CC || 'cc';
  const r = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', '-o', out, src, '-ldl'], { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    console.warn(`kubeloop: could not build ${out} with ${cc} (${r.error?.message ?? `exit ${r.status}`}); pods' connections will come from 127.0.0.1 unless programs bind $POD_IP`);
  }
}
