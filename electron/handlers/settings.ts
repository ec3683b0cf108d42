import type { AppInfo, SessionUser, SettingsView } from '../api';
import type { AppServices } from '../services/app-services';
import { ApiFailure } from '../services/errors';
import { CREDENTIALS_KEY, type StoredCredentials } from '../services/credentials';
import { productionConfigurationKey, productionEndpoint, runConnectionCheck } from '../services/registry';
import { TRAINING_BANNER } from '../services/training';
import { signedIn } from './guard';
import type { Implementations } from './types';

type SettingsMethods =
  | 'settings.get'
  | 'settings.update'
  | 'registry.testConnection'
  | 'registry.saveCredentials'
  | 'registry.switchToProduction'
  | 'registry.switchToTraining'
  | 'app.info';

export function settingsView(services: AppServices, user: SessionUser): SettingsView {
  const { settings, credentials } = services;
  const effective = settings.effective(user.id);
  return {
    mode: settings.mode(),
    values: effective.values,
    sources: effective.sources,
    siteEditable: user.role === 'administrator' ? settings.siteEditable() : [],
    userEditable: settings.userEditable(),
    configFile: { path: settings.config.path, found: settings.config.found },
    credentials: credentials.status(),
  };
}

export function appInfo(services: AppServices): AppInfo {
  const mode = services.settings.mode();
  const info: AppInfo = {
    name: services.info.name,
    version: services.info.version,
    mode,
    configFile: { path: services.settings.config.path, found: services.settings.config.found },
    platform: services.info.platform,
  };
  if (mode === 'training') info.trainingBanner = TRAINING_BANNER;
  return info;
}

export function settingsHandlers(services: AppServices): Implementations<SettingsMethods> {
  const { settings, credentials, store, sync, now } = services;
  /** What the connection check proves, read without decrypting (see productionConfigurationKey). */
  const configurationKey = () => productionConfigurationKey(settings.effective().values, store.settings.get<StoredCredentials>(CREDENTIALS_KEY));

  async function checkProduction(userId: string) {
    const endpoint = productionEndpoint(settings.effective().values, credentials.load());
    const result = await runConnectionCheck(services.checkConnection, endpoint, now);
    store.audit.append({ userId, action: 'registry.connection_checked', detail: { ok: result.ok, method: result.method, endpoint: result.endpoint, code: result.code } });
    return result;
  }

  return {
    'settings.get': (_input, ctx) => settingsView(services, signedIn(ctx).user),
    'settings.update': (input, ctx) => {
      const { user } = signedIn(ctx);
      settings.update(input.scope, input.values, user);
      if (Object.keys(input.values).some((k) => k.startsWith('registry.'))) sync.kick('settings_changed');
      return settingsView(services, user);
    },
    'registry.testConnection': (_input, ctx) => checkProduction(signedIn(ctx).user.id),
    'registry.saveCredentials': (input, ctx) => {
      const { user, actor } = signedIn(ctx);
      credentials.save({ username: input.username, password: input.password }, actor);
      sync.kick('settings_changed');
      return settingsView(services, user);
    },
    'registry.switchToProduction': async (_input, ctx) => {
      const { user, actor } = signedIn(ctx);
      if (settings.config.mode === 'training') {
        throw new ApiFailure('forbidden', `IT keeps this computer in training mode (${settings.config.path}). Ask IT to change it there.`, { code: 'settings.fixed_by_machine' });
      }
      // The check (up to 30 s) runs while the clinic keeps working: a save made meanwhile goes to
      // the training database, which production never reads. Everything else happens inside the
      // switch, which runs alone.
      const checked = configurationKey();
      const result = await checkProduction(user.id);
      if (!result.ok) {
        throw new ApiFailure('registry', `DoseDesk stays in training mode: the connection check failed. ${result.detail}`, { code: `registry.check_failed.${result.code ?? 'unknown'}` });
      }
      await services.modes.switchTo('production', {
        by: actor,
        detail: { endpoint: result.endpoint },
        confirm: () => {
          if (configurationKey() !== checked) {
            throw new ApiFailure('conflict', 'The registry settings or credentials changed during the connection check, so DoseDesk stays in training mode. Check the connection again.', {
              code: 'registry.changed_during_check',
            });
          }
        },
      });
      return result;
    },
    'registry.switchToTraining': async (_input, ctx) => {
      const { actor } = signedIn(ctx);
      if (settings.mode() !== 'training') {
        if (settings.config.mode === 'production') {
          throw new ApiFailure('forbidden', `IT keeps this computer in production mode (${settings.config.path}). Ask IT to change it there.`, { code: 'settings.fixed_by_machine' });
        }
        await services.modes.switchTo('training', { by: actor });
      }
      return appInfo(services);
    },
    'app.info': () => appInfo(services),
  };
}
