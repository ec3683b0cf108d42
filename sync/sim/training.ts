import { massachusettsPreset, type EndpointSettings } from '../transport/settings';
import { DEFAULT_SIMULATOR_USER, type RegistrySimulator } from './simulator';

/**
 * Endpoint settings that point DoseDesk at a running simulator with the Massachusetts transport
 * variant, so training mode exercises the same code path as production.
 */
export function simulatorEndpointSettings(sim: Pick<RegistrySimulator, 'url'>, facilityId: string): EndpointSettings {
  return massachusettsPreset({ url: sim.url, facilityId, ...DEFAULT_SIMULATOR_USER }, { timeoutMs: 10_000 });
}
