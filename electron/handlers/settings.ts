import type { AppInfo, SessionUser, SettingsView } from '../api';
import type { AppServices } from '../services/app-services';
import { ApiFailure } from '../services/errors';
import { productionEndpoint, runConnectionCheck } from '../services/registry';
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

function refuseWhileUnsent(services: AppServices, target: string): void {
  if (!services.store.outbox.hasUnsent()) return;
  const s = services.store.outbox.stats();
  const waiting = s.pending + s.sending + s.rejected;
  throw new ApiFailure(
    'conflict',
    `${waiting} report${waiting === 1 ? ' is' : 's are'} still waiting for the current registry. Switching to ${target} now could send them to the wrong place. Let them finish (or resolve the work queue) first.`,
    { code: 'registry.unsent_reports' },
  );
}

export function settingsHandlers(services: AppServices): Implementations<SettingsMethods> {
  const { settings, credentials, store, sync, now } = services;

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
      const alreadyProduction = settings.mode() === 'production';
      if (!alreadyProduction) refuseWhileUnsent(services, 'MIIS');
      const result = await checkProduction(user.id);
      if (!result.ok) {
        throw new ApiFailure('registry', `DoseDesk stays in training mode: the connection check failed. ${result.detail}`, { code: `registry.check_failed.${result.code ?? 'unknown'}` });
      }
      if (!alreadyProduction) {
        settings.setMode('production', actor, now());
        store.audit.append({ userId: user.id, action: 'registry.mode_changed', detail: { to: 'production', endpoint: result.endpoint } });
        await services.onModeChange('production');
      }
      return result;
    },
    'registry.switchToTraining': async (_input, ctx) => {
      const { user, actor } = signedIn(ctx);
      if (settings.mode() !== 'training') {
        if (settings.config.mode === 'production') {
          throw new ApiFailure('forbidden', `IT keeps this computer in production mode (${settings.config.path}). Ask IT to change it there.`, { code: 'settings.fixed_by_machine' });
        }
        refuseWhileUnsent(services, 'training');
        settings.setMode('training', actor, now());
        store.audit.append({ userId: user.id, action: 'registry.mode_changed', detail: { to: 'training' } });
        await services.onModeChange('training');
      }
      return appInfo(services);
    },
    'app.info': () => appInfo(services),
  };
}
