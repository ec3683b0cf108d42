import type { SettingsValues } from '../api';
import { cdcStandardPreset, massachusettsPreset, type EndpointSettings } from '../../sync/transport/settings';
import type { SimulatorOptions } from '../../sync/sim/simulator';

// Training mode: a new install reports to the registry simulator (sync/sim) running inside the
// app on 127.0.0.1, so staff can practise before MIIS credentials exist. Nothing leaves the PC.

export const TRAINING_BANNER = 'Training mode: nothing you record here reaches MIIS. Practice records go to a simulator on this computer.';

const TRAINING_USER = { username: 'dosedesk', password: 'training' };
const TRAINING_FACILITY = 'TRAINING';

/** The part of the simulator the shell uses (lets tests pass a fake). */
export interface RunningRegistry {
  readonly url: string;
  stop(): Promise<void>;
}

export type StartSimulator = (options: SimulatorOptions) => Promise<RunningRegistry>;

export interface TrainingRegistry {
  endpoint: EndpointSettings;
  stop(): Promise<void>;
}

/**
 * Starts the simulator so it behaves like the configured registry (MIIS: no connectivityTest,
 * WS-Security credentials) and returns endpoint settings pointing at it.
 */
export async function startTrainingRegistry(start: StartSimulator, settings: Pick<SettingsValues, 'registry.preset' | 'registry.vaccinePin'>): Promise<TrainingRegistry> {
  const miis = settings['registry.preset'] === 'massachusetts';
  const facilityId = settings['registry.vaccinePin'] || TRAINING_FACILITY;
  const sim = await start({
    host: '127.0.0.1',
    port: 0,
    users: [TRAINING_USER],
    credentialPlacement: miis ? 'wsse' : 'body',
    connectivityTestSupported: !miis,
  });
  const site = { url: sim.url, facilityId, ...TRAINING_USER };
  // A short timeout: the simulator is local, and a hung one should not stall the queue.
  const endpoint = miis ? massachusettsPreset(site, { timeoutMs: 10_000 }) : cdcStandardPreset(site, { timeoutMs: 10_000 });
  return { endpoint, stop: () => sim.stop() };
}
