import { hl7ConfigForSite } from '../../../sync/hl7/config';
import { parseMessage } from '../../../sync/hl7/message';
import { parseRegistryAnswer } from '../../../sync/hl7/query-forecast';
import type { QbpInput } from '../../../sync/hl7/types';
import { queryRegistry, type QueryOutcome } from '../../../sync/query-client';
import { sampleVxu, startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';
import { DEFAULT_SIMULATOR_USER } from '../../../sync/sim/simulator';
import { massachusettsPreset } from '../../../sync/transport/settings';
import { SoapTransport } from '../../../sync/transport/soap-transport';

// Every kind of query answer, through the real SOAP transport on loopback against the simulator
// in its MIIS shape (WS-Security, no connectivityTest).

const SITE = { name: 'Harbor Pharmacy', vaccinePin: 'PIN1001', facilityId: 'PIN1001', address: { street1: '10 Harbor St', city: 'Boston', state: 'MA', zip: '02110', country: 'USA' } };
const config = hl7ConfigForSite(SITE, { processingId: 'P' });
let sim: RegistrySimulator;
let transport: SoapTransport;

beforeAll(async () => {
  sim = await startRegistrySimulator({ credentialPlacement: 'wsse', connectivityTestSupported: false, now: () => new Date('2026-12-07T15:00:00Z') });
  transport = new SoapTransport(massachusettsPreset({ url: sim.url, facilityId: SITE.facilityId, ...DEFAULT_SIMULATOR_USER }, { timeoutMs: 2_000 }));
});
afterAll(async () => {
  transport.dispose();
  await sim.stop();
});
beforeEach(() => sim.reset());

let seq = 0;
function qbp(patient: Partial<QbpInput['patient']>): QbpInput {
  seq += 1;
  return {
    patient: { mrn: `MRN-${seq}`, lastName: '', firstName: '', dob: '2000-01-01', sex: 'U', ...patient },
    messageControlId: `Q-${seq}`,
    sentAt: new Date('2026-12-07T15:00:00Z'),
    config,
  };
}

function answered(o: QueryOutcome) {
  if (!o.ok) throw new Error(`query failed: ${o.kind} ${JSON.stringify(o.kind === 'not_delivered' ? o.outcome : o.failure)}`);
  return o.answer;
}

const WHITAKER = { lastName: 'Whitaker', firstName: 'Dana', dob: '1979-06-15', sex: 'F' as const };

describe('queries against the simulator', () => {
  it('Z34 for one known person answers Z32 with the doses other providers reported, facility and source kept', async () => {
    const a = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp(WHITAKER) }));
    expect(a.kind).toBe('history');
    if (a.kind !== 'history') return;
    expect(a.profile).toBe('Z32');
    expect(a.patient.identifiers).toContainEqual({ id: 'MIIS1001', authority: 'MIIS', type: 'SR' });
    expect(a.registryDoses.map((d) => [d.cvx, d.administeredOn, d.reportingFacility, d.informationSource])).toContainEqual(['03', '1980-06-20', 'PEDS-CAMBRIDGE', '01']);
    expect(a.registryDoses).toHaveLength(6);
    expect(a.forecast).toEqual([]);
    // The message that reached the registry was a query, and nothing was filed as a dose.
    expect(parseMessage(sim.received()[0]!.hl7!).messageType.code).toBe('QBP');
    expect(sim.accepted()).toEqual([]);
  });

  it('Z44 answers Z42: the history without the forecast groups, plus the registry forecast per vaccine group', async () => {
    const a = answered(await queryRegistry(transport, { profile: 'Z44', qbp: qbp(WHITAKER) }));
    if (a.kind !== 'history') throw new Error(a.kind);
    expect(a.profile).toBe('Z42');
    expect(a.registryDoses).toHaveLength(6);
    expect(a.registryDoses.every((d) => d.cvx !== '998' && d.valid === true)).toBe(true);
    expect(a.forecast).toContainEqual(expect.objectContaining({ vaccineGroupCvx: '139', recommended: '2029-03-02', overdue: '2029-04-02', doseNumber: 2 }));
    expect(a.forecast).toHaveLength(2);
  });

  it('twins found by a name prefix and birth date come back as a Z31 candidate list with their demographics', async () => {
    const a = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ lastName: 'Nguyen', firstName: 'Sam', dob: '2019-04-02' }) }));
    if (a.kind !== 'candidates') throw new Error(a.kind);
    expect(a.profile).toBe('Z31');
    expect(a.candidates.map((c) => [c.firstName, c.sex, c.mothersMaidenName])).toEqual([
      ['Samuel', 'M', 'Tran'],
      ['Samantha', 'F', 'Tran'],
    ]);
  });

  it('the birth order tells the twins apart; a registry id picked from the list finds that one', async () => {
    const byOrder = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ lastName: 'Nguyen', firstName: 'Sam', dob: '2019-04-02', multipleBirth: { indicator: true, order: 2 } }) }));
    expect(byOrder.kind === 'history' && byOrder.patient.firstName).toBe('Samantha');
    const byId = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ lastName: 'Nguyen', firstName: 'Sam', dob: '2019-04-02', miisId: 'MIIS2001' }) }));
    expect(byId.kind === 'history' && byId.patient.firstName).toBe('Samuel');
  });

  it('a Z44 for the twins cannot return a list: Z33 too many', async () => {
    const a = answered(await queryRegistry(transport, { profile: 'Z44', qbp: qbp({ lastName: 'Nguyen', firstName: 'Sam', dob: '2019-04-02' }) }));
    expect([a.kind, a.status, a.profile]).toEqual(['too-many', 'TM', 'Z33']);
  });

  it('more candidates than RCP-2 allows: Z33 too many', async () => {
    const a = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ lastName: 'Smith', firstName: 'John', dob: '2000-01-01' }) }));
    expect([a.kind, a.status]).toEqual(['too-many', 'TM']);
  });

  it('a merged record: the old registry id finds the surviving record', async () => {
    const a = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ lastName: 'Okafor', firstName: 'Chidi', dob: '2015-11-30', miisId: 'MIIS3099' }) }));
    if (a.kind !== 'history') throw new Error(a.kind);
    expect(a.patient.identifiers.map((i) => i.id)).toContain('MIIS3001');
    expect(a.registryDoses).toHaveLength(3);
  });

  it('a data-sharing objection is answered as no match, and no history travels', async () => {
    const o = await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ lastName: 'Lindqvist', firstName: 'Erik', dob: '1990-01-01' }) });
    const a = answered(o);
    expect([a.kind, a.status, a.profile]).toEqual(['no-match', 'NF', 'Z33']);
    expect(o.ok && o.bytes).toBeGreaterThan(0);
    const raw = (await transport.submit(`MSH|^~\\&|DoseDesk|PIN1001|MIIS|99990|20261207||QBP^Q11^QBP_Q11|RAW1|P|2.5.1|||ER|AL|||||Z34^CDCPHINVS\rQPD|Z34^Request Immunization History^CDCPHINVS|T1||Lindqvist^Erik^^^^^L||19900101\rRCP|I|10^RD&records&HL70126\r`));
    // Only the query's own echo (QPD) names the person: no PID, no dose.
    expect(raw.kind === 'delivered' && raw.ackSegments.map((x) => x.slice(0, 3))).toEqual(['MSH', 'MSA', 'QAK', 'QPD']);
  });

  it('an unknown person: Z33 no match', async () => {
    const a = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ lastName: 'Nobody', firstName: 'Known', dob: '1999-09-09' }) }));
    expect([a.kind, a.status]).toEqual(['no-match', 'NF']);
  });

  it('a query without name and birth date gets AE with what the registry said', async () => {
    // DoseDesk's codec always sends a name and DOB, so this one is written by hand.
    const raw = await transport.submit('MSH|^~\\&|DoseDesk|PIN1001|MIIS|99990|20261207||QBP^Q11^QBP_Q11|RAW2|P|2.5.1|||ER|AL|||||Z34^CDCPHINVS\rQPD|Z34^Request Immunization History^CDCPHINVS|T2\rRCP|I|10^RD&records&HL70126\r');
    if (raw.kind !== 'delivered') throw new Error(raw.kind);
    expect(raw.ackText).toMatch(/MSA\|AE/);
    expect(raw.ackText).toMatch(/name and date of birth/);
    expect(parseRegistryAnswer(raw.ackText)).toMatchObject({ ok: true, kind: 'error', code: 'AE', errors: [expect.objectContaining({ message: expect.stringMatching(/name and date of birth/) })] });
  });

  it('a query the registry does not support gets AR', async () => {
    const raw = await transport.submit('MSH|^~\\&|DoseDesk|PIN1001|MIIS|99990|20261207||QBP^Q11^QBP_Q11|RAW3|P|2.5.1|||ER|AL|||||Z99^CDCPHINVS\rQPD|Z99^Something else^CDCPHINVS|T3|||19900101\rRCP|I\r');
    if (raw.kind !== 'delivered') throw new Error(raw.kind);
    expect(raw.ackText).toMatch(/MSA\|AR/);
  });

  it('a dose DoseDesk reported comes back in the history with our own ORC-3', async () => {
    const vxu = sampleVxu({ controlId: 'V1', doseId: 'DOSE-OURS-1', facility: 'PIN1001', patientId: 'MRN-WALK', lastName: 'Walker', birthDate: '19800101', cvx: '150', administeredOn: '20261101' });
    expect((await transport.submit(vxu)).kind).toBe('delivered');
    const a = answered(await queryRegistry(transport, { profile: 'Z34', qbp: qbp({ mrn: 'MRN-WALK', lastName: 'Walker', firstName: 'Ana', dob: '1980-01-01' }) }));
    if (a.kind !== 'history') throw new Error(a.kind);
    expect(a.registryDoses.map((d) => d.orderId)).toEqual([{ id: 'DOSE-OURS-1', namespace: 'DoseDesk' }]);
  });

  it('a transient failure is retried once, then reported as not delivered', async () => {
    sim.failNext(1, 'http503');
    const first = await queryRegistry(transport, { profile: 'Z34', qbp: qbp(WHITAKER) });
    expect(first.ok && first.attempts).toBe(2);
    sim.failNext(2, 'http503');
    const second = await queryRegistry(transport, { profile: 'Z34', qbp: qbp(WHITAKER) });
    expect(second).toMatchObject({ ok: false, kind: 'not_delivered', attempts: 2, outcome: { kind: 'retry' } });
  });
});
