import type { AppServices } from '../services/app-services';
import { notFound } from '../services/errors';
import { signedIn } from './guard';
import type { Implementations } from './types';

type InventoryMethods =
  | 'lots.list'
  | 'lots.receive'
  | 'lots.adjust'
  | 'lots.setActive'
  | 'clinicians.list'
  | 'clinicians.create'
  | 'clinicians.update'
  | 'clinicians.setActive'
  | 'codes.searchVaccines'
  | 'codes.lists'
  | 'codes.lotDefaults';

export function inventoryHandlers({ store, codes, today }: AppServices): Implementations<InventoryMethods> {
  return {
    'lots.list': (input) => store.lots.list(input),
    'lots.receive': (input, ctx) => store.lots.receive(input.lot, signedIn(ctx).actor),
    'lots.adjust': (input, ctx) => store.lots.adjust(input.id, input.delta, input.reason, signedIn(ctx).actor),
    'lots.setActive': (input, ctx) => store.lots.setActive(input.id, input.active, signedIn(ctx).actor),
    'clinicians.list': (input) => store.clinicians.list(input.includeInactive),
    'clinicians.create': (input, ctx) => store.clinicians.create(input.clinician, signedIn(ctx).actor),
    'clinicians.update': (input, ctx) => store.clinicians.update(input.id, input.clinician, signedIn(ctx).actor),
    'clinicians.setActive': (input, ctx) => store.clinicians.setActive(input.id, input.active, signedIn(ctx).actor),
    'codes.searchVaccines': (input) => codes.searchVaccines(input.text, input.limit ?? 20, input.includeInactive ?? false),
    'codes.lists': () => codes.lists(),
    'codes.lotDefaults': (input) => {
      const lot = store.lots.get(input.lotId);
      if (!lot) throw notFound('This lot', 'lot.not_found');
      const defaults = {
        lotId: lot.id,
        lotNumber: lot.lotNumber,
        cvx: lot.cvx,
        mvx: lot.mvx,
        expirationDate: lot.expirationDate,
        expired: lot.expirationDate < today(),
        dosesOnHand: lot.dosesOnHand,
        vis: codes.currentVis(lot.cvx),
      };
      return {
        ...defaults,
        ...(lot.ndc ? { ndc: lot.ndc } : {}),
        ...(lot.fundingSource ? { fundingSource: lot.fundingSource } : {}),
        ...(lot.doseVolumeMl !== undefined ? { amountMl: lot.doseVolumeMl } : {}),
      };
    },
  };
}
