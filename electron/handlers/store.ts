import type { AppServices } from '../services/app-services';
import type { Implementations } from './types';

// The database file as IT sees it, on the administrator's settings screen.

export function storeHandlers(services: AppServices): Implementations<'store.diagnostics'> {
  return {
    'store.diagnostics': () => services.store.diagnostics(),
  };
}
