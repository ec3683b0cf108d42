import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMain } from '../../build/scripts/build-main';

// build/scripts/build-main.ts: the sandboxed preload must be one small file that needs nothing
// at run time but `electron`; the main bundle keeps electron and the native module outside.

describe('build-main', () => {
  it('bundles main.cjs and a self-contained preload.cjs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dosedesk-build-'));
    try {
      const r = await buildMain({ outDir: out });
      expect(r.inputs.preload.sort()).toEqual(['electron/api/channels.ts', 'electron/preload.ts']);
      const preload = readFileSync(r.preload, 'utf8');
      expect(preload.match(/require\("([^"]+)"\)/g)).toEqual(['require("electron")']);
      expect(preload).not.toMatch(/zod|better-sqlite3|node:/);
      expect(preload).toContain('exposeInMainWorld("dosedesk"');
      expect(preload.length).toBeLessThan(10_000);

      const main = readFileSync(r.main, 'utf8');
      expect(main).toContain('require("electron")');
      expect(main).toContain('require("better-sqlite3")');
      expect(r.inputs.main).toEqual(expect.arrayContaining(['electron/main.ts', 'electron/ipc.ts', 'electron/handlers/index.ts']));
      expect(r.inputs.main.some((f) => f.startsWith('tests/'))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
