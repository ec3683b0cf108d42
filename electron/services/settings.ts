import { SETTING_KEYS, settingsValuesSchema, type RunMode, type SessionUser, type SettingKey, type SettingSource, type SettingsValues } from '../api';
import { issuesFromZod, type FieldIssue } from '../domain/errors';
import type { SettingsRepo } from '../store/types';
import { DEFAULT_SETTINGS, type MachineConfig } from './config';
import { ApiFailure } from './errors';

// Effective settings, in layers: built-in defaults < what an administrator set in the app
// (`site`) < IT's machine file (`machine`, fixed) < the user's own choice, only for keys IT lists
// in allowUserOverride. The run mode is not a setting: each mode has its own database file,
// so the mode lives outside both (mode-files.ts); this service only reports it.

/** Settings-table keys this service owns (read-only elsewhere, e.g. by --check-config). */
export const SITE_KEY = 'settings.site';
/** A user's own choices (where IT allows them). */
export const userSettingsKey = (userId: string) => `settings.user.${userId}`;
/**
 * Where the single database of earlier versions kept the mode and the time of the last switch.
 * Read only when such a file is split into a training and a production file.
 */
export const LEGACY_MODE_KEY = 'app.mode';
export const LEGACY_MODE_SINCE_KEY = 'app.modeSince';
/**
 * In a production file that was split from a shared database: the doses recorded there in
 * training mode (written once, at the split). They never went to MIIS and must not be changed.
 */
export const LEGACY_PRACTICE_DOSES_KEY = 'store.legacyPracticeDoses';

export interface EffectiveSettings {
  values: SettingsValues;
  sources: Record<SettingKey, SettingSource>;
}

export class SettingsService {
  constructor(
    private readonly repo: SettingsRepo,
    readonly config: MachineConfig,
    /** The mode whose database is open (the app's mode switcher; training when there is none). */
    private readonly currentMode: () => RunMode = () => 'training',
  ) {}

  mode(): RunMode {
    return this.config.mode ?? this.currentMode();
  }

  /** Whether IT's file pins the mode (then the app cannot switch). */
  modeFixedByMachine(): boolean {
    return this.config.mode !== undefined;
  }

  /**
   * Whether a dose was recorded in training mode in a database that training and production
   * shared before they had a file each: it never went to MIIS, so an edit or a delete reported
   * now would reach a registry that never saw the dose.
   */
  isLegacyPracticeDose(doseId: string): boolean {
    return this.repo.get<string[]>(LEGACY_PRACTICE_DOSES_KEY)?.includes(doseId) ?? false;
  }

  effective(userId?: string): EffectiveSettings {
    const site = this.repo.get<Partial<SettingsValues>>(SITE_KEY) ?? {};
    const user = userId ? (this.repo.get<Partial<SettingsValues>>(userSettingsKey(userId)) ?? {}) : {};
    const values = { ...DEFAULT_SETTINGS } as Record<SettingKey, unknown>;
    const sources = {} as Record<SettingKey, SettingSource>;
    for (const key of SETTING_KEYS) {
      sources[key] = 'default';
      if (site[key] !== undefined) [values[key], sources[key]] = [site[key], 'site'];
      if (this.config.fixed[key] !== undefined) [values[key], sources[key]] = [this.config.fixed[key], 'machine'];
      if (user[key] !== undefined && this.config.allowUserOverride.includes(key)) [values[key], sources[key]] = [user[key], 'user'];
    }
    return { values: values as SettingsValues, sources };
  }

  siteEditable(): SettingKey[] {
    return SETTING_KEYS.filter((k) => this.config.fixed[k] === undefined);
  }

  userEditable(): SettingKey[] {
    return [...this.config.allowUserOverride];
  }

  update(scope: 'site' | 'user', values: Partial<SettingsValues>, user: SessionUser): void {
    const keys = Object.keys(values) as SettingKey[];
    const allowed = scope === 'site' ? (user.role === 'administrator' ? this.siteEditable() : []) : this.userEditable();
    const refused = keys.filter((k) => !allowed.includes(k));
    if (refused.length) {
      const why =
        scope === 'site' && user.role !== 'administrator'
          ? 'Only an administrator can change these settings.'
          : scope === 'site'
            ? `IT fixed these in ${this.config.path}.`
            : 'IT has not allowed each user to change these.';
      throw new ApiFailure('forbidden', `${why} (${refused.join(', ')})`, {
        code: 'settings.not_editable',
        issues: refused.map((k) => ({ path: `settings.${k}`, message: why, code: 'settings.not_editable' })),
      });
    }
    const key = scope === 'site' ? SITE_KEY : userSettingsKey(user.id);
    const merged = { ...(this.repo.get<Partial<SettingsValues>>(key) ?? {}), ...values };
    const check = settingsValuesSchema.partial().safeParse(merged);
    if (!check.success) throw new ApiFailure('validation', 'Some settings are not valid.', { issues: issuesFromZod(check.error, 'settings') });
    const urlIssue = endpointIssue(merged['registry.endpointUrl']);
    if (urlIssue) throw new ApiFailure('validation', urlIssue.message, { issues: [urlIssue] });
    this.repo.set(key, check.data, { userId: user.id });
  }
}

function endpointIssue(url: string | undefined): FieldIssue | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { path: 'settings.registry.endpointUrl', code: 'settings.endpoint_invalid', message: 'Enter the registry address exactly as given at onboarding (https://…).' };
  }
  if (parsed.protocol !== 'https:') {
    return { path: 'settings.registry.endpointUrl', code: 'settings.endpoint_not_https', message: 'The production registry address must start with https://.' };
  }
  return undefined;
}
