import { addDays } from '../../../electron/store/reports';
import { NURSE, clinicianInput, doseInput, lotInput, patientInput, testStore } from './helpers';

// A generated clinic year recorded through the real repositories (doses, lots, outbox
// outcomes, deletions), counted a second time by hand in this file from what the generator
// did; the report's SQL must agree with that count.

type Outcome = 'on_time' | 'late' | 'waiting' | 'rejected';
interface Given {
  doseId: string;
  givenOn: string;
  cvx: string;
  funding: string;
  vfc: string;
  age: number;
  lotId: string;
  clinicianId: string;
  outcome: Outcome;
  deleted: boolean;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const YEAR = 2026;
const ACK = { code: 'AA', text: 'ok', messages: [], warning: false };

function clinicYear() {
  const t = testStore();
  const { store, clock } = t;
  const random = rng(7);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const clinicians = ['Nightingale', 'Barton', 'Seacole'].map((lastName) => store.clinicians.create(clinicianInput({ lastName }), NURSE));
  const set = (iso: string) => clock.advance(new Date(iso).getTime() - clock.now().getTime());
  set(`${YEAR - 1}-12-15T20:00:00.000Z`);
  const lots = [
    store.lots.receive(lotInput({ lotNumber: 'HB-PUB', dosesOnHand: 5000, fundingSource: 'VXC50', expirationDate: '2027-06-30' }), NURSE),
    store.lots.receive(lotInput({ lotNumber: 'HB-PRIV', dosesOnHand: 5000, fundingSource: 'PHC70', expirationDate: `${YEAR}-12-20` }), NURSE),
    store.lots.receive(lotInput({ lotNumber: 'HB-OLD', dosesOnHand: 5000, fundingSource: 'VXC50', expirationDate: `${YEAR}-10-01` }), NURSE),
  ];
  const given: Given[] = [];
  const plan = new Map<string, { outcome: Outcome; acceptOn?: string }>();
  const wasted: { lotId: string; day: string; n: number }[] = [];
  let mrn = 0;
  for (let day = `${YEAR}-01-01`; day <= `${YEAR}-12-31`; day = addDays(day, 1)) {
    set(`${day}T20:00:00.000Z`);
    const n = Math.floor(random() * 3);
    for (let i = 0; i < n; i++) {
      // One patient per dose keeps each dose's outbox entry first in its patient's line.
      const age = pick([0, 3, 10, 30, 70]);
      const dob = `${YEAR - age - 1}-${pick(['02', '06', '11', '12'])}-15`;
      const patient = store.patients.create(patientInput({ mrn: `M${++mrn}`, dob }), NURSE);
      const lot = day > `${YEAR}-11-30` ? lots[0]! : day > `${YEAR}-09-30` ? pick([lots[0]!, lots[1]!]) : pick(lots);
      const clinician = pick(clinicians);
      const vfc = pick(['V01', 'V02', 'V03', 'V04']);
      const input = doseInput(patient.id, lot.id, clinician.id, { administeredOn: day, vfcEligibility: vfc, vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: day }] });
      const { dose } = store.doses.record(input, NURSE, day);
      const ageOnDay = Number(day.slice(0, 4)) - Number(dob.slice(0, 4)) - (day.slice(5) < dob.slice(5) ? 1 : 0);
      const outcome: Outcome = day > `${YEAR}-11-30` ? pick(['on_time', 'rejected']) : pick(['on_time', 'on_time', 'late', 'waiting', 'rejected']);
      plan.set(dose.id, outcome === 'late' ? { outcome, acceptOn: addDays(day, 4) } : { outcome });
      given.push({ doseId: dose.id, givenOn: day, cvx: '08', funding: lot.fundingSource ?? '', vfc: vfc ?? '', age: ageOnDay, lotId: lot.id, clinicianId: clinician.id, outcome, deleted: false });
    }
    if (random() < 0.05) {
      const lot = pick(lots);
      const k = 1 + Math.floor(random() * 3);
      store.lots.adjust(lot.id, -k, 'wasted: left out of the fridge', NURSE);
      wasted.push({ lotId: lot.id, day, n: k });
    }
    for (const e of store.outbox.claimDue(clock.now(), 10_000, 86_400_000)) {
      const p = plan.get(e.doseId);
      if (p?.outcome === 'on_time' || (p?.outcome === 'late' && p.acceptOn === day)) store.outbox.markAccepted(e.seq, ACK);
      else if (p?.outcome === 'rejected') store.outbox.markRejected(e.seq, { code: 'AE', text: 'bad', messages: [] });
      else store.outbox.release(e.seq, clock.now());
    }
  }
  // Doses recorded in error: they leave every count.
  for (const g of given.filter((_, i) => i % 37 === 5)) {
    store.doses.remove(g.doseId, 'recorded on the wrong patient', NURSE);
    g.deleted = true;
  }
  // Records that are not doses given here never count.
  const other = store.patients.create(patientInput({ mrn: 'HIST' }), NURSE);
  store.doses.record({ patientId: other.id, kind: 'historical', cvx: '08', administeredOn: `${YEAR}-03-03`, historicalSource: '01' }, NURSE, `${YEAR}-12-31`);
  return { ...t, given: given.filter((g) => !g.deleted), wasted, lots, clinicians };
}

function count<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}
const asMap = (rows: { key: string; count: number }[]) => new Map(rows.map((r) => [r.key, r.count]));
const ageGroup = (age: number) => (age < 1 ? 'under1' : age <= 6 ? '1-6' : age <= 18 ? '7-18' : age <= 64 ? '19-64' : '65plus');

describe('clinic reports over a generated year', () => {
  const year = clinicYear();
  afterAll(() => year.done());
  const { store, given } = year;
  const range = { from: `${YEAR}-04-01`, to: `${YEAR}-09-30` };
  const inRange = given.filter((g) => g.givenOn >= range.from && g.givenOn <= range.to);

  it('counts the doses given by day, funding, VFC eligibility and age group as a hand count does', () => {
    const r = store.reports.dosesGiven(range);
    expect(inRange.length).toBeGreaterThan(80);
    expect(r.total).toBe(inRange.length);
    expect(asMap(r.byDay)).toEqual(count(inRange, (g) => g.givenOn));
    expect(asMap(r.byFunding)).toEqual(count(inRange, (g) => g.funding));
    expect(asMap(r.byVfc)).toEqual(count(inRange, (g) => g.vfc));
    const ages = count(inRange, (g) => ageGroup(g.age));
    for (const row of r.byAgeGroup) expect(row.count, row.key).toBe(ages.get(row.key) ?? 0);
    expect(r.byVaccine).toEqual([{ cvx: '08', count: inRange.length, byAge: Object.fromEntries(r.byAgeGroup.map((a) => [a.key, ages.get(a.key) ?? 0])) }]);
  });

  it('sorts each dose into reported in time, late, waiting or rejected, per week, and lists the late ones', () => {
    const now = new Date(`${YEAR}-12-31T23:00:00.000Z`);
    const r = store.reports.compliance(range, now);
    const outcomes = count(inRange, (g) => g.outcome);
    for (const o of ['on_time', 'late', 'waiting', 'rejected'] as const) expect(r.totals[o], o).toBe(outcomes.get(o) ?? 0);
    // Every waiting dose of the range is long past its 72 hours.
    expect(r.totals.overdue).toBe(outcomes.get('waiting'));
    const monday = (day: string) => {
      const d = new Date(`${day}T00:00:00Z`);
      return addDays(day, -((d.getUTCDay() + 6) % 7));
    };
    const weeks = count(inRange, (g) => monday(g.givenOn));
    expect(new Map(r.weeks.map((w) => [w.week, w.total]))).toEqual(weeks);
    for (const w of r.weeks) expect(w.on_time + w.late + w.waiting + w.rejected).toBe(w.total);
    const late = inRange.filter((g) => g.outcome === 'late' || g.outcome === 'waiting');
    expect(r.late.map((l) => l.doseId).sort()).toEqual(late.map((g) => g.doseId).sort());
    expect(r.late.filter((l) => l.reportedAt).length).toBe(outcomes.get('late'));
    expect(r.lateTruncated).toBe(false);
  });

  it('sets each lot\'s doses given and wasted against what was received, and flags expired and short-dated stock', () => {
    const today = `${YEAR}-12-01`;
    const r = store.reports.lotUsage(range, today);
    for (const lot of year.lots) {
      const row = r.lots.find((l) => l.lotId === lot.id)!;
      const all = given.filter((g) => g.lotId === lot.id);
      const wastedAll = year.wasted.filter((w) => w.lotId === lot.id).reduce((s, w) => s + w.n, 0);
      const wastedInRange = year.wasted.filter((w) => w.lotId === lot.id && w.day >= range.from && w.day <= range.to).reduce((s, w) => s + w.n, 0);
      expect(row.givenInRange).toBe(inRange.filter((g) => g.lotId === lot.id).length);
      expect(row.givenAll).toBe(all.length);
      expect(row.received).toBe(5000);
      expect(row.wastedInRange).toBe(wastedInRange);
      expect(row.onHand).toBe(5000 - all.length - wastedAll);
    }
    const byNumber = new Map(r.lots.map((l) => [l.lotNumber, l]));
    expect(byNumber.get('HB-OLD')!.expired).toBe(byNumber.get('HB-OLD')!.onHand);
    expect(byNumber.get('HB-PRIV')!.expiresWithin30Days).toBe(true);
    expect(byNumber.get('HB-PUB')!.expiresWithin30Days).toBe(false);
  });

  it('counts who gave what', () => {
    const r = store.reports.byClinician(range);
    const hand = count(inRange, (g) => g.clinicianId);
    expect(new Map(r.clinicians.map((c) => [c.clinicianId, c.total]))).toEqual(hand);
    expect(r.clinicians.map((c) => c.lastName).sort()).toEqual(['Barton', 'Nightingale', 'Seacole']);
  });

  it('follows an edit of the date of birth and a dose moved to another day', () => {
    const g = inRange[0]!;
    const dose = store.doses.get(g.doseId, NURSE)!;
    const before = store.reports.dosesGiven(range).byDay.find((d) => d.key === g.givenOn)!.count;
    store.doses.edit(g.doseId, { ...dose, administeredOn: `${YEAR}-01-02`, vis: [{ ...dose.vis[0]!, presentedOn: `${YEAR}-01-02` }] }, dose.version, NURSE, `${YEAR}-12-31`);
    const after = store.reports.dosesGiven(range);
    expect(after.total).toBe(inRange.length - 1);
    expect(after.byDay.find((d) => d.key === g.givenOn)?.count ?? 0).toBe(before - 1);
  });
});
