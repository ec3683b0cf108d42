import Database from 'better-sqlite3';
import { DomainValidationError } from '../../../electron/domain/errors';
import type { DoseInput } from '../../../electron/domain/dose';
import { StoreError } from '../../../electron/store';
import { NURSE, TODAY, countRows, lotInput, seed, testStore } from './helpers';

describe('doses.record', () => {
  let t: ReturnType<typeof testStore>;
  beforeEach(() => {
    t = testStore();
  });
  afterEach(() => t.done());

  it('writes the dose, a pending outbox add with a fresh control id and an audit row, and takes one from the lot', () => {
    const s = seed(t.store);
    const before = countRows(t.path);
    const { dose, outbox } = t.store.doses.record(s.dose(), NURSE, TODAY);

    expect(dose).toMatchObject({ patientId: s.patient.id, cvx: '08', lotNumber: 'HB123', mvx: 'MSD', expirationDate: '2027-06-30', fundingSource: 'VXC50', version: 1, recordedBy: 'nurse-1' });
    expect(outbox).toMatchObject({ doseId: dose.id, patientId: s.patient.id, action: 'A', state: 'pending', attempts: 0 });
    expect(outbox.messageControlId).toMatch(/^[0-9A-Z]{20}$/);
    // 10:30 in UTC-5 is 15:30Z; the law allows 72 hours.
    expect(outbox.deadlineAt).toBe('2026-11-28T15:30:00.000Z');
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(9);

    const after = countRows(t.path);
    expect(after.doses - before.doses).toBe(1);
    expect(after.outbox - before.outbox).toBe(1);
    expect(after.audit - before.audit).toBe(1);
    const [row] = t.store.audit.list({ entityId: dose.id });
    expect(row).toMatchObject({ userId: 'nurse-1', action: 'dose.record', entity: 'dose' });
    expect(row?.detail).toMatchObject({ outboxSeq: outbox.seq, messageControlId: outbox.messageControlId });
  });

  it('gives every dose its own control id', () => {
    const s = seed(t.store, { lot: { dosesOnHand: 100 } });
    const ids = new Set(Array.from({ length: 50 }, () => t.store.doses.record(s.dose(), NURSE, TODAY).outbox.messageControlId));
    expect(ids.size).toBe(50);
  });

  it('queues historical doses and refusals for MIIS too, without a legal deadline or a lot', () => {
    const s = seed(t.store);
    const hist = t.store.doses.record({ patientId: s.patient.id, kind: 'historical', cvx: '08', administeredOn: '2021-01-05', historicalSource: '01' }, NURSE, TODAY);
    const refusal = t.store.doses.record({ patientId: s.patient.id, kind: 'refusal', cvx: '08', administeredOn: TODAY, completionStatus: 'RE', refusalReason: '00' }, NURSE, TODAY);
    for (const r of [hist, refusal]) {
      expect(r.outbox.state).toBe('pending');
      expect(r.outbox.deadlineAt).toBeUndefined();
    }
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(10);
  });

  it('is all or nothing: when the audit insert (the last statement) fails, no dose, outbox entry or stock change remains', () => {
    const s = seed(t.store);
    const before = countRows(t.path);
    const saboteur = new Database(t.path);
    saboteur.exec("CREATE TRIGGER sabotage BEFORE INSERT ON audit WHEN NEW.action = 'dose.record' BEGIN SELECT RAISE(ABORT, 'disk gremlin'); END");
    saboteur.close();

    expect(() => t.store.doses.record(s.dose(), NURSE, TODAY)).toThrow(/disk gremlin/);
    expect(countRows(t.path)).toEqual(before);
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(10);
    expect(t.store.outbox.stats().pending).toBe(0);
  });

  it('refuses an unknown patient or lot with a field error and writes nothing', () => {
    const s = seed(t.store);
    const before = countRows(t.path);
    expect(() => t.store.doses.record(s.dose({ patientId: 'nope' }), NURSE, TODAY)).toThrow(DomainValidationError);
    try {
      t.store.doses.record(s.dose({ lotId: 'nope' }), NURSE, TODAY);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainValidationError).issues[0]).toMatchObject({ path: 'dose.lotId', code: 'dose.lot_unknown' });
    }
    expect(countRows(t.path)).toEqual(before);
  });
});

describe('every dose rule: a bad input gets a clear error and writes nothing', () => {
  let t: ReturnType<typeof testStore>;
  let s: ReturnType<typeof seed>;
  let inactiveLot: string;
  let emptyLot: string;
  let expiredLot: string;
  let otherVaccineLot: string;
  let retiredClinician: string;
  let bare: string;
  beforeAll(() => {
    t = testStore();
    s = seed(t.store);
    inactiveLot = t.store.lots.setActive(t.store.lots.receive({ lotNumber: 'OFF1', cvx: '08', mvx: 'MSD', expirationDate: '2027-01-01', dosesOnHand: 5 }, NURSE).id, false, NURSE).id;
    emptyLot = t.store.lots.receive({ lotNumber: 'EMPTY', cvx: '08', mvx: 'MSD', expirationDate: '2027-01-01', dosesOnHand: 0 }, NURSE).id;
    expiredLot = t.store.lots.receive({ lotNumber: 'OLD', cvx: '08', mvx: 'MSD', expirationDate: '2026-01-01', dosesOnHand: 5 }, NURSE).id;
    otherVaccineLot = t.store.lots.receive({ lotNumber: 'FLU1', cvx: '150', mvx: 'SKB', expirationDate: '2027-01-01', dosesOnHand: 5 }, NURSE).id;
    retiredClinician = t.store.clinicians.setActive(t.store.clinicians.create({ lastName: 'Gone', firstName: 'Al', credential: 'MD' }, NURSE).id, false, NURSE).id;
    bare = t.store.patients.create({ mrn: 'BARE-1', lastName: 'Bare', firstName: 'Bo', dob: '2019-01-01', sex: 'M' }, NURSE).id;
  });
  afterAll(() => t.done());

  const noLot = { lotId: undefined, lotNumber: 'X1', mvx: 'MSD', expirationDate: '2027-06-30' };
  const cases: [string, () => Partial<DoseInput>, string][] = [
    ['malformed CVX', () => ({ cvx: 'abc' }), 'dose.cvx'], // a schema error: matched by field path
    ['date in the future', () => ({ administeredOn: '2026-11-26', vis: [] }), 'dose.date_in_future'],
    ['date before birth', () => ({ administeredOn: '2020-03-13' }), 'dose.date_before_birth'],
    ['VIS given after the dose', () => ({ vis: [{ editionDate: '2023-05-12', presentedOn: '2026-11-26' }] }), 'dose.vis_after_dose'],
    ['VIS given before its edition', () => ({ vis: [{ editionDate: '2026-01-01', presentedOn: '2025-12-01' }] }), 'dose.vis_before_edition'],
    ['unknown CVX', () => ({ ...noLot, cvx: '777' }), 'dose.cvx_unknown'],
    ['inactive CVX given here', () => ({ ...noLot, cvx: '208' }), 'dose.cvx_not_active'],
    ['unknown MVX', () => ({ ...noLot, mvx: 'ZZZ' }), 'dose.mvx_unknown'],
    ['unknown route', () => ({ route: 'NOPE' }), 'dose.route_unknown'],
    ['unknown site', () => ({ site: 'XX' }), 'dose.site_unknown'],
    ['unknown VFC code', () => ({ vfcEligibility: 'V99' }), 'dose.vfc_unknown'],
    ['unknown funding source', () => ({ fundingSource: 'NOPE' }), 'dose.funding_unknown'],
    ['missing route', () => ({ route: undefined }), 'dose.route_missing'],
    ['missing site', () => ({ site: undefined }), 'dose.site_missing'],
    ['missing clinician', () => ({ administeringClinicianId: undefined }), 'dose.administeringClinicianId_missing'],
    ['missing VFC eligibility', () => ({ vfcEligibility: undefined }), 'dose.vfcEligibility_missing'],
    ['missing amount', () => ({ amountMl: undefined }), 'dose.amountMl_missing'],
    ['missing lot number without a lot', () => ({ ...noLot, lotNumber: undefined }), 'dose.lotNumber_missing'],
    ['missing VIS', () => ({ vis: [] }), 'dose.vis_missing'],
    ['refused status on a given dose', () => ({ completionStatus: 'RE' }), 'dose.completion_status'],
    ['implausible amount', () => ({ amountMl: 5 }), 'dose.amount_implausible'],
    ['expired lot typed in', () => ({ ...noLot, expirationDate: '2026-11-01' }), 'dose.lot_expired'],
    ['inactive clinician', () => ({ administeringClinicianId: retiredClinician }), 'dose.clinician_unknown'],
    ['lot of another vaccine', () => ({ lotId: otherVaccineLot }), 'dose.lot_vaccine_mismatch'],
    ['expired inventory lot', () => ({ lotId: expiredLot }), 'dose.lot_expired'],
    ['deactivated lot', () => ({ lotId: inactiveLot }), 'dose.lot_inactive'],
    ['empty lot', () => ({ lotId: emptyLot }), 'dose.lot_empty'],
    ['given here over a year ago', () => ({ administeredOn: '2025-06-01', vis: [{ editionDate: '2023-05-12', presentedOn: '2025-06-01' }] }), 'dose.administered_long_ago'],
    ['patient without MIIS minimum data', () => ({ patientId: bare }), 'patient.address_required_for_report'],
    ['historical without a source', () => ({ kind: 'historical', lotId: undefined, historicalSource: undefined, amountMl: undefined }), 'dose.historical_source_missing'],
    ['historical with an amount', () => ({ kind: 'historical', lotId: undefined, historicalSource: '01' }), 'dose.historical_amount'],
    ['refusal without a reason', () => ({ kind: 'refusal', lotId: undefined, completionStatus: 'RE', amountMl: undefined }), 'dose.refusal_reason_missing'],
    ['lot number typed over the lot picked', () => ({ lotNumber: 'HB999' }), 'dose.lot_number_mismatch'],
    ['manufacturer other than the picked lot’s', () => ({ mvx: 'SKB' }), 'dose.lot_mvx_mismatch'],
    ['expiry other than the picked lot’s', () => ({ expirationDate: '2027-12-31' }), 'dose.lot_expiry_mismatch'],
    ['malformed NDC', () => ({ ndc: '1234-123-1' }), 'dose.ndc_malformed'],
    ['NDC of another vaccine', () => ({ ndc: '58160-0821-01' }), 'dose.ndc_cvx_mismatch'],
    ['NUL in a typed lot number', () => ({ ...noLot, lotNumber: 'X1\u0000' }), 'dose.text_control_character'],
    ['emoji in a typed lot number', () => ({ ...noLot, lotNumber: 'X1💉' }), 'dose.text_emoji'],
    ['ESC in the notes', () => ({ notes: 'fainted\u001b' }), 'dose.text_control_character'],
    ['refusal not marked refused', () => ({ kind: 'refusal', lotId: undefined, refusalReason: '00', amountMl: undefined }), 'dose.refusal_status'],
    ['unknown refusal reason', () => ({ kind: 'refusal', lotId: undefined, completionStatus: 'RE', refusalReason: '99', amountMl: undefined }), 'dose.refusal_reason_unknown'],
  ];

  it.each(cases)('%s', (_name, change, code) => {
    const before = countRows(t.path);
    const lotBefore = t.store.lots.get(s.lot.id)?.dosesOnHand;
    let error: unknown;
    try {
      t.store.doses.record(s.dose(change()), NURSE, TODAY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainValidationError);
    const issues = (error as DomainValidationError).issues;
    expect(issues.some((i) => i.code === code || i.path === code), JSON.stringify(issues)).toBe(true);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(10);
    expect(countRows(t.path)).toEqual(before);
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(lotBefore);
  });
});

describe('doses.record: what the picked lot and the NDC table decide', () => {
  let t: ReturnType<typeof testStore>;
  beforeEach(() => {
    t = testStore();
  });
  afterEach(() => t.done());

  it('reports the picked lot’s number, spelled as stocked, when it was typed in another case', () => {
    const s = seed(t.store);
    const { dose } = t.store.doses.record(s.dose({ lotNumber: 'hb123', mvx: 'msd', expirationDate: '2027-06-30' }), NURSE, TODAY);
    expect(dose.lotNumber).toBe('HB123');
    expect(t.store.doses.get(dose.id, NURSE)?.lotNumber).toBe('HB123');
  });

  it('stores a well-formed NDC the CDC table does not list (the form warns; the dose is not lost)', () => {
    const s = seed(t.store);
    const { dose } = t.store.doses.record(s.dose({ ndc: '12345-6789-01' }), NURSE, TODAY);
    expect(t.store.doses.get(dose.id, NURSE)?.ndc).toBe('12345-6789-01');
  });

  it('refuses an edit that types another lot number over the lot taken, leaving the dose and the stock as they were', () => {
    const s = seed(t.store);
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const before = countRows(t.path);
    expect(() => t.store.doses.edit(dose.id, s.dose({ lotNumber: 'HB124' }), 1, NURSE, TODAY)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'dose.lotNumber', code: 'dose.lot_number_mismatch' })] }),
    );
    expect(countRows(t.path)).toEqual(before);
    expect(t.store.doses.get(dose.id, NURSE)).toMatchObject({ lotNumber: 'HB123', version: 1 });
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(9);
  });
});

describe('doses.edit and doses.remove', () => {
  let t: ReturnType<typeof testStore>;
  let s: ReturnType<typeof seed>;
  beforeEach(() => {
    t = testStore();
    s = seed(t.store);
  });
  afterEach(() => t.done());

  const ack = { code: 'AA', text: 'ok', messages: [] };

  it('an edit after the add was sent queues an update (U) behind it', () => {
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const [claimed] = t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    t.store.outbox.markAccepted(claimed!.seq, { ...ack, warning: false });
    const edited = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY);
    expect(edited.dose).toMatchObject({ site: 'RD', version: 2 });
    expect(edited.outbox).toMatchObject({ action: 'U', state: 'pending' });
    expect(edited.outbox.messageControlId).not.toBe(claimed!.messageControlId);
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(9);
    expect(t.store.doses.get(dose.id, NURSE)?.reporting.state).toBe('waiting');
  });

  it('refuses an edit from a stale version as a conflict, writing nothing', () => {
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY);
    const before = countRows(t.path);
    expect(() => t.store.doses.edit(dose.id, s.dose({ site: 'LA' }), 1, NURSE, TODAY)).toThrow(expect.objectContaining({ kind: 'conflict' }));
    expect(countRows(t.path)).toEqual(before);
  });

  it('editing a dose whose add was rejected supersedes the rejection and queues a fresh add', () => {
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const [first] = t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    t.store.outbox.markRejected(first!.seq, { code: 'AE', text: 'bad lot', messages: [{ severity: 'error', text: 'Lot number invalid', field: 'dose.lotNumber' }] });
    expect(t.store.doses.get(dose.id, NURSE)?.reporting).toMatchObject({ state: 'rejected', messages: [{ text: 'Lot number invalid' }] });

    // The fix is the lot actually used: typing another number over the picked lot is refused.
    const rightLot = t.store.lots.receive(lotInput({ lotNumber: 'HB124' }), NURSE);
    const fixed = t.store.doses.edit(dose.id, s.dose({ lotId: rightLot.id }), 1, NURSE, TODAY);
    expect(fixed.outbox).toMatchObject({ action: 'A', state: 'pending' });
    expect(fixed.outbox.deadlineAt).toBe(first!.deadlineAt);
    expect(t.store.outbox.get(first!.seq)?.state).toBe('superseded');
    expect(t.store.outbox.workQueue()).toHaveLength(0);
    expect(t.store.doses.get(dose.id, NURSE)?.reporting.state).toBe('waiting');
  });

  it('deleting a dose whose add was never sent cancels the add and queues no delete', () => {
    const { dose, outbox } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const removed = t.store.doses.remove(dose.id, 'recorded on the wrong patient', NURSE);
    expect(removed.outbox).toBeUndefined();
    expect(removed.dose.deletedAt).toBeDefined();
    expect(t.store.outbox.get(outbox.seq)?.state).toBe('cancelled');
    expect(t.store.outbox.hasUnsent()).toBe(false);
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(10);
    expect(t.store.doses.get(dose.id, NURSE)?.reporting.state).toBe('cancelled');
    expect(t.store.doses.listForPatient(s.patient.id, NURSE)).toHaveLength(0);
    expect(t.store.doses.listForPatient(s.patient.id, NURSE, { includeDeleted: true })).toHaveLength(1);
  });

  it('deleting a dose the registry may have queues a delete (D) behind the add', () => {
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const [claimed] = t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    // A transport failure: the add may have reached the registry, so it cannot just be cancelled.
    t.store.outbox.markRetry(claimed!.seq, new Date(t.clock.now().getTime() + 1000), 'timeout');
    const removed = t.store.doses.remove(dose.id, 'duplicate entry', NURSE);
    expect(removed.outbox).toMatchObject({ action: 'D', state: 'pending' });
    expect(t.store.outbox.get(claimed!.seq)?.state).toBe('pending');
    expect(() => t.store.doses.edit(dose.id, s.dose(), removed.dose.version, NURSE, TODAY)).toThrow(StoreError);
  });

  const rejection = { code: 'AE', text: 'MSA|AE', messages: [{ severity: 'error' as const, text: 'RXA-3 administration date 2026-11-26 is in the future. Dose not recorded.', field: 'dose.administeredOn' }] };

  it('a dose deleted while its add was on the wire, whose add the registry then rejects, ends there: nothing to delete, nothing left waiting', () => {
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    // The add may already be at the registry, so the delete has to follow it.
    const del = t.store.doses.remove(dose.id, 'recorded on the wrong patient', NURSE).outbox;
    expect(del).toMatchObject({ action: 'D', state: 'pending' });

    t.store.outbox.markRejected(add.seq, rejection);

    // The registry never held the dose: the add and the delete are both closed, keeping the registry's words.
    expect(t.store.outbox.get(add.seq)).toMatchObject({ state: 'cancelled', ackCode: 'AE', registryMessages: rejection.messages });
    expect(t.store.outbox.get(del!.seq)?.state).toBe('cancelled');
    expect(t.store.outbox.hasUnsent()).toBe(false);
    expect(t.store.outbox.stats()).toMatchObject({ pending: 0, sending: 0, rejected: 0 });
    expect(t.store.outbox.stats().nextDeadlineAt).toBeUndefined();
    expect(t.store.outbox.workQueue()).toEqual([]);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, 60_000)).toEqual([]);
    // The chart says why, in words a nurse can act on (there is nothing left to do).
    const shown = t.store.doses.get(dose.id, NURSE)?.reporting;
    expect(shown?.state).toBe('cancelled');
    expect(shown?.messages).toEqual([expect.objectContaining({ severity: 'info', text: expect.stringMatching(/rejected.*in the future.*nothing to delete/s) })]);
    const trail = t.store.audit.list({ entityId: dose.id }).filter((a) => a.action === 'outbox.cancelled');
    expect(trail.map((a) => (a.detail as { seq: number }).seq).sort()).toEqual([add.seq, del!.seq].sort());
  });

  it('an edit queued behind an add on the wire is closed too when that add is rejected and the dose is then deleted', () => {
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    const upd = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY).outbox;
    const del = t.store.doses.remove(dose.id, 'duplicate entry', NURSE).outbox;
    t.store.outbox.markRejected(add.seq, rejection);
    expect([add.seq, upd.seq, del!.seq].map((seq) => t.store.outbox.get(seq)?.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(t.store.outbox.hasUnsent()).toBe(false);
  });

  it('a delete queued behind an update the registry then rejects still goes out: the registry holds the add', () => {
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    t.store.outbox.markAccepted(add.seq, { ...ack, warning: false });
    const upd = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY).outbox;
    t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    const del = t.store.doses.remove(dose.id, 'duplicate entry', NURSE).outbox;
    t.store.outbox.markRejected(upd.seq, rejection);
    // The rejected update is moot (the dose is being deleted) and must not hold the delete back.
    expect(t.store.outbox.get(upd.seq)).toMatchObject({ state: 'cancelled', registryMessages: rejection.messages });
    expect(t.store.outbox.claimDue(t.clock.now(), 10, 60_000).map((e) => e.seq)).toEqual([del!.seq]);
    expect(t.store.outbox.workQueue()).toEqual([]);
  });

  it('editing a dose edited while its add was on the wire, after that add was rejected, sends one corrected add and supersedes the stale update', () => {
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, 60_000);
    const stale = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY).outbox;
    expect(stale.action).toBe('U');
    t.store.outbox.markRejected(add.seq, rejection);
    // The update waits behind the rejection; the nurse fixes the dose from the work queue.
    const fixed = t.store.doses.edit(dose.id, s.dose({ site: 'RD', administeredTime: '09:00' }), 2, NURSE, TODAY).outbox;
    expect(fixed).toMatchObject({ action: 'A', state: 'pending' });
    expect(t.store.outbox.get(add.seq)?.state).toBe('superseded');
    expect(t.store.outbox.get(stale.seq)?.state).toBe('superseded');
    // Exactly one message goes out: the corrected add, and nothing is left behind it.
    expect(t.store.outbox.claimDue(t.clock.now(), 10, 60_000).map((e) => [e.seq, e.action])).toEqual([[fixed.seq, 'A']]);
    t.store.outbox.markAccepted(fixed.seq, { ...ack, warning: false });
    expect(t.store.outbox.claimDue(t.clock.now(), 10, 60_000)).toEqual([]);
    expect(t.store.outbox.hasUnsent()).toBe(false);
    expect(t.store.doses.get(dose.id, NURSE)?.reporting.state).toBe('accepted');
  });

  it('requires a reason to delete', () => {
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    expect(() => t.store.doses.remove(dose.id, '  ', NURSE)).toThrow(DomainValidationError);
    expect(t.store.doses.get(dose.id, NURSE)?.deletedAt).toBeUndefined();
  });

  it('moving an edited dose to another lot returns the dose to the first lot', () => {
    const other = t.store.lots.receive({ lotNumber: 'HB999', cvx: '08', mvx: 'MSD', expirationDate: '2027-09-30', dosesOnHand: 3 }, NURSE);
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.doses.edit(dose.id, s.dose({ lotId: other.id }), 1, NURSE, TODAY);
    expect(t.store.lots.get(s.lot.id)?.dosesOnHand).toBe(10);
    expect(t.store.lots.get(other.id)?.dosesOnHand).toBe(2);
  });

  it('reports chart status from the latest outbox entry, with the deadline and last acceptance', () => {
    const { dose } = t.store.doses.record(s.dose(), NURSE, TODAY);
    expect(t.store.doses.get(dose.id, NURSE)?.reporting).toMatchObject({ state: 'waiting', deadline: '2026-11-28T15:30:00.000Z' });
    const [c] = t.store.outbox.claimDue(t.clock.now(), 1, 60_000);
    expect(t.store.doses.get(dose.id, NURSE)?.reporting.state).toBe('sending');
    t.clock.advance(5000);
    t.store.outbox.markAccepted(c!.seq, { code: 'AA', text: 'ok', warning: true, messages: [{ severity: 'warning', text: 'Address unverified' }] });
    const listed = t.store.doses.listForPatient(s.patient.id, NURSE);
    expect(listed[0]?.reporting).toMatchObject({ state: 'warning', lastAcceptedAt: '2026-11-25T15:00:05.000Z', messages: [{ text: 'Address unverified' }] });
    // Reads of the chart are audited.
    expect(t.store.audit.list({ entityId: s.patient.id }).map((a) => a.action)).toContain('dose.list');
  });
});
