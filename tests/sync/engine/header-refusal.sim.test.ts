import Database from 'better-sqlite3';
import { createStoreMessageBuilder } from '../../../sync/engine/store-messages';
import type { SyncEngine } from '../../../sync/engine/types';
import { hl7ConfigForSite } from '../../../sync/hl7/config';
import { DEFAULT_SIMULATOR_USER } from '../../../sync/sim/simulator';
import { massachusettsPreset } from '../../../sync/transport/settings';
import { SoapTransport } from '../../../sync/transport/soap-transport';
import { SITE, world, type World } from './support/world';

// Issue 11 item 4, "resume when fixed": a registry that refuses the site's header (a wrong
// Vaccine PIN in MSH-4, a facilityID that does not match it, an org code it does not know) files
// nothing, so the refused message is spent. The engine pauses; once the setting is fixed (in the
// settings, or at the registry) every refused message goes again built from the settings of
// that moment under a new MSH-10, so is every message nobody has seen yet, and a message that
// got no answer keeps its bytes and MSH-10 until the registry answers it. Real SQLite file,
// real SOAP transport, the registry simulator on 127.0.0.1.

const mshField = (hl7: string | undefined, n: number): string => (hl7 ?? '').split('\r')[0]?.split('|')[n - 1] ?? '';

/** What the registry was sent, and what each dose's reports ended as. */
function sentBy(w: World) {
  return w.sim.received().filter((r) => r.operation === 'submitSingleMessage' && r.controlId);
}

/** The registry holds each dose once, nothing else; no MSH-10 was ever sent with two texts. */
function assertOnceAndHonest(w: World, doseIds: readonly string[]): void {
  const held = w.sim.accepted().map((d) => d.fillerOrderId.split('^')[0] ?? '');
  expect([...held].sort()).toEqual([...doseIds].sort());
  expect(w.sim.stats.duplicates).toBe(0);
  expect(w.sim.stats.controlIdConflicts).toBe(0);
  const texts = new Map<string, Set<string>>();
  for (const r of sentBy(w)) texts.set(r.controlId as string, (texts.get(r.controlId as string) ?? new Set()).add(r.hl7 ?? ''));
  for (const [id, set] of texts) expect(set.size, `MSH-10 ${id} was sent with different texts`).toBe(1);
}

/** Seqs of entries whose message is stored in the database, by whether they were ever sent. */
function storedMessages(w: World): { neverSentWithText: number; texts: Map<number, { controlId: string; text: string | null; attempts: number }> } {
  const db = new Database(w.path, { readonly: true });
  try {
    const rows = db.prepare('SELECT seq, message_control_id AS controlId, message_text AS text, attempts FROM outbox').all() as { seq: number; controlId: string; text: string | null; attempts: number }[];
    return {
      neverSentWithText: rows.filter((r) => r.attempts === 0 && r.text !== null).length,
      texts: new Map(rows.map((r) => [r.seq, { controlId: r.controlId, text: r.text, attempts: r.attempts }])),
    };
  } finally {
    db.close();
  }
}

describe('a header the registry refused is rebuilt once the setting is fixed (issue 11 item 4)', () => {
  let w: World;
  const transports: SoapTransport[] = [];
  afterEach(async () => {
    await w?.close();
    for (const t of transports.splice(0)) t.dispose();
  });

  function transportWithFacility(facilityId: string): SoapTransport {
    const t = new SoapTransport(massachusettsPreset({ url: w.sim.url, facilityId, ...DEFAULT_SIMULATOR_USER }, { timeoutMs: 2_000 }));
    transports.push(t);
    return t;
  }

  it('a mistyped Vaccine PIN pauses with one message naming MSH-4; fixed in the settings, every dose goes once under the right PIN', async () => {
    // The registry refuses a message whose MSH-4 is not the account's facility (AIRA "soursop").
    w = await world({ patients: 30, sim: { quirks: ['soursop'] } });
    let pin = 'PIN1O01';
    const config = () => hl7ConfigForSite({ ...SITE, vaccinePin: pin, facilityId: pin }, { processingId: 'P' });
    const builder = createStoreMessageBuilder(w.store, config);
    const built: { seq: number; controlId: string; pin: string }[] = [];
    const doseIds = w.record(30);
    // Claims run ahead of the four send slots: the messages waiting in them are built with the typo too.
    const engine: SyncEngine = w.engine({
      concurrency: 4,
      buildMessage: (e) => {
        const text = builder(e);
        built.push({ seq: e.seq, controlId: mshField(text, 10), pin: mshField(text, 4) });
        return text;
      },
    });
    engine.start();
    await w.waitFor(() => engine.status().state === 'needs_configuration', 'reporting to pause');
    // Probes go on while paused (the registry itself could be what gets fixed).
    await w.waitFor(() => sentBy(w).length >= 8, 'a few probes while paused');

    const status = engine.status();
    expect(status.configurationProblem?.code).toBe('ack_site_identity');
    expect(status.configurationProblem?.message).toContain('MSH-4 (sending facility "PIN1O01")');
    expect(w.events.filter((e) => e.type === 'paused')).toHaveLength(1);
    // Every dose waits here: none rejected, none in the work queue, none at the registry.
    const stats = w.store.outbox.stats();
    expect(stats).toMatchObject({ rejected: 0, accepted: 0, warning: 0 });
    expect(stats.pending + stats.sending).toBe(30);
    expect(w.store.workQueue.counts().rejected).toBe(0);
    expect(w.sim.accepted()).toHaveLength(0);

    // Each refused MSH-10 is spent: no entry carries it any more, and the audit trail says which replaced it.
    const refused = sentBy(w).map((r) => r.controlId as string);
    expect(new Set(refused).size).toBe(refused.length);
    const rebuilt = w.store.audit.list({ limit: 1_000 }).filter((a) => a.action === 'outbox.rebuild');
    expect(rebuilt.map((a) => a.detail?.refusedControlId).sort()).toEqual([...refused].sort());
    for (const id of refused) expect(w.store.outbox.byControlId(id)).toBeUndefined();
    // Messages claimed and built with the typo but never sent dropped their bytes.
    const sentIds = new Set(sentBy(w).map((r) => r.controlId));
    const neverSent = built.filter((b) => !sentIds.has(b.controlId));
    expect(neverSent.length).toBeGreaterThan(0);
    expect(neverSent.every((b) => b.pin === 'PIN1O01')).toBe(true);
    expect(storedMessages(w).neverSentWithText).toBe(0);

    // The administrator corrects the PIN in Settings.
    pin = 'PIN1001';
    const pausesBefore = w.events.filter((e) => e.type === 'paused').length;
    engine.kick('settings_changed');
    await w.settled();

    expect(w.store.outbox.stats()).toMatchObject({ accepted: 30, rejected: 0, pending: 0, sending: 0 });
    expect(w.events.filter((e) => e.type === 'paused')).toHaveLength(pausesBefore);
    assertOnceAndHonest(w, doseIds);
    // Every message the registry accepted names the right facility; no refused MSH-10 went out again.
    const acceptedSends = sentBy(w).filter((r) => r.ackCode === 'AA');
    expect(acceptedSends).toHaveLength(30);
    expect(new Set(acceptedSends.map((r) => mshField(r.hl7, 4)))).toEqual(new Set(['PIN1001']));
    for (const id of refused) expect(sentBy(w).filter((r) => r.controlId === id)).toHaveLength(1);
    // Those built with the typo and never sent went with the right PIN, under the MSH-10 they had.
    for (const b of neverSent) {
      const entry = w.store.outbox.get(b.seq);
      if (entry?.messageControlId === b.controlId) expect(mshField(entry.messageText, 4)).toBe('PIN1001');
    }
    expect(neverSent.some((b) => w.store.outbox.get(b.seq)?.messageControlId === b.controlId)).toBe(true);
  });

  it('a message that got no answer keeps its bytes and MSH-10 through the pause; refused after the fix, it is rebuilt without pausing again', async () => {
    w = await world({ patients: 3, sim: { quirks: ['soursop'] } });
    let pin = 'PIN1O01';
    const doseIds = w.record(3);
    // The first send is cut off before the registry reads it: no answer, so it may have been filed.
    w.sim.failNext(1, 'drop');
    // Probes wait 30 s or more: nothing but the fix moves this queue within the test.
    const engine = w.engine({ concurrency: 1, backoff: { baseMs: 60_000, capMs: 120_000 }, hl7Config: () => hl7ConfigForSite({ ...SITE, vaccinePin: pin, facilityId: pin }, { processingId: 'P' }) });
    engine.start();
    await w.waitFor(() => engine.status().state === 'needs_configuration', 'reporting to pause');

    const [dropped, refused] = sentBy(w);
    expect(dropped?.fault).toBe('drop');
    expect(refused?.ackCode).toBe('AE');
    const unanswered = w.store.outbox.byControlId(dropped?.controlId as string);
    // Kept as it was sent: same MSH-10, same bytes (with the typo), waiting.
    expect(unanswered).toMatchObject({ state: 'pending', messageText: dropped?.hl7 });
    expect(w.store.outbox.byControlId(refused?.controlId as string)).toBeUndefined();
    expect(storedMessages(w).neverSentWithText).toBe(0);

    pin = 'PIN1001';
    engine.kick('settings_changed');
    await w.settled();

    expect(w.store.outbox.stats()).toMatchObject({ accepted: 3, rejected: 0 });
    // The unanswered message went once more exactly as before; only the registry's refusal of it
    // spent it, and its dose then went under a new MSH-10 with the right PIN.
    const again = sentBy(w).filter((r) => r.controlId === dropped?.controlId);
    expect(again.map((r) => r.hl7)).toEqual([dropped?.hl7, dropped?.hl7]);
    expect(again[1]?.ackCode).toBe('AE');
    const final = w.store.outbox.get(unanswered?.seq as number);
    expect(final?.state).toBe('accepted');
    expect(final?.messageControlId).not.toBe(dropped?.controlId);
    expect(mshField(final?.messageText, 4)).toBe('PIN1001');
    // The old bytes' refusal after the fix paused nothing.
    expect(w.events.filter((e) => e.type === 'paused')).toHaveLength(1);
    assertOnceAndHonest(w, doseIds);
  });

  it('stopped while paused, and started again after IT fixed the PIN in its file (no settings kick): the refused doses go rebuilt, and nothing pauses', async () => {
    w = await world({ patients: 6, sim: { quirks: ['soursop'] } });
    let pin = 'PIN1O01';
    const config = () => hl7ConfigForSite({ ...SITE, vaccinePin: pin, facilityId: pin }, { processingId: 'P' });
    const doseIds = w.record(6);
    const first = w.engine({ concurrency: 3, hl7Config: config });
    first.start();
    await w.waitFor(() => first.status().state === 'needs_configuration', 'reporting to pause');
    await first.stop();
    const refused = sentBy(w).map((r) => r.controlId as string);
    expect(storedMessages(w).neverSentWithText).toBe(0);

    // A new start of the app: a new engine on the same file, the fixed PIN, and no kick.
    pin = 'PIN1001';
    const pausesBefore = w.events.filter((e) => e.type === 'paused').length;
    const second = w.engine({ concurrency: 3, hl7Config: config });
    second.start();
    await w.settled();
    expect(w.store.outbox.stats()).toMatchObject({ accepted: 6, rejected: 0 });
    expect(w.events.filter((e) => e.type === 'paused')).toHaveLength(pausesBefore);
    for (const id of refused) expect(sentBy(w).filter((r) => r.controlId === id)).toHaveLength(1);
    assertOnceAndHonest(w, doseIds);
  });

  it('fixed outside the HL7 settings (the SOAP facilityID), a refused MSH-10 would be answered from the reply cache: the resend is a new one', async () => {
    w = await world({ patients: 4, sim: { quirks: ['soursop'] } });
    let facilityId = 'PIN2002';
    const doseIds = w.record(4);
    const engine = w.engine({ concurrency: 2, transport: () => transportWithFacility(facilityId) });
    engine.start();
    await w.waitFor(() => engine.status().state === 'needs_configuration', 'reporting to pause');
    expect(engine.status().configurationProblem?.message).toMatch(/does not match the facilityID "PIN2002"/);

    facilityId = 'PIN1001';
    engine.kick('settings_changed');
    await w.settled();

    expect(w.store.outbox.stats()).toMatchObject({ accepted: 4, rejected: 0 });
    // Nothing was answered from the reply cache: every accepted message was new to the registry.
    expect(w.sim.stats.resends).toBe(0);
    assertOnceAndHonest(w, doseIds);
  });

  it('fixed at the registry (the org code registered), the next probe, a new message, gets through and reporting resumes on its own', async () => {
    w = await world({ patients: 5, sim: { registeredFacilities: ['PIN9999'] } });
    const doseIds = w.record(5);
    const engine = w.engine({ concurrency: 2 });
    engine.start();
    await w.waitFor(() => engine.status().state === 'needs_configuration', 'reporting to pause');
    await w.waitFor(() => sentBy(w).length >= 6, 'probes while paused');
    const refused = sentBy(w).map((r) => r.controlId as string);
    // Each probe is a message built again under a new MSH-10, never the refused one resent.
    expect(new Set(refused).size).toBe(refused.length);
    expect(sentBy(w).every((r) => r.ackCode === 'AR')).toBe(true);

    w.sim.setRegisteredFacilities(['PIN9999', 'PIN1001']);
    await w.settled();
    expect(w.events).toContainEqual({ type: 'resumed', reason: 'probe' });
    expect(w.store.outbox.stats()).toMatchObject({ accepted: 5, rejected: 0 });
    assertOnceAndHonest(w, doseIds);
  });
});
