import { SETTING_KEYS, settingsValuesSchema, type RunMode, type SessionUser, type SettingKey, type SettingSource, type SettingsValues } from '../api';
import { issuesFromZod, type FieldIssue } from '../domain/errors';
import type { Actor, SettingsRepo } from '../store/types';
import { DEFAULT_SETTINGS, type MachineConfig } from './config';
import { ApiFailure } from './errors';

// Effective settings, in layers: built-in defaults < what an administrator set in the app
// (`site`) < IT's machine file (`machine`, fixed) < the user's own choice, only for keys IT lists
// in allowUserOverride. The run mode is separate: IT's file, else the app's stored choice,
// else training.

/** Settings-table keys this service owns (read-only elsewhere, e.g. by --check-config). */
export const SITE_KEY = 'settings.site';
export const MODE_KEY = 'app.mode';
const MODE_SINCE_KEY = 'app.modeSince';
const userKey = (userId: string) => `settings.user.${userId}`;

export interface EffectiveSettings {
  values: SettingsValues;
  sources: Record<SettingKey, SettingSource>;
}

export class SettingsService {
  constructor(
    private readonly repo: SettingsRepo,
    readonly config: MachineConfig,
  ) {}

  mode(): RunMode {
    return this.config.mode ?? this.repo.get<RunMode>(MODE_KEY) ?? 'training';
  }

  /** Whether IT's file pins the mode (then the app cannot switch). */
  modeFixedByMachine(): boolean {
    return this.config.mode !== undefined;
  }

  setMode(mode: RunMode, actor: Actor, at: Date): void {
    if (this.config.mode !== undefined && this.config.mode !== mode) {
      throw new ApiFailure('forbidden', `IT fixed the mode to "${this.config.mode}" in ${this.config.path}; change it there.`, { code: 'settings.fixed_by_machine' });
    }
    this.repo.set(MODE_KEY, mode, actor);
    this.repo.set(MODE_SINCE_KEY, at.toISOString(), actor);
  }

  /**
   * When the app last switched mode (undefined if it never did). Doses recorded before it belong
   * to the other registry: changing them now would report an edit to a registry that never saw
   * the dose (a training dose to MIIS, or a real dose to the simulator).
   */
  modeSince(): string | undefined {
    return this.repo.get<string>(MODE_SINCE_KEY);
  }

  effective(userId?: string): EffectiveSettings {
    const site = this.repo.get<Partial<SettingsValues>>(SITE_KEY) ?? {};
    const user = userId ? (this.repo.get<Partial<SettingsValues>>(userKey(userId)) ?? {}) : {};
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
    const key = scope === 'site' ? SITE_KEY : userKey(user.id);
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
