export {
  DEFAULT_SIMULATOR_USER,
  startRegistrySimulator,
  type RegistrySimulator,
  type ReceivedMessage,
  type SimulatorOptions,
  type SimulatorStats,
  type SimulatorUser,
} from './simulator';
export { FAULT_KINDS, type FaultKind, type FaultSettings } from './faults';
export { QUIRKS, isQuirkName, type QuirkName } from './quirks';
export { type StoredDose } from './registry-store';
export { sampleVxu, type SampleVxuOptions } from './sample-vxu';
export { measureSimulatorCapacity, type CapacityOptions, type CapacityResult } from './capacity';
export { simulatorEndpointSettings } from './training';
export { SEEDED_HISTORY, type SeededPatient, type SeededDose, type SeededForecast } from './query-history';
