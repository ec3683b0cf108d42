import type { Migration } from './types';

// The lot-usage report sums a lot's adjustments (wasted, count corrected) from the audit
// trail, which is the only place they are kept. The trail grows by a row per chart read, so
// without this partial index that sum would scan every row ever written.
export const lotAdjustIndex: Migration = {
  version: 91,
  name: 'lot-adjust-index',
  up(db) {
    db.exec(`CREATE INDEX audit_lot_adjust ON audit(entity_id, at) WHERE action = 'lot.adjust';`);
  },
};
