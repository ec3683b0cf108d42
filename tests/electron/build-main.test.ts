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
      expect(r.inputs.main).toEqual(expect.arrayContaining(['electron/main.ts', 'electron/ipc.ts', 'electron/relay/relay.ts']));
      expect(r.inputs.main.some((f) => f.startsWith('tests/'))).toBe(false);

      // The backend process holds the database; electron stays out of it.
      const backend = readFileSync(r.backend, 'utf8');
      expect(backend).toContain('require("better-sqlite3-multiple-ciphers")');
      expect(backend).not.toContain('require("electron")');
      expect(r.inputs.backend).toEqual(expect.arrayContaining(['electron/backend/entry.ts', 'electron/store/open-store.ts', 'electron/handlers/index.ts']));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('leaves main with no database handle: its module graph reaches no store, service, handler or sync code', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dosedesk-build-'));
    try {
      const r = await buildMain({ outDir: out });
      // Allowed: the key file's header check (store/driver.ts, store/errors.ts), which opens no database, and config parsing.
      const allowed = new Set(['electron/store/driver.ts', 'electron/store/errors.ts', 'electron/services/config.ts', 'electron/services/credentials.ts', 'electron/services/errors.ts', 'electron/services/mode-files.ts', 'electron/services/store-key.ts', 'sync/transport/settings.ts']);
      const forbidden = r.inputs.main.filter((f) => !allowed.has(f) && /^(electron\/(store|handlers|services|cli)\/|sync\/)|better-sqlite3/.test(f));
      expect(forbidden).toEqual([]);
      expect(readFileSync(r.main, 'utf8')).not.toContain('require("better-sqlite3")');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
