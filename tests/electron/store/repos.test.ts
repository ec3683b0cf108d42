import { DomainValidationError } from '../../../electron/domain/errors';
import { NURSE, TODAY, clinicianInput, lotInput, seed, testStore } from './helpers';

describe('lots, clinicians, users, settings', () => {
  let t: ReturnType<typeof testStore>;
  beforeEach(() => {
    t = testStore();
  });
  afterEach(() => t.done());

  it('receives, adjusts, deactivates and lists lots, refusing negative stock', () => {
    const lot = t.store.lots.receive(lotInput({ dosesOnHand: 2 }), NURSE);
    expect(lot).toMatchObject({ lotNumber: 'HB123', dosesOnHand: 2, active: true, lowStockThreshold: 5 });
    expect(t.store.lots.adjust(lot.id, 3, 'count corrected', NURSE).dosesOnHand).toBe(5);
    expect(() => t.store.lots.adjust(lot.id, -6, 'wasted', NURSE)).toThrow(DomainValidationError);
    expect(() => t.store.lots.adjust(lot.id, -1, ' ', NURSE)).toThrow(/why/);
    expect(t.store.lots.get(lot.id)?.dosesOnHand).toBe(5);
    t.store.lots.receive(lotInput({ lotNumber: 'FLU9', cvx: '150', mvx: 'SKB' }), NURSE);
    expect(t.store.lots.list({ cvx: '08' }).map((l) => l.lotNumber)).toEqual(['HB123']);
    t.store.lots.setActive(lot.id, false, NURSE);
    expect(t.store.lots.list().map((l) => l.lotNumber)).toEqual(['FLU9']);
    expect(t.store.lots.list({ includeInactive: true })).toHaveLength(2);
    expect(() => t.store.lots.receive(lotInput({ dosesOnHand: -1 }), NURSE)).toThrow(DomainValidationError);
    expect(t.store.audit.list({ entityId: lot.id }).map((a) => a.action)).toEqual(['lot.deactivate', 'lot.adjust', 'lot.receive']);
  });

  it('stops at zero: the last dose of a lot can be recorded, the next cannot', () => {
    const s = seed(t.store, { lot: { dosesOnHand: 1 } });
    t.store.doses.record(s.dose(), NURSE, TODAY);
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(0);
    expect(() => t.store.doses.record(s.dose(), NURSE, TODAY)).toThrow(/no doses left/);
  });

  it('creates, updates and deactivates clinicians', () => {
    const c = t.store.clinicians.create(clinicianInput({ npi: '1234567893' }), NURSE);
    expect(c).toMatchObject({ credential: 'RN', canAdminister: true, active: true });
    expect(t.store.clinicians.update(c.id, clinicianInput({ credential: 'NP' }), NURSE).credential).toBe('NP');
    t.store.clinicians.setActive(c.id, false, NURSE);
    expect(t.store.clinicians.list()).toEqual([]);
    expect(t.store.clinicians.list(true)).toHaveLength(1);
    expect(() => t.store.clinicians.create(clinicianInput({ npi: '12' }), NURSE)).toThrow(DomainValidationError);
    expect(() => t.store.clinicians.update('missing', clinicianInput(), NURSE)).toThrow(expect.objectContaining({ kind: 'not_found' }));
  });

  it('persists users, sign-in counters and lock-outs, never exposing the hash in list()', () => {
    const u = t.store.users.create({ username: 'Admin.One', displayName: 'Admin One', role: 'administrator', passwordHash: 'scrypt$abc' }, null);
    expect(u).toMatchObject({ username: 'admin.one', role: 'administrator', active: true });
    expect(t.store.users.count()).toBe(1);
    expect(t.store.users.byUsername('ADMIN.ONE')?.passwordHash).toBe('scrypt$abc');
    expect(t.store.users.list()[0]).not.toHaveProperty('passwordHash');
    expect(() => t.store.users.create({ username: 'admin.one', displayName: 'X', role: 'clinician', passwordHash: 'h' }, null)).toThrow(/taken/);

    t.store.users.recordFailedSignIn(u.id, undefined);
    t.store.users.recordFailedSignIn(u.id, '2026-11-25T15:15:00.000Z');
    expect(t.store.users.byId(u.id)).toMatchObject({ failedAttempts: 2, lockedUntil: '2026-11-25T15:15:00.000Z' });
    t.store.users.recordSuccessfulSignIn(u.id);
    expect(t.store.users.byId(u.id)).toMatchObject({ failedAttempts: 0, lockedUntil: undefined });

    const actor = { userId: u.id };
    t.store.users.setPasswordHash(u.id, 'scrypt$new', actor);
    t.store.users.setRole(u.id, 'front_desk', actor);
    t.store.users.setActive(u.id, false, actor);
    expect(t.store.users.byId(u.id)).toMatchObject({ passwordHash: 'scrypt$new', role: 'front_desk', active: false });
    expect(() => t.store.users.setRole(u.id, 'root' as 'administrator', actor)).toThrow(DomainValidationError);
    expect(t.store.audit.list({ entityId: u.id }).map((a) => a.action)).toEqual([
      'user.deactivate',
      'user.role_changed',
      'user.password_changed',
      'user.sign_in',
      'user.sign_in_failed',
      'user.sign_in_failed',
      'user.create',
    ]);
  });

  it('stores settings as JSON and audits the key, not the value', () => {
    expect(t.store.settings.get('endpoint')).toBeUndefined();
    t.store.settings.set('endpoint', { url: 'https://miis.example/ws', mode: 'production' }, { userId: 'admin' });
    t.store.settings.set('endpoint', { url: 'https://miis.example/ws2', mode: 'production' }, { userId: 'admin' });
    expect(t.store.settings.get<{ url: string }>('endpoint')?.url).toBe('https://miis.example/ws2');
    const [row] = t.store.audit.list({ limit: 1 });
    expect(row).toMatchObject({ action: 'settings.set', entityId: 'endpoint' });
    expect(JSON.stringify(row)).not.toContain('miis.example');
  });
});
