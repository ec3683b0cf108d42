import { DomainValidationError } from '../../../electron/domain/errors';
import type { PatientInput } from '../../../electron/domain/patient';
import type { LocalStore } from '../../../electron/store';
import { NURSE, countRows, patientInput, testStore } from './helpers';

describe('patients', () => {
  let t: ReturnType<typeof testStore>;
  beforeEach(() => {
    t = testStore();
  });
  afterEach(() => t.done());

  it('creates, reads and updates a patient, auditing each with the actor', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    expect(p).toMatchObject({ mrn: 'MRN-1001', lastName: 'Moreau', version: 1, races: ['2106-3'], guardians: [] });
    expect(t.store.patients.get(p.id, NURSE)).toEqual(p);
    t.clock.advance(1000);
    const updated = t.store.patients.update(p.id, patientInput({ phone: '617-555-0100' }), 1, { userId: 'frontdesk-2' });
    expect(updated).toMatchObject({ phone: '617-555-0100', version: 2, updatedAt: '2026-11-25T15:00:01.000Z' });
    const trail = t.store.audit.list({ entityId: p.id });
    expect(trail.map((a) => [a.action, a.userId])).toEqual([
      ['patient.update', 'frontdesk-2'],
      ['patient.read', 'nurse-1'],
      ['patient.create', 'nurse-1'],
    ]);
    expect(trail[0]?.detail).toMatchObject({ fields: ['phone'] });
    expect(t.store.patients.count()).toBe(1);
  });

  it('rejects invalid input with field errors and writes nothing', () => {
    const before = countRows(t.path);
    const bad: [Partial<PatientInput>, string][] = [
      [{ lastName: '' }, 'patient.lastName'],
      [{ dob: '2020-02-30' }, 'patient.dob'],
      [{ sex: 'X' as 'F' }, 'patient.sex'],
      [{ address: { street1: '1 Main', city: 'Boston', state: 'Massachusetts', zip: '02118' } }, 'patient.address.state'],
      [{ firstName: 'R2<script>' }, 'patient.firstName'],
      [{ middleName: 'Ana\u0000' }, 'patient.middleName'],
      [{ mothersMaidenName: 'Santos😀' }, 'patient.mothersMaidenName'],
      [{ mrn: 'MRN\u001b1' }, 'patient.mrn'],
      [{ guardians: [{ lastName: 'Lee\u0007', firstName: 'Mo', relationship: 'MTH' }] }, 'patient.guardians.0.lastName'],
      [{ lastName: 'a'.repeat(51) }, 'patient.lastName'],
      [{ dob: '2026-11-26' }, 'patient.dob'],
    ];
    for (const [change, path] of bad) {
      try {
        t.store.patients.create(patientInput(change), NURSE);
        expect.unreachable(path);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainValidationError);
        expect((e as DomainValidationError).issues.map((i) => i.path)).toContain(path);
      }
    }
    expect(countRows(t.path)).toEqual(before);
  });

  it('refuses a date of birth after the clinic’s today, on create and on update, writing nothing', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    const before = countRows(t.path);
    // The test clock is 2026-11-25 10:00 in Boston.
    expect(() => t.store.patients.create(patientInput({ mrn: 'MRN-2', dob: '2026-11-26' }), NURSE)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'patient.dob', code: 'patient.dob_in_future' })] }),
    );
    expect(() => t.store.patients.update(p.id, patientInput({ dob: '2027-01-01' }), 1, NURSE)).toThrow(DomainValidationError);
    expect(countRows(t.path)).toEqual(before);
    expect(t.store.patients.get(p.id, NURSE)?.dob).toBe('2020-03-14');
  });

  it('refuses a second chart with the same MRN', () => {
    t.store.patients.create(patientInput(), NURSE);
    expect(() => t.store.patients.create(patientInput({ lastName: 'Other' }), NURSE)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: 'patient.mrn_taken' })] }));
    expect(t.store.patients.count()).toBe(1);
  });

  it('assigns a walk-in without an MRN the next free record number, and the audit row says it was assigned', () => {
    const { mrn: _none, ...walkIn } = patientInput();
    const first = t.store.patients.create(walkIn, NURSE);
    const second = t.store.patients.create({ ...walkIn, firstName: 'Other', mrn: '  ' }, NURSE);
    expect([first.mrn, second.mrn]).toEqual(['DD-000001', 'DD-000002']);
    // A site's own MRN that happens to look like ours is skipped, never reused.
    t.store.patients.create({ ...walkIn, firstName: 'Typed', mrn: 'DD-000003' }, NURSE);
    expect(t.store.patients.create({ ...walkIn, firstName: 'Fourth' }, NURSE).mrn).toBe('DD-000004');
    const created = t.store.audit.list({ entityId: first.id }).find((a) => a.action === 'patient.create');
    expect(created?.detail).toMatchObject({ mrnAssigned: 'DD-000001' });
    const typed = t.store.audit.list({ limit: 50 }).filter((a) => a.action === 'patient.create' && a.detail && 'mrnAssigned' in a.detail);
    expect(typed).toHaveLength(3);
  });

  it('refuses an update from a stale version as a conflict and a missing id as not_found', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    t.store.patients.update(p.id, patientInput({ phone: '617-555-0100' }), 1, NURSE);
    expect(() => t.store.patients.update(p.id, patientInput({ phone: '617-555-0199' }), 1, NURSE)).toThrow(expect.objectContaining({ kind: 'conflict', message: expect.stringContaining('version 2') }));
    expect(() => t.store.patients.update('missing', patientInput(), 1, NURSE)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(t.store.patients.get(p.id, NURSE)?.phone).toBe('617-555-0100');
  });

  it('finds likely duplicates by name and DOB, ignoring case', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    expect(t.store.patients.findLikelyDuplicates({ lastName: 'MOREAU', firstName: 'amélie', dob: '2020-03-14' }).map((r) => r.id)).toEqual([p.id]);
    expect(t.store.patients.findLikelyDuplicates({ lastName: 'Moreau', firstName: 'Amélie', dob: '2020-03-15' })).toEqual([]);
  });

  it('keeps the search index in step with a renamed patient', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    t.store.patients.update(p.id, patientInput({ lastName: 'Dubois' }), 1, NURSE);
    expect(t.store.patients.search({ text: 'dub' }, NURSE).map((r) => r.id)).toEqual([p.id]);
    expect(t.store.patients.search({ text: 'moreau' }, NURSE)).toEqual([]);
  });
});

// A generated population: a few hand-placed patients among thousands of others.
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez', 'Nguyen', 'Silva', 'Santos', 'Oliveira', "O'Brien", 'Murphy'];
const FIRST = ['Maria', 'Mary', 'James', 'John', 'Robert', 'Linda', 'Sofia', 'Lucas', 'Mateo', 'Emma', 'Liam', 'Ana', 'Marco', 'Chloe'];

function population(n: number): PatientInput[] {
  const out: PatientInput[] = [];
  for (let i = 0; i < n; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
    out.push({ mrn: `G${i}`, lastName: LAST[i % LAST.length]!, firstName: FIRST[(i * 7) % FIRST.length]!, dob: `${1950 + (i % 70)}-${month}-${day}`, sex: i % 2 ? 'F' : 'M' });
  }
  return out;
}

describe('a newborn registered around midnight', () => {
  it('is judged by the clinic’s calendar, not UTC’s', () => {
    // 23:30 on 24 November in Boston (UTC-5): UTC already says the 25th.
    const t = testStore();
    try {
      t.clock.advance(new Date('2026-11-25T04:30:00Z').getTime() - t.clock.now().getTime());
      expect(() => t.store.patients.create(patientInput({ dob: '2026-11-25' }), NURSE)).toThrow(DomainValidationError);
      expect(t.store.patients.create(patientInput({ dob: '2026-11-24' }), NURSE).dob).toBe('2026-11-24');
      t.clock.advance(60 * 60 * 1000); // 00:30 on the 25th in Boston
      expect(t.store.patients.create(patientInput({ mrn: 'MRN-2', dob: '2026-11-25' }), NURSE).dob).toBe('2026-11-25');
    } finally {
      t.done();
    }
  });
});

describe('patient search on a generated population', () => {
  let t: ReturnType<typeof testStore>;
  let store: LocalStore;
  let ids: Record<string, string>;
  beforeAll(() => {
    t = testStore();
    store = t.store;
    expect(store.patients.importMany(population(5000), NURSE)).toBe(5000);
    ids = {
      jose: store.patients.create({ mrn: 'A-77', lastName: 'Ñúñez García', firstName: 'José', middleName: 'Luis', dob: '1984-07-09', sex: 'M' }, NURSE).id,
      zoe: store.patients.create({ mrn: 'B-88', lastName: 'Zaragoza', firstName: 'Zoë', dob: '2015-12-01', sex: 'F' }, NURSE).id,
      zed: store.patients.create({ mrn: 'B-89', lastName: 'Zaragoza', firstName: 'Zed', dob: '1984-07-09', sex: 'M' }, NURSE).id,
    };
  });
  afterAll(() => t.done());
  const search = (text: string, limit?: number) => store.patients.search({ text, limit }, NURSE);

  it('matches name prefixes in any order, ignoring accents and case', () => {
    for (const q of ['nunez jose', 'jose nunez', 'NÚÑ JO', 'garc jos', 'luis nun', 'j n']) {
      expect(search(q).map((r) => r.id), q).toContain(ids.jose);
    }
    expect(search('zoe zar').map((r) => r.id)).toEqual([ids.zoe]);
    expect(search('zar').map((r) => r.id).sort()).toEqual([ids.zoe, ids.zed].sort());
  });

  it('requires every typed part to match', () => {
    expect(search('zaragoza jose')).toEqual([]);
    expect(search('qqq')).toEqual([]);
  });

  it('recognises a DOB typed either way, alone or with a name', () => {
    expect(search('07/09/1984').map((r) => r.id).sort()).toEqual([ids.jose, ids.zed].sort());
    expect(search('1984-07-09 zar').map((r) => r.id)).toEqual([ids.zed]);
    expect(search('zar 7/9/1984').map((r) => r.id)).toEqual([ids.zed]);
    expect(store.patients.search({ text: 'zar', dob: '2015-12-01' }, NURSE).map((r) => r.id)).toEqual([ids.zoe]);
  });

  it('finds an MRN exactly', () => {
    expect(search('A-77').map((r) => r.id)).toEqual([ids.jose]);
    expect(store.patients.search({ mrn: 'G4321' }, NURSE).map((r) => r.mrn)).toEqual(['G4321']);
    expect(search('A-7')).toEqual([]);
  });

  it('bounds a very common prefix to the limit and returns a sorted page', () => {
    const page = search('m', 25);
    expect(page).toHaveLength(25);
    for (const r of page) expect(`${r.lastName} ${r.firstName}`).toMatch(/(^|\s|')m/i);
    const names = page.map((r) => `${r.lastName}|${r.firstName}`);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    // Every match of a narrower query really matches (cross-checked against the generator).
    const expected = population(5000).filter((p) => p.lastName.toLowerCase().startsWith('sil') && p.firstName.toLowerCase().startsWith('ma')).length;
    expect(search('sil ma', 200)).toHaveLength(Math.min(expected, 200));
  });

  it('splits a name with an apostrophe the way it was indexed', () => {
    expect(search("o'bri").length).toBeGreaterThan(0);
    expect(search('brien').length).toBeGreaterThan(0);
  });

  it('returns nothing for an empty query and audits every search with the ids shown', () => {
    expect(search('   ')).toEqual([]);
    search('zoe');
    const [row] = store.audit.list({ limit: 1 });
    expect(row).toMatchObject({ action: 'patient.search', userId: 'nurse-1', detail: { results: 1, patientIds: [ids.zoe] } });
  });
});
