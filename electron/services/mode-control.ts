import type { RunMode } from '../api';
import type { Actor } from '../store/types';
import type { MachineConfig } from './config';
import { ApiFailure } from './errors';

// What the handlers need of the mode: which one is in use, and the switch to the other. The
// app's implementation is ModeSwitcher (mode-switch.ts); a tool or test that opens a single
// database gets `singleDatabaseModes`, which stays in the mode it started in.

export interface SwitchRequest {
  by: Actor;
  /** Runs alone, right before anything changes; throws to refuse the switch (e.g. the settings changed during the check). */
  confirm?: () => void;
  /** Extra audit detail (e.g. the endpoint the connection check reached). */
  detail?: Record<string, unknown>;
}

export interface ModeControl {
  current(): RunMode;
  switchTo(target: RunMode, request: SwitchRequest): Promise<void>;
}

export function singleDatabaseModes(config: Pick<MachineConfig, 'mode'>): ModeControl {
  const mode: RunMode = config.mode ?? 'training';
  return {
    current: () => mode,
    async switchTo(target) {
      if (target === mode) return;
      throw new ApiFailure('conflict', 'This copy of DoseDesk runs on a single database and cannot change mode. Start DoseDesk normally to switch.', {
        code: 'registry.switch_unavailable',
      });
    },
  };
}
