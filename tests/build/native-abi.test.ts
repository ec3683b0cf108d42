import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertAddonAbi, readAddonAbi } from '../../build/hooks/native-abi.cjs';

const require = createRequire(import.meta.url);
const nodeAddon = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
// The store's encrypting SQLite (electron/store/driver.ts): the module that ships.
const cipherAddon = require.resolve('better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node');

describe('native module ABI check', () => {
  it("reads the ABI of the better-sqlite3 that npm test uses: Node's own", () => {
    expect(readAddonAbi(readFileSync(nodeAddon))).toEqual({ kind: 'abi', abi: Number(process.versions.modules) });
  });

  it("refuses to ship a binary built for Node's ABI as Electron's (the false-success rebuild trap)", () => {
    const electronAbi = Number(readFileSync(require.resolve('electron/abi_version'), 'utf8'));
    expect(electronAbi).not.toBe(Number(process.versions.modules));
    expect(() => assertAddonAbi(nodeAddon, electronAbi, 'The packaged better-sqlite3')).toThrow(/built for ABI 115.*Electron needs ABI 150/);
  });

  it("reads the encrypting module's Node build as Node's ABI and refuses it as Electron's", () => {
    const electronAbi = Number(readFileSync(require.resolve('electron/abi_version'), 'utf8'));
    expect(readAddonAbi(readFileSync(cipherAddon))).toEqual({ kind: 'abi', abi: Number(process.versions.modules) });
    expect(() => assertAddonAbi(cipherAddon, electronAbi, 'The packaged better-sqlite3-multiple-ciphers')).toThrow(/better-sqlite3-multiple-ciphers.*built for ABI 115.*Electron needs ABI 150/);
  });

  it("names the encrypting module in the native build and the packaging hook", () => {
    expect(readFileSync(require.resolve('../../build/hooks/after-pack.cjs'), 'utf8')).toMatch(/'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node'/);
    expect(readFileSync(require.resolve('../../build/scripts/build-native.ts'), 'utf8')).toMatch(/const MODULE = 'better-sqlite3-multiple-ciphers'/);
  });

  it('accepts N-API addons, which load in any runtime', () => {
    expect(readAddonAbi(Buffer.from('....napi_register_module_v1....'))).toEqual({ kind: 'napi' });
    expect(readAddonAbi(Buffer.from('nothing here'))).toEqual({ kind: 'unknown' });
  });
});
