import { DomainValidationError, issuesFromZod } from '../domain/errors';
import { lotInputSchema, type Lot, type LotFields } from '../domain/lot';
import { auditAs, nowIso, toBool, type StoreContext } from './context';
import { notFound } from './errors';
import type { LotRepo } from './types';

interface LotRow {
  id: string;
  doses_on_hand: number;
  active: number;
  data: string;
  created_at: string;
  updated_at: string;
}

function toLot(row: LotRow): Lot {
  const fields = JSON.parse(row.data) as LotFields;
  return { ...fields, id: row.id, dosesOnHand: row.doses_on_hand, active: toBool(row.active), createdAt: row.created_at, updatedAt: row.updated_at };
}

export interface LotInternals {
  /** Takes one dose from stock, inside the caller's transaction. */
  takeOne(id: string): void;
  /** Puts one dose back (a recorded dose moved to another lot or deleted). */
  returnOne(id: string): void;
  getRow(id: string): Lot | undefined;
}

export function createLotRepo(ctx: StoreContext): LotRepo & LotInternals {
  const { db } = ctx;
  const byId = db.prepare('SELECT * FROM lots WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO lots (id, lot_number, cvx, expiration_date, doses_on_hand, active, data, created_at, updated_at)
     VALUES (@id, @lot_number, @cvx, @expiration_date, @doses_on_hand, 1, @data, @at, @at)`,
  );
  const adjust = db.prepare('UPDATE lots SET doses_on_hand = doses_on_hand + @delta, updated_at = @at WHERE id = @id');
  const setActive = db.prepare('UPDATE lots SET active = @active, updated_at = @at WHERE id = @id');
  const takeOne = db.prepare('UPDATE lots SET doses_on_hand = doses_on_hand - 1, updated_at = @at WHERE id = @id AND doses_on_hand > 0');

  function load(id: string): Lot {
    const row = byId.get(id) as LotRow | undefined;
    if (!row) throw notFound('Lot', id);
    return toLot(row);
  }

  function change(id: string, delta: number): void {
    const lot = load(id);
    if (lot.dosesOnHand + delta < 0) {
      throw new DomainValidationError([
        { path: 'lot.dosesOnHand', code: 'lot.negative_stock', message: `Lot ${lot.lotNumber} has ${lot.dosesOnHand} doses on hand; it cannot go below zero.` },
      ]);
    }
    adjust.run({ id, delta, at: nowIso(ctx) });
  }

  return {
    receive(input, actor) {
      const parsed = lotInputSchema.safeParse(input);
      if (!parsed.success) throw new DomainValidationError(issuesFromZod(parsed.error, 'lot'));
      const f = parsed.data;
      return ctx.transaction(() => {
        const id = ctx.newId();
        insert.run({ id, lot_number: f.lotNumber, cvx: f.cvx, expiration_date: f.expirationDate, doses_on_hand: f.dosesOnHand, data: JSON.stringify(f), at: nowIso(ctx) });
        ctx.audit(auditAs(actor, 'lot.receive', 'lot', id, { lotNumber: f.lotNumber, cvx: f.cvx, doses: f.dosesOnHand }));
        return load(id);
      })();
    },
    adjust(id, delta, reason, actor) {
      if (!Number.isInteger(delta) || delta === 0) {
        throw new DomainValidationError([{ path: 'lot.delta', code: 'lot.delta_invalid', message: 'Adjust by a whole number of doses other than zero.' }]);
      }
      if (!reason.trim()) throw new DomainValidationError([{ path: 'lot.reason', code: 'lot.reason_missing', message: 'Say why the count changes (e.g. wasted, count corrected).' }]);
      return ctx.transaction(() => {
        change(id, delta);
        ctx.audit(auditAs(actor, 'lot.adjust', 'lot', id, { delta, reason: reason.trim() }));
        return load(id);
      })();
    },
    setActive(id, active, actor) {
      return ctx.transaction(() => {
        load(id);
        setActive.run({ id, active: active ? 1 : 0, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, active ? 'lot.activate' : 'lot.deactivate', 'lot', id));
        return load(id);
      })();
    },
    get(id) {
      const row = byId.get(id) as LotRow | undefined;
      return row ? toLot(row) : undefined;
    },
    list(filter = {}) {
      const where: string[] = [];
      if (filter.cvx) where.push('cvx = @cvx');
      if (!filter.includeInactive) where.push('active = 1');
      const sql = `SELECT * FROM lots ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY expiration_date, lot_number`;
      return (db.prepare(sql).all(filter.cvx ? { cvx: filter.cvx } : {}) as LotRow[]).map(toLot);
    },
    takeOne(id) {
      // The hot path of recording a dose: one conditional UPDATE, the full check only on failure.
      if (takeOne.run({ id, at: nowIso(ctx) }).changes !== 1) change(id, -1);
    },
    returnOne: (id) => change(id, 1),
    getRow(id) {
      const row = byId.get(id) as LotRow | undefined;
      return row ? toLot(row) : undefined;
    },
  };
}
