import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REGISTRY_PRESETS, RUN_MODES, THEMES, UPDATE_CHANNELS, USER_OVERRIDABLE_KEYS, settingsValuesSchema, type SettingKey, type SettingsValues } from '../api';
import { endpointUrlProblem } from '../../sync/transport/settings';

// The machine-wide configuration IT deploys: one JSON file in the OS's machine-wide location.
// It is validated at start; an error names the file and the field so IT can fix it without us.

export const CONFIG_ENV = 'DOSEDESK_CONFIG';

/** Where IT puts the file on each OS (overridable with DOSEDESK_CONFIG). */
export function defaultConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env[CONFIG_ENV]) return env[CONFIG_ENV] as string;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'DoseDesk', 'config.json');
  if (platform === 'darwin') return '/Library/Application Support/DoseDesk/config.json';
  return '/etc/dosedesk/config.json';
}

export const DEFAULT_SETTINGS: SettingsValues = {
  'site.name': '',
  'site.street1': '',
  'site.city': '',
  'site.state': 'MA',
  'site.zip': '',
  'registry.preset': 'massachusetts',
  'registry.endpointUrl': '',
  'registry.vaccinePin': '',
  'registry.facilityId': '',
  // docs/domain.md §3.3 (MIIS Resource Center FAQ).
  'registry.helpDesk': 'MIIS Help Desk: miishelpdesk@mass.gov, 617-983-4335',
  autoLockMinutes: 10,
  'lockout.maxAttempts': 5,
  'lockout.minutes': 15,
  updateChannel: 'stable',
  'ui.theme': 'system',
  'ui.textScale': 1,
};

const shape = settingsValuesSchema.shape;
const endpointUrl = z
  .string()
  .trim()
  .max(500)
  .superRefine((url, ctx) => {
    if (url === '') return;
    const problem = endpointUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: `must be an https URL (${problem})` });
  });

/** The file's shape: nested sections, every field optional; unknown fields are errors (typos). */
export const machineConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  mode: z.enum(RUN_MODES, { message: 'must be "training" or "production"' }).optional(),
  site: z
    .strictObject({
      name: shape['site.name'].min(1, { message: 'must not be empty' }).optional(),
      address: z
        .strictObject({
          street1: shape['site.street1'].optional(),
          city: shape['site.city'].optional(),
          state: shape['site.state'].optional(),
          zip: shape['site.zip'].optional(),
        })
        .optional(),
    })
    .optional(),
  registry: z
    .strictObject({
      preset: z.enum(REGISTRY_PRESETS, { message: `must be one of ${REGISTRY_PRESETS.join(', ')}` }).optional(),
      endpointUrl: endpointUrl.optional(),
      vaccinePin: z.string().trim().regex(/^[A-Za-z0-9-]{1,20}$/, { message: 'must be the Vaccine PIN MIIS assigned (letters, digits, dashes)' }).optional(),
      facilityId: z.string().trim().min(1, { message: 'must not be empty' }).max(30).optional(),
      helpDesk: shape['registry.helpDesk'].min(1, { message: 'must not be empty' }).optional(),
    })
    .optional(),
  autoLockMinutes: shape.autoLockMinutes.optional(),
  lockout: z.strictObject({ maxAttempts: shape['lockout.maxAttempts'].optional(), minutes: shape['lockout.minutes'].optional() }).optional(),
  updateChannel: z.enum(UPDATE_CHANNELS, { message: `must be one of ${UPDATE_CHANNELS.join(', ')}` }).optional(),
  /** The HTTPS folder IT hosts with the signed installers and latest.yml/beta.yml. */
  updateFeedUrl: z.url({ protocol: /^https$/, message: 'must be an https URL (the folder holding latest.yml)' }).optional(),
  ui: z.strictObject({ theme: z.enum(THEMES).optional(), textScale: shape['ui.textScale'].optional() }).optional(),
  /** The encrypted store's key escrow and the backup folder (a network share or USB disk). */
  storage: z
    .strictObject({
      keyEscrowFolder: z.string().trim().min(1, { message: 'must name a folder' }).optional(),
      backupFolder: z.string().trim().min(1, { message: 'must name a folder' }).optional(),
    })
    .optional(),
  /** Settings each user may override for themselves. */
  allowUserOverride: z.array(z.enum(USER_OVERRIDABLE_KEYS, { message: `may list only ${USER_OVERRIDABLE_KEYS.join(', ')}` })).optional(),
});
export type MachineConfigFile = z.infer<typeof machineConfigSchema>;

export interface MachineConfig {
  path: string;
  found: boolean;
  /** The mode IT fixed, if any; otherwise the app decides (training until switched). */
  mode?: (typeof RUN_MODES)[number];
  /** Values the file sets: they win over the app's own settings and cannot be changed in the app. */
  fixed: Partial<SettingsValues>;
  /** Where updates come from; without it the app does not update itself. */
  updateFeedUrl?: string;
  allowUserOverride: SettingKey[];
  /** Where the recovery key is deposited at setup (instead of showing it), and where backups go. */
  storage: { keyEscrowFolder?: string; backupFolder?: string };
}

export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`${path}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the file's text (pure). `text === undefined` means the file does not exist. */
export function parseConfig(path: string, text: string | undefined): MachineConfig {
  if (text === undefined) return { path, found: false, fixed: {}, allowUserOverride: [], storage: {} };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(path, [`is not valid JSON (${(err as Error).message})`]);
  }
  const parsed = machineConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      path,
      parsed.error.issues.map((issue) => {
        const field = issue.path.map(String).join('.') || '(top level)';
        if (issue.code === 'unrecognized_keys') return `${[field === '(top level)' ? '' : field, issue.keys[0]].filter(Boolean).join('.')} is not a known setting`;
        return `${field} ${/^(must|may) /.test(issue.message) ? issue.message : `is invalid: ${issue.message}`}`;
      }),
    );
  }
  const c = parsed.data;
  const fixed: Partial<SettingsValues> = {};
  const put = <K extends SettingKey>(key: K, value: SettingsValues[K] | undefined) => {
    if (value !== undefined) fixed[key] = value;
  };
  put('site.name', c.site?.name);
  put('site.street1', c.site?.address?.street1);
  put('site.city', c.site?.address?.city);
  put('site.state', c.site?.address?.state);
  put('site.zip', c.site?.address?.zip);
  put('registry.preset', c.registry?.preset);
  put('registry.endpointUrl', c.registry?.endpointUrl);
  put('registry.vaccinePin', c.registry?.vaccinePin);
  put('registry.facilityId', c.registry?.facilityId);
  put('registry.helpDesk', c.registry?.helpDesk);
  put('autoLockMinutes', c.autoLockMinutes);
  put('lockout.maxAttempts', c.lockout?.maxAttempts);
  put('lockout.minutes', c.lockout?.minutes);
  put('updateChannel', c.updateChannel);
  put('ui.theme', c.ui?.theme);
  put('ui.textScale', c.ui?.textScale);
  if (c.mode === 'production') {
    const missing = (['registry.endpointUrl', 'registry.vaccinePin', 'registry.facilityId'] as const).filter((k) => !fixed[k]);
    if (missing.length) throw new ConfigError(path, missing.map((k) => `${k} is required when mode is "production"`));
  }
  return { path, found: true, mode: c.mode, fixed, updateFeedUrl: c.updateFeedUrl, allowUserOverride: [...new Set(c.allowUserOverride ?? [])], storage: { ...c.storage } };
}

/** Reads and validates the file at start. A missing file is fine (defaults, training mode). */
export function loadConfig(path: string = defaultConfigPath(), read: (p: string) => string = (p) => readFileSync(p, 'utf8')): MachineConfig {
  let text: string | undefined;
  try {
    text = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ConfigError(path, [`cannot be read (${code ?? (err as Error).message})`]);
  }
  return parseConfig(path, text);
}
