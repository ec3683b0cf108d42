// Registry query: from the RSP bytes MIIS returns to the reconciled table on the chart (parse,
// split off the Z42 forecast, match against our doses) for a patient with 40 registry doses.
// Target (issue 14): under 20 ms. The batch refresh figures are not measured yet.
import { type BenchSuite, round, summarize } from './harness';
import { reconcile, type LocalDoseForMatch } from '../electron/domain/registry-reconcile';
import { hl7ConfigForSite } from '../sync/hl7/config';
import { buildQbpFor, parseRegistryAnswer } from '../sync/hl7/query-forecast';
import { QueryResponder } from '../sync/sim/query-responder';
import type { SeededDose, SeededPatient } from '../sync/sim/query-history';
import { RegistryStore } from '../sync/sim/registry-store';

const VACCINES: Omit<SeededDose, 'on' | 'facility' | 'orderId' | 'orderNamespace' | 'source'>[] = [
  { cvx: '08', cvxText: 'HepB ped', groupCvx: '45', groupName: 'HepB' },
  { cvx: '20', cvxText: 'DTaP', groupCvx: '107', groupName: 'DTaP' },
  { cvx: '10', cvxText: 'IPV', groupCvx: '89', groupName: 'Polio' },
  { cvx: '03', cvxText: 'MMR', groupCvx: '03', groupName: 'MMR' },
  { cvx: '150', cvxText: 'Flu', groupCvx: '88', groupName: 'Influenza' },
];

function patientWith40Doses(): SeededPatient {
  const doses: SeededDose[] = Array.from({ length: 40 }, (_, i) => {
    const v = VACCINES[i % VACCINES.length]!;
    const day = new Date(Date.UTC(2000, 0, 1) + i * 61 * 86_400_000).toISOString().slice(0, 10);
    return { ...v, on: day, facility: `PROVIDER-${i % 4}`, orderId: `R-${i}`, orderNamespace: `PROVIDER-${i % 4}`, source: '00' };
  });
  return {
    miisId: 'MIIS9000',
    lastName: 'Bench',
    firstName: 'Forty',
    dob: '1999-12-01',
    sex: 'F',
    doses,
    forecast: [{ groupCvx: '88', groupName: 'Influenza', earliest: '2026-08-01', recommended: '2026-09-01', status: 'Due', doseNumber: 1 }],
  };
}

const suite: BenchSuite = {
  name: 'registry-query',
  async run(ctx) {
    const seeded = patientWith40Doses();
    const responder = new QueryResponder(new RegistryStore(), { now: () => new Date('2026-12-07T15:00:00Z'), seeded: [seeded], segmentEnd: '\r' });
    const config = hl7ConfigForSite({ name: 'Bench', vaccinePin: 'PIN1', facilityId: 'PIN1', address: { street1: '1 A St', city: 'Boston', state: 'MA', zip: '02110', country: 'USA' } }, { processingId: 'P' });
    const rsp = responder.answer(
      buildQbpFor({ patient: { mrn: 'M1', lastName: 'Bench', firstName: 'Forty', dob: '1999-12-01', sex: 'F' }, messageControlId: 'Q1', sentAt: new Date(), config }, 'Z44'),
    );
    // Half of them recorded here too (a few days off), so every match rule runs.
    const local: LocalDoseForMatch[] = seeded.doses.filter((_, i) => i % 2 === 0).map((d, i) => ({ id: `L${i}`, cvx: d.cvx, date: i % 3 === 0 ? d.on : `${d.on.slice(0, 8)}${String(Math.min(28, Number(d.on.slice(8)) + 2)).padStart(2, '0')}` }));
    const runs = Math.max(50, Math.round(1_000 * ctx.scale));
    const samples: number[] = [];
    let registryDoses = 0;
    for (let i = 0; i < runs + 20; i++) {
      const t0 = performance.now();
      const answer = parseRegistryAnswer(rsp);
      if (!answer.ok || answer.kind !== 'history') throw new Error('The bench query was not answered with a history.');
      const rows = reconcile(answer.registryDoses, local);
      const dt = performance.now() - t0;
      registryDoses = answer.registryDoses.length;
      if (rows.length === 0) throw new Error('Nothing reconciled.');
      if (i >= 20) samples.push(dt);
    }
    const s = summarize(samples);
    ctx.log(`${registryDoses} registry doses, ${local.length} local, ${rsp.length} RSP bytes; p95 ${round(s.p95)} ms over ${runs} runs`);
    return [{ name: 'registry.query.reconcile_ms', value: round(s.p50), unit: 'ms' }];
  },
};

export default suite;
