import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The process boundaries of docs/design.md are lint rules; this pins that the rules bite.
async function lintAs(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('process boundaries', () => {
  it('keeps electron out of sync/', async () => {
    expect(await lintAs('sync/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
  });

  it('lets sync/ use the pure domain model', async () => {
    expect(await lintAs('sync/x.ts', "import type { Dose } from '../electron/domain/dose';\nexport type D = Dose;\n")).toHaveLength(0);
  });

  it('keeps Node built-ins, electron and better-sqlite3 out of electron/domain/', async () => {
    const code = "import { readFileSync } from 'node:fs';\nimport Database from 'better-sqlite3';\nimport { app } from 'electron';\nexport const x = [readFileSync, Database, app];\n";
    expect(await lintAs('electron/domain/x.ts', code)).toHaveLength(3);
  });

  it('lets the renderer import the API contract but nothing else of electron/ or Node', async () => {
    const ok = "import type { Api } from '../electron/api';\nexport type A = Api;\n";
    expect(await lintAs('renderer/src/x.ts', ok)).toHaveLength(0);
    const bad = "import { openStore } from '../../electron/store/open';\nimport fs from 'fs';\nexport const x = [openStore, fs];\n";
    expect(await lintAs('renderer/src/x.ts', bad)).toHaveLength(2);
  });
});
