import { METHOD_NAMES, type MethodName } from '../api';
import type { AppServices } from '../services/app-services';
import { authHandlers } from './auth';
import { conditionHandlers } from './conditions';
import { doseHandlers } from './doses';
import { deadlineHandlers } from './deadlines';
import { forecastHandlers } from './forecast';
import { guard } from './guard';
import { inventoryHandlers } from './inventory';
import { patientHandlers } from './patients';
import { reportHandlers } from './reports';
import { settingsHandlers } from './settings';
import { storeHandlers } from './store';
import { syncHandlers } from './sync';
import type { HandlerTable, Implementations } from './types';
import { userHandlers } from './users';

export type { CallContext, HandlerContext, HandlerTable, Implementation, Implementations } from './types';

/**
 * The whole API as plain functions of the services. ipc.ts registers these on Electron's IPC;
 * tests and the end-to-end harness call the very same functions without Electron.
 */
export function createHandlers(services: AppServices): HandlerTable {
  // Typed as the full set: a method missing from the contract's table fails the typecheck.
  const impls: Implementations = {
    ...authHandlers(services),
    ...patientHandlers(services),
    ...doseHandlers(services),
    ...forecastHandlers(services),
    ...inventoryHandlers(services),
    ...userHandlers(services),
    ...syncHandlers(services),
    ...deadlineHandlers(services),
    ...settingsHandlers(services),
    ...storeHandlers(services),
    ...conditionHandlers(services),
    ...reportHandlers(services),
  };
  const table: Partial<Record<MethodName, unknown>> = {};
  for (const method of METHOD_NAMES) table[method] = guard(services, method, impls[method] as never);
  return table as HandlerTable;
}
