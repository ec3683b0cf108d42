// The clinic reports at scale: the doses-given report for one year over a store holding
// 1,000,000 doses given here (spread over three years, so the year is a third of the file).
// The doses are written with plain INSERTs in big transactions (recording a million doses one
// durable commit at a time would take hours); the triggers of migration 0090 keep the fact
// table exactly as they do for a dose recorded on the form.
import { join } from 'node:path';
import { openStore } from '../electron/store';
import { addDays } from '../electron/store/reports';
import { NURSE } from '../tests/electron/store/helpers';
import { patientInput } from '../tests/fixtures/records';
import { type BenchResult, type BenchSuite, round, summarize } from './harness';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PATIENTS = 20_000;
const CVX = ['08', '03', '140', '115', '21', '62', '133', '10', '20', '83', '94', '208'];
const FUNDING = ['VXC50', 'PHC70', 'VXC52'];
const VFC = ['V01', 'V02', 'V03', 'V04'];

const suite: BenchSuite = {
  name: 'reports',
  async run({ log, scale, tmpDir }): Promise<BenchResult[]> {
    const doses = Math.round(1_000_000 * scale);
    const store = openStore(join(tmpDir, 'reports.sqlite'), { utcOffsetMinutes: () => -300 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < Math.max(100, Math.round(PATIENTS * scale)); i++) {
        ids.push(store.patients.create(patientInput({ mrn: `B${i}`, dob: `${1940 + (i % 85)}-0${1 + (i % 9)}-15` }), NURSE).id);
      }
      // A second connection on the same file, used only to load the generated doses quickly.
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(store.path);
      db.pragma('synchronous = OFF');
      const insert = db.prepare(
        `INSERT INTO doses (id, patient_id, kind, cvx, administered_on, data, recorded_at, recorded_by, updated_at)
         VALUES (?, ?, 'administered', ?, ?, ?, '2026-01-01T00:00:00.000Z', 'bench', '2026-01-01T00:00:00.000Z')`,
      );
      const random = rng(11);
      const started = performance.now();
      const load = db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const day = addDays('2024-01-01', Math.floor(random() * 1096));
          const cvx = CVX[Math.floor(random() * CVX.length)]!;
          const data = JSON.stringify({ cvx, administeredOn: day, fundingSource: FUNDING[i % 3], vfcEligibility: VFC[i % 4], administeringClinicianId: `c${i % 12}` });
          insert.run(`d${i}`, ids[i % ids.length], cvx, day, data);
        }
      });
      for (let i = 0; i < doses; i += 50_000) load(i, Math.min(doses, i + 50_000));
      db.close();
      log(`loaded ${doses} doses in ${round((performance.now() - started) / 1000, 1)} s`);

      const year = { from: '2025-01-01', to: '2025-12-31' };
      const first = store.reports.dosesGiven(year);
      log(`year 2025: ${first.total} doses, ${first.byDay.length} days, ${first.byVaccine.length} vaccines`);
      const samples: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        store.reports.dosesGiven(year);
        samples.push(performance.now() - t0);
      }
      const s = summarize(samples);
      log(`doses given, year report: p50 ${round(s.p50, 1)} ms, p95 ${round(s.p95, 1)} ms (target < 500 ms)`);
      return [{ name: `reports.doses_given.ms.${doses}`, value: round(s.p50, 1), unit: 'ms' }];
    } finally {
      store.close();
    }
  },
};

export default suite;
