// A patient's CDSi observations in the local store: recorded, edited and removed with an audit
// row each, refused when the code, the dates or the chart are wrong, and read in bulk for the
// forecast and the recall without an audit row per patient.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainValidationError } from '../../../electron/domain/errors';
import { StoreError } from '../../../electron/store';
import { NURSE, patientInput, testStore } from './helpers';

let t: ReturnType<typeof testStore>;
beforeEach(() => {
  t = testStore();
});
afterEach(() => t.done());

function issueCodes(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainValidationError) return e.issues.map((i) => i.code);
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('patient observations', () => {
  it('records a condition with its CDSi title and an audit row naming the chart', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    const o = t.store.observations.record(p.id, { code: '160', startDate: '2020-03-02' }, NURSE);
    expect(o).toMatchObject({ patientId: p.id, code: '160', title: 'Anatomical or functional asplenia', startDate: '2020-03-02', source: 'chart', version: 1, recordedBy: NURSE.userId });
    const audit = t.store.audit.list({ entityId: p.id });
    expect(audit.find((a) => a.action === 'observation.record')?.detail).toMatchObject({ code: '160', observationId: o.id });
    expect(t.store.observations.listForPatient(p.id, NURSE).map((x) => x.code)).toEqual(['160']);
    expect(t.store.audit.list({ entityId: p.id }).some((a) => a.action === 'observation.read')).toBe(true);
  });

  it('pads a short code and refuses an unknown one, a future start, an end before the start', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    expect(t.store.observations.record(p.id, { code: '42' }, NURSE).code).toBe('042');
    expect(issueCodes(() => t.store.observations.record(p.id, { code: '999' }, NURSE))).toEqual(['observation.unknown_code']);
    expect(issueCodes(() => t.store.observations.record(p.id, { code: 'abc' }, NURSE))).toContain('observation.invalid_format');
    expect(issueCodes(() => t.store.observations.record(p.id, { code: '007', startDate: '2099-01-01' }, NURSE))).toEqual(['observation.start_in_future']);
    expect(issueCodes(() => t.store.observations.record(p.id, { code: '007', startDate: '2026-05-01', endDate: '2026-04-01' }, NURSE))).toEqual(['observation.end_before_start']);
    expect(issueCodes(() => t.store.observations.record(p.id, { code: '007', startDate: '2026-02-30' }, NURSE))).toHaveLength(1);
  });

  it('needs the date of an observation the schedule counts from (a transplant)', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    expect(issueCodes(() => t.store.observations.record(p.id, { code: '171' }, NURSE))).toEqual(['observation.date_required']);
    expect(t.store.observations.record(p.id, { code: '171', startDate: '2026-01-15' }, NURSE).startDate).toBe('2026-01-15');
  });

  it('refuses the same condition twice and a chart that does not exist', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    t.store.observations.record(p.id, { code: '014' }, NURSE);
    expect(issueCodes(() => t.store.observations.record(p.id, { code: '014' }, NURSE))).toEqual(['observation.duplicate']);
    expect(() => t.store.observations.record('no-such-patient', { code: '014' }, NURSE)).toThrow(StoreError);
  });

  it('edits dates with a version check and removes with a reason, keeping who and why', () => {
    const p = t.store.patients.create(patientInput(), NURSE);
    const o = t.store.observations.record(p.id, { code: '007', startDate: '2026-03-01' }, NURSE);
    const ended = t.store.observations.update(o.id, { code: '007', startDate: '2026-03-01', endDate: '2026-11-20' }, o.version, NURSE);
    expect(ended).toMatchObject({ endDate: '2026-11-20', version: 2 });
    expect(() => t.store.observations.update(o.id, { code: '007', startDate: '2026-03-02' }, o.version, NURSE)).toThrow(/version 1, it is now version 2/);
    expect(issueCodes(() => t.store.observations.update(o.id, { code: '014' }, ended.version, NURSE))).toEqual(['observation.code_changed']);
    expect(issueCodes(() => t.store.observations.remove(o.id, ' ', NURSE))).toEqual(['observation.reason_required']);
    t.store.observations.remove(o.id, 'wrong chart', NURSE);
    expect(t.store.observations.listForPatient(p.id, NURSE)).toEqual([]);
    expect(() => t.store.observations.remove(o.id, 'again', NURSE)).toThrow(/not found/);
    const removed = t.store.audit.list({ entityId: p.id }).find((a) => a.action === 'observation.remove');
    expect(removed?.detail).toMatchObject({ reason: 'wrong chart', code: '007' });
    expect(removed?.userId).toBe(NURSE.userId);
  });

  it('reads many patients at once for the forecast and finds patients by condition', () => {
    const a = t.store.patients.create(patientInput(), NURSE);
    const b = t.store.patients.create(patientInput({ lastName: 'Other', mrn: 'MRN-2' }), NURSE);
    t.store.observations.record(a.id, { code: '014' }, NURSE);
    t.store.observations.record(a.id, { code: '171', startDate: '2025-06-01' }, NURSE);
    const gone = t.store.observations.record(b.id, { code: '014' }, NURSE);
    t.store.observations.remove(gone.id, 'entered in error', NURSE);
    const before = t.store.audit.list({}).length;
    const map = t.store.observations.forForecast([a.id, b.id, 'nobody']);
    expect(map.get(a.id)).toEqual([{ code: '014', recordedOn: '2026-11-25' }, { code: '171', startDate: '2025-06-01', recordedOn: '2026-11-25' }]);
    expect(map.has(b.id)).toBe(false);
    expect([...t.store.observations.patientsWith(['014'])]).toEqual([a.id]);
    expect(t.store.observations.patientsWith([]).size).toBe(0);
    expect(t.store.observations.forForecast([]).size).toBe(0);
    expect(t.store.audit.list({}).length).toBe(before);
  });
});
