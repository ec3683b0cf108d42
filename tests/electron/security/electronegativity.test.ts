import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import allowlist from '../../../electron/security/electronegativity-allowlist.json';

// Doyensec's electronegativity over electron/ as part of the test suite: any finding above
// INFORMATIONAL must be in the explained allow-list, and every allow-list entry must still
// match a finding (no stale excuses). AvailableSecurityFixesGlobalCheck is left out: it
// downloads Electron's release list, which a test must not depend on.

interface Finding {
  id: string;
  file: string;
  severity: { name: string; value: number };
  confidence: { name: string };
  location?: { line: number };
  sample?: string;
}
interface RunResult {
  atomicChecks: number;
  globalChecks: number;
  issues: Finding[];
  errors: { file: string; message: string; tolerable: boolean }[];
}
type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<RunResult>;

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js') as Runner;
const ROOT = process.cwd();
const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

describe('electronegativity', () => {
  let result: RunResult;
  beforeAll(async () => {
    result = await run(
      {
        input: join(ROOT, 'electron'),
        isRelative: true,
        customScan: [],
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
  });

  it('ran its checks over every file without a parse failure', () => {
    expect(result.atomicChecks).toBeGreaterThan(20);
    expect(result.globalChecks).toBeGreaterThan(3);
    expect(result.errors.filter((e) => !e.tolerable)).toEqual([]);
  });

  it('leaves no finding above informational unexplained', () => {
    const serious = result.issues.filter((i) => i.severity.name !== 'INFORMATIONAL');
    const unexplained = serious.filter((i) => !allowlist.entries.some((e) => e.id === i.id && e.file === i.file));
    expect(unexplained.map((i) => `${i.id} ${i.severity.name} ${i.file}:${i.location?.line ?? '?'} ${i.sample ?? ''}`)).toEqual([]);
  });

  it('every allow-list entry still matches a finding and carries a reason', () => {
    for (const entry of allowlist.entries) {
      expect(entry.reason.length, entry.id).toBeGreaterThan(40);
      expect(result.issues.some((i) => i.id === entry.id && i.file === entry.file), `stale entry ${entry.id} ${entry.file}`).toBe(true);
    }
  });

  it('sees the hardening: no context-isolation, sandbox, node-integration, navigation or permission findings', () => {
    const ids = new Set(result.issues.map((i) => i.id));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'NODE_INTEGRATION_JS_CHECK', 'AUXCLICK_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'WEB_SECURITY_JS_CHECK']) {
      expect(ids.has(id), id).toBe(false);
    }
  });
});
