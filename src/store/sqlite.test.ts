import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runStoreConformance } from './conformance.js';
import { SqliteStore } from './sqlite.js';

runStoreConformance('sqlite (memory)', () => new SqliteStore(':memory:'));

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kubeloop-store-'));
  dirs.push(d);
  return d;
};

runStoreConformance('sqlite (file)', () => new SqliteStore(join(tempDir(), 'state.db')));

describe('sqlite store durability', () => {
  it('keeps every acknowledged write after the writing process is killed with SIGKILL', async () => {
    const dir = tempDir();
    const db = join(dir, 'state.db');
    const storeModule = new URL('./sqlite.js', import.meta.url).href;
    const script = join(dir, 'writer.mjs');
    writeFileSync(
      script,
      `import { SqliteStore } from ${JSON.stringify(storeModule)};
       const s = new SqliteStore(${JSON.stringify(db)});
       let i = 0;
       for (;;) {
         const batch = [];
         for (let j = 0; j < 5; j++, i++) { const k = '/k/' + i; batch.push(s.create(k, 'v' + i).then(() => process.stdout.write(k + '\\n'))); }
         await Promise.all(batch);
       }`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    const acked: string[] = [];
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('writer produced too few acknowledgements in 20 s')), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        acked.push(...lines);
        if (acked.length >= 300) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    child.kill('SIGKILL');
    await exited;
    const s = new SqliteStore(db);
    try {
      for (const k of acked) assert.ok(await s.get(k), `acknowledged ${k} is missing after SIGKILL`);
      assert.ok(acked.length >= 300);
    } finally {
      await s.close();
    }
  });
});
