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
import { startTrainingRegistry, type StartSimulator } from './training';

// Reporting for one mode on one database: in training, the in-process simulator and a
// transport pointing at it; in production, a transport built from the settings and the stored
// credentials, once per configuration (a credential change needs no restart, and connections
// are closed when it changes or reporting stops). The engine comes in through
// `createController` and is given that database itself, never the switchable store, and a
// fixed mode, so a stopping training engine can never build a production message. Starting
// while running is refused: the old mode must be stopped first.

export interface ControllerParts {
  store: Store;
  transport: () => RegistryTransport | undefined;
  hl7Config: () => Hl7SiteConfig;
  mode: () => RunMode;
}

export interface ReportingOptions {
  services: Pick<AppServices, 'settings' | 'credentials' | 'sync' | 'logError'>;
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

interface Running {
  mode: RunMode;
  trainingEndpoint?: EndpointSettings;
  /** Closes the transport and the simulator (after the engine has stopped). */
  close(): Promise<void>;
}

export class Reporting {
  private running?: Running;

  constructor(private readonly options: ReportingOptions) {}

  /** The simulator's URL while in training mode (for diagnostics and tests). */
  get trainingEndpoint(): EndpointSettings | undefined {
    return this.running?.trainingEndpoint;
  }

  async start(mode: RunMode, store: Store): Promise<void> {
    if (this.running) throw new Error(`Reporting already runs in ${this.running.mode} mode; stop it before starting ${mode}.`);
    const { services, makeTransport = (e) => createSoapTransport(e) } = this.options;
    let transport: () => RegistryTransport | undefined;
    let running: Running;
    if (mode === 'training') {
      const training = await startTrainingRegistry(this.options.startSimulator, services.settings.effective().values);
      const fixed = makeTransport(training.endpoint);
      transport = () => fixed;
      running = {
        mode,
        trainingEndpoint: training.endpoint,
        async close() {
          fixed.dispose?.();
          await training.stop();
        },
      };
    } else {
      const production = new ProductionTransport({
        configurationKey: () => productionConfigurationKey(services.settings.effective().values, store.settings.get<StoredCredentials>(CREDENTIALS_KEY)),
        endpoint: () => productionEndpoint(services.settings.effective().values, services.credentials.load()),
        make: makeTransport,
        logError: services.logError,
      });
      transport = () => production.get();
      running = { mode, close: async () => production.close() };
    }
    let controller: SyncController;
    try {
      controller = this.options.createController({
        store,
        transport,
        hl7Config: () => siteHl7Config(services.settings.effective().values, mode),
        mode: () => mode,
      });
    } catch (err) {
      await running.close();
      throw err;
    }
    services.sync.attach(controller);
    this.running = running;
  }

  /** Stops the engine (in-flight sends finish or go back to pending), then its transport and simulator. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    try {
      await this.options.services.sync.detach();
    } finally {
      await running?.close();
    }
  }
}
