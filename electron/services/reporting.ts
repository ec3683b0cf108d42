import type { RunMode, SettingsValues } from '../api';
import type { Store } from '../store/types';
import { hl7ConfigForSite, type Hl7SiteConfig } from '../../sync/hl7/config';
import { createSoapTransport } from '../../sync/transport/soap-transport';
import type { RegistryTransport } from '../../sync/transport/types';
import type { EndpointSettings } from '../../sync/transport/settings';
import type { AppServices } from './app-services';
import { CREDENTIALS_KEY, type StoredCredentials } from './credentials';
import { ProductionTransport, type DisposableTransport } from './production-transport';
import { productionConfigurationKey, productionEndpoint } from './registry';
import type { SyncController } from './sync-controller';
import { startTrainingRegistry, type StartSimulator, type TrainingRegistry } from './training';

// Starts reporting for the current mode and restarts it when the mode changes: in training,
// the in-process simulator and a transport pointing at it; in production, a transport built
// from the settings and the stored credentials, once per configuration (a credential change
// needs no restart, and connections are closed when it changes or reporting stops). The
// engine itself comes in through `createController`.

export interface ControllerParts {
  store: Store;
  transport: () => RegistryTransport | undefined;
  hl7Config: () => Hl7SiteConfig;
  mode: () => RunMode;
}

export interface ReportingOptions {
  services: Pick<AppServices, 'store' | 'settings' | 'credentials' | 'sync' | 'logError'>;
  startSimulator: StartSimulator;
  createController: (parts: ControllerParts) => SyncController;
  makeTransport?: (endpoint: EndpointSettings) => DisposableTransport;
}

export function siteHl7Config(values: SettingsValues, mode: RunMode): Hl7SiteConfig {
  const training = mode === 'training';
  const vaccinePin = values['registry.vaccinePin'] || (training ? 'TRAINING' : '');
  return hl7ConfigForSite(
    {
      name: values['site.name'] || (training ? 'DoseDesk training clinic' : ''),
      vaccinePin,
      facilityId: values['registry.facilityId'] || vaccinePin,
      address: {
        street1: values['site.street1'] || (training ? '1 Practice Way' : ''),
        city: values['site.city'] || (training ? 'Boston' : ''),
        state: values['site.state'] || 'MA',
        zip: values['site.zip'] || (training ? '02108' : ''),
        country: 'USA',
      },
    },
    // `T` in training: even if a training message ever reached a real registry it would be discarded.
    { processingId: training ? 'T' : 'P' },
  );
}

export class Reporting {
  private training?: TrainingRegistry;
  /** Closes the transport of the reporting now running (after its engine has stopped). */
  private closeTransport?: () => void;

  constructor(private readonly options: ReportingOptions) {}

  /** The simulator's URL while in training mode (for diagnostics and tests). */
  get trainingEndpoint(): EndpointSettings | undefined {
    return this.training?.endpoint;
  }

  async start(mode: RunMode): Promise<void> {
    const { services, makeTransport = (e) => createSoapTransport(e) } = this.options;
    const previousTraining = this.training;
    const previousTransport = this.closeTransport;
    this.training = undefined;
    let transport: () => RegistryTransport | undefined;
    if (mode === 'training') {
      const training = await startTrainingRegistry(this.options.startSimulator, services.settings.effective().values);
      this.training = training;
      const fixed = makeTransport(training.endpoint);
      transport = () => fixed;
      this.closeTransport = () => fixed.dispose?.();
    } else {
      const production = new ProductionTransport({
        configurationKey: () => productionConfigurationKey(services.settings.effective().values, services.store.settings.get<StoredCredentials>(CREDENTIALS_KEY)),
        endpoint: () => productionEndpoint(services.settings.effective().values, services.credentials.load()),
        make: makeTransport,
        logError: services.logError,
      });
      transport = () => production.get();
      this.closeTransport = () => production.close();
    }
    const controller = this.options.createController({
      store: services.store,
      transport,
      hl7Config: () => siteHl7Config(services.settings.effective().values, services.settings.mode()),
      mode: () => services.settings.mode(),
    });
    // Replacing stops the old engine (letting in-flight sends finish) before its simulator goes.
    await services.sync.replace(controller);
    previousTransport?.();
    if (previousTraining) await previousTraining.stop();
  }

  async stop(): Promise<void> {
    await this.options.services.sync.stop();
    const close = this.closeTransport;
    this.closeTransport = undefined;
    close?.();
    await this.stopTraining();
  }

  private async stopTraining(): Promise<void> {
    const training = this.training;
    this.training = undefined;
    if (training) await training.stop();
  }
}
