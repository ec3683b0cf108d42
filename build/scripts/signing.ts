// Decides whether a release build may start: signing material must be present in the
// environment variables electron-builder reads, for every platform being built. Pure, so the
// rule is tested without building anything.

export type TargetPlatform = 'win' | 'mac' | 'linux';

export interface SigningCheck {
  ok: boolean;
  /** One line per missing piece, naming the variable IT must set. */
  problems: string[];
  notes: string[];
}

const has = (env: NodeJS.ProcessEnv, name: string) => typeof env[name] === 'string' && env[name] !== '';

export function checkSigningEnvironment(platforms: readonly TargetPlatform[], env: NodeJS.ProcessEnv): SigningCheck {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const platform of platforms) {
    if (platform === 'win') {
      const certificate = has(env, 'WIN_CSC_LINK') || has(env, 'CSC_LINK');
      const azure = has(env, 'AZURE_TENANT_ID') && has(env, 'AZURE_CLIENT_ID') && has(env, 'AZURE_CLIENT_SECRET');
      if (!certificate && !azure) {
        problems.push('Windows: set WIN_CSC_LINK (or CSC_LINK) to the code-signing certificate (.pfx path or base64) and WIN_CSC_KEY_PASSWORD, or the AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET of an Azure Trusted Signing account.');
      } else if (certificate && !(has(env, 'WIN_CSC_KEY_PASSWORD') || has(env, 'CSC_KEY_PASSWORD'))) {
        problems.push('Windows: the certificate password is missing: set WIN_CSC_KEY_PASSWORD (or CSC_KEY_PASSWORD).');
      }
    }
    if (platform === 'mac') {
      if (!has(env, 'CSC_LINK') && !has(env, 'CSC_NAME')) {
        problems.push('macOS: set CSC_LINK (+ CSC_KEY_PASSWORD) to the "Developer ID Application" certificate, or CSC_NAME to its name in the keychain.');
      }
      const appleId = has(env, 'APPLE_ID') && has(env, 'APPLE_APP_SPECIFIC_PASSWORD') && has(env, 'APPLE_TEAM_ID');
      const apiKey = has(env, 'APPLE_API_KEY') && has(env, 'APPLE_API_KEY_ID') && has(env, 'APPLE_API_ISSUER');
      if (!appleId && !apiKey) {
        problems.push('macOS notarization: set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID, or APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER.');
      }
    }
    if (platform === 'linux') {
      notes.push('Linux: AppImage and deb are not code-signed by electron-builder; updates are verified by the SHA-512 in the feed, and the deb can be signed by your repository tooling.');
    }
  }
  return { ok: problems.length === 0, problems, notes };
}
