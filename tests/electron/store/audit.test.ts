import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NURSE, TODAY, seed, testStore } from './helpers';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('audit trail', () => {
  let t: ReturnType<typeof testStore>;
  beforeEach(() => {
    t = testStore();
  });
  afterEach(() => t.done());

  it('chains every row to the one before and verifies clean', () => {
    const s = seed(t.store);
    t.store.doses.record(s.dose(), NURSE, TODAY);
    const result = t.store.audit.verifyChain();
    expect(result).toEqual({ ok: true, rows: t.store.audit.list({ limit: 1000 }).length });
    const rows = t.store.audit.list({ limit: 1000 }).reverse();
    expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
  });

  it('records the free-text label of a system actor', () => {
    t.store.settings.set('x', 1, { userId: 'system', label: 'system:sync' });
    expect(t.store.audit.list({ limit: 1 })[0]).toMatchObject({ userId: 'system', action: 'settings.set', detail: { actorLabel: 'system:sync' } });
    expect(t.store.audit.list({ userId: 'system' })).toHaveLength(1);
  });

  it('refuses UPDATE and DELETE at the database, even from another connection', () => {
    seed(t.store);
    const db = new Database(t.path);
    expect(() => db.prepare("UPDATE audit SET user_id = 'mallory' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE id = 2').run()).toThrow(/append-only/);
    db.close();
    expect(t.store.audit.verifyChain().ok).toBe(true);
  });

  it('detects a row altered or removed behind its back (triggers dropped first)', () => {
    seed(t.store);
    const n = t.store.audit.list({ limit: 1000 }).length;
    expect(n).toBeGreaterThan(3);
    const db = new Database(t.path);
    db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
    db.prepare("UPDATE audit SET user_id = 'mallory' WHERE id = 3").run();
    expect(t.store.audit.verifyChain()).toEqual({ ok: false, brokenAtId: 3 });
    db.prepare("UPDATE audit SET user_id = 'nurse-1' WHERE id = 3").run();
    expect(t.store.audit.verifyChain().ok).toBe(true);
    db.prepare('DELETE FROM audit WHERE id = 2').run();
    expect(t.store.audit.verifyChain()).toEqual({ ok: false, brokenAtId: 3 });
    db.close();
  });

  it('has no UPDATE or DELETE statement on the audit table anywhere in the store code', () => {
    const dir = join(__dirname, '../../../electron/store');
    const offenders = sourceFiles(dir).filter((f) => !f.includes(`${join('migrations', '')}`) && /(UPDATE\s+audit\b|DELETE\s+FROM\s+audit\b)/i.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    // The guard above must be able to fire: the refusing triggers themselves mention it.
    const schema = readFileSync(join(dir, 'migrations/0010-initial.ts'), 'utf8');
    expect(/BEFORE\s+UPDATE\s+ON\s+audit/i.test(schema)).toBe(true);
  });
});
