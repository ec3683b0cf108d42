import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertAddonAbi, readAddonAbi } from '../../build/hooks/native-abi.cjs';

const require = createRequire(import.meta.url);
const nodeAddon = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');

describe('native module ABI check', () => {
  it("reads the ABI of the better-sqlite3 that npm test uses: Node's own", () => {
    expect(readAddonAbi(readFileSync(nodeAddon))).toEqual({ kind: 'abi', abi: Number(process.versions.modules) });
  });

  it("refuses to ship a binary built for Node's ABI as Electron's (the false-success rebuild trap)", () => {
    const electronAbi = Number(readFileSync(require.resolve('electron/abi_version'), 'utf8'));
    expect(electronAbi).not.toBe(Number(process.versions.modules));
    expect(() => assertAddonAbi(nodeAddon, electronAbi, 'The packaged better-sqlite3')).toThrow(/built for ABI 115.*Electron needs ABI 150/);
  });

  it('accepts N-API addons, which load in any runtime', () => {
    expect(readAddonAbi(Buffer.from('....napi_register_module_v1....'))).toEqual({ kind: 'napi' });
    expect(readAddonAbi(Buffer.from('nothing here'))).toEqual({ kind: 'unknown' });
  });
});
