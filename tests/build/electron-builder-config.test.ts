import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';
import { checkSigningEnvironment } from '../../build/scripts/signing';

const require = createRequire(import.meta.url);
const root = process.cwd();
const config = require('../../build/electron-builder.config.cjs') as Configuration;

function targetsOf(platform: 'win' | 'mac' | 'linux'): string[] {
  const t = config[platform]?.target;
  return (Array.isArray(t) ? t : [t]).map((x) => (typeof x === 'string' ? x : (x?.target ?? '')));
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: Configuration, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds the installers IT asked for on each platform', () => {
    expect(targetsOf('win')).toEqual(['nsis', 'msi']);
    expect(targetsOf('mac')).toEqual(['dmg', 'zip']);
    expect(targetsOf('linux')).toEqual(['AppImage', 'deb']);
    expect(config.nsis?.perMachine).toBe(true);
    expect(config.nsis?.oneClick).toBe(false);
    expect(config.msi?.perMachine).toBe(true);
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.notarize).toBe(true);
  });

  it('refuses to produce an unsigned installer unless told to', () => {
    expect(config.forceCodeSigning).toBe(true);
  });

  it('keeps signing secrets out of the configuration', () => {
    const text = readFileSync(join(root, 'build/electron-builder.config.cjs'), 'utf8');
    expect(text).not.toMatch(/certificatePassword|cscKeyPassword|\.pfx|\.p12/i);
    expect(config.win && 'certificateFile' in config.win).toBe(false);
  });

  it('unpacks native modules from the ASAR and places the Electron-ABI build after packing', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(false);
    expect(typeof config.afterPack).toBe('string');
    expect(existsSync(config.afterPack as string)).toBe(true);
  });

  it('sets the Electron fuses a release needs', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeCliInspectArguments: false,
    });
  });

  it('ships the icon, entitlements and NSIS include it names', () => {
    for (const file of ['assets/icons/icon.png', 'build/packaging/entitlements.mac.plist', 'build/packaging/installer.nsh']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
  });

  it('pins the Electron version the app was tested with', () => {
    expect(config.electronVersion).toBe((require('electron/package.json') as { version: string }).version);
  });
});

describe('signing requirements for a release build', () => {
  it('names every variable missing on each platform', () => {
    const check = checkSigningEnvironment(['win', 'mac'], {});
    expect(check.ok).toBe(false);
    expect(check.problems.join('\n')).toMatch(/WIN_CSC_LINK/);
    expect(check.problems.join('\n')).toMatch(/CSC_NAME/);
    expect(check.problems.join('\n')).toMatch(/APPLE_TEAM_ID/);
  });

  it('accepts a Windows certificate with its password, and an Apple ID notarization set', () => {
    expect(checkSigningEnvironment(['win'], { WIN_CSC_LINK: 'c.pfx', WIN_CSC_KEY_PASSWORD: 'x' }).ok).toBe(true);
    expect(checkSigningEnvironment(['win'], { WIN_CSC_LINK: 'c.pfx' }).problems[0]).toMatch(/password/);
    expect(
      checkSigningEnvironment(['mac'], { CSC_NAME: 'Developer ID Application: X', APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'b', APPLE_TEAM_ID: 'c' }).ok,
    ).toBe(true);
  });

  it('needs nothing extra for Linux, and says how Linux packages are verified', () => {
    const check = checkSigningEnvironment(['linux'], {});
    expect(check.ok).toBe(true);
    expect(check.notes[0]).toMatch(/SHA-512/);
  });
});

describe('fuses in the package and in the code agree', () => {
  it("sets every fuse the shell's security settings call for", async () => {
    const { RELEASE_FUSES } = await import('../../electron/security/fuses');
    const { FuseV1Options } = await import('@electron/fuses');
    const expected = {
      runAsNode: RELEASE_FUSES[FuseV1Options.RunAsNode],
      enableCookieEncryption: RELEASE_FUSES[FuseV1Options.EnableCookieEncryption],
      enableNodeOptionsEnvironmentVariable: RELEASE_FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      enableNodeCliInspectArguments: RELEASE_FUSES[FuseV1Options.EnableNodeCliInspectArguments],
      enableEmbeddedAsarIntegrityValidation: RELEASE_FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      onlyLoadAppFromAsar: RELEASE_FUSES[FuseV1Options.OnlyLoadAppFromAsar],
      grantFileProtocolExtraPrivileges: RELEASE_FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges],
    };
    expect(config.electronFuses).toMatchObject(expected);
  });
});
