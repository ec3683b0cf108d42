import type { StoreContext } from './context';

// The clinic reports, counted by SQLite: every number is a GROUP BY over dose_facts (one row
// per dose given here, kept by triggers, migration 0090), the outbox or the lot adjustments in
// the audit trail. Nothing here loads a dose's record; only the late list names patients, and
// it is capped. Dates are the clinic's calendar days (YYYY-MM-DD), both ends included.

export interface DateRange {
  from: string;
  to: string;
}

/** The age groups of a VFC doses-administered report (age in whole years on the day of the dose). */
export const AGE_GROUPS = [
  { id: 'under1', min: 0, max: 0 },
  { id: '1-6', min: 1, max: 6 },
  { id: '7-18', min: 7, max: 18 },
  { id: '19-64', min: 19, max: 64 },
  { id: '65plus', min: 65, max: 200 },
] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number]['id'];

export interface CountRow {
  key: string;
  count: number;
}

export interface DosesGivenReport extends DateRange {
  total: number;
  byDay: CountRow[];
  /** Per vaccine (CVX), with the same count split by age group. */
  byVaccine: { cvx: string; count: number; byAge: Record<AgeGroup, number> }[];
  /** CDCPHINVS funding source; '' when the dose has none recorded. */
  byFunding: CountRow[];
  /** HL7 0064 VFC eligibility; '' when not recorded. */
  byVfc: CountRow[];
  byAgeGroup: { key: AgeGroup; count: number }[];
}

export const COMPLIANCE_OUTCOMES = ['on_time', 'late', 'waiting', 'rejected'] as const;
export type ComplianceOutcome = (typeof COMPLIANCE_OUTCOMES)[number];

export interface LateDose {
  doseId: string;
  patientId: string;
  mrn: string;
  lastName: string;
  firstName: string;
  givenOn: string;
  cvx: string;
  deadline: string;
  /** When MIIS accepted it; absent while it still waits (past its deadline). */
  reportedAt?: string;
}

export interface ComplianceReport extends DateRange {
  /** Monday of each week (clinic calendar) with the doses given that week, by outcome. */
  weeks: ({ week: string; total: number } & Record<ComplianceOutcome, number>)[];
  totals: Record<ComplianceOutcome, number> & { total: number; overdue: number };
  /** Accepted after the deadline, or still not accepted with the deadline passed; oldest first. */
  late: LateDose[];
  lateTruncated: boolean;
}

export interface LotUsageRow {
  lotId: string;
  lotNumber: string;
  cvx: string;
  expirationDate: string;
  active: boolean;
  /** Doses on the lot when received plus every count added since. */
  received: number;
  givenInRange: number;
  givenAll: number;
  /** Doses taken off by an adjustment (wasted, lost, count corrected) within the range. */
  wastedInRange: number;
  onHand: number;
  /** Doses still on hand in a lot past its expiry. */
  expired: number;
  expiresWithin30Days: boolean;
}

export interface LotUsageReport extends DateRange {
  today: string;
  lots: LotUsageRow[];
}

export interface ClinicianReport extends DateRange {
  clinicians: { clinicianId: string; lastName: string; firstName: string; total: number; byVaccine: CountRow[] }[];
}

export interface ReportRepo {
  dosesGiven(range: DateRange): DosesGivenReport;
  compliance(range: DateRange, now: Date, lateLimit?: number): ComplianceReport;
  lotUsage(range: DateRange, today: string): LotUsageReport;
  byClinician(range: DateRange): ClinicianReport;
}

const AGE_CASE = `CASE ${AGE_GROUPS.map((g) => `WHEN age_years <= ${g.max} THEN '${g.id}'`).join(' ')} END`;

function emptyAges(): Record<AgeGroup, number> {
  return Object.fromEntries(AGE_GROUPS.map((g) => [g.id, 0])) as Record<AgeGroup, number>;
}

function addTo(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

const byCountDesc = (a: CountRow, b: CountRow) => b.count - a.count || a.key.localeCompare(b.key);
const rows = (map: Map<string, number>): CountRow[] => [...map].map(([key, count]) => ({ key, count })).sort(byCountDesc);

/** A date `days` after an ISO day, on the calendar (no time zone involved). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function createReportRepo(ctx: StoreContext): ReportRepo {
  const { db } = ctx;
  // One pass over the range for the cube (vaccine × funding × VFC × age group): a few hundred
  // rows at most, rolled up below; one more for the days.
  const cube = db.prepare(
    `SELECT cvx, funding, vfc, ${AGE_CASE} AS age_group, count(*) AS n FROM dose_facts
     WHERE given_on BETWEEN @from AND @to GROUP BY cvx, funding, vfc, age_group`,
  );
  const days = db.prepare('SELECT given_on AS day, count(*) AS n FROM dose_facts WHERE given_on BETWEEN @from AND @to GROUP BY given_on ORDER BY given_on');

  // Each dose's newest add decides (a rejected add fixed and resent is replaced by the new one).
  const OUTCOMES = `
    WITH d AS (
      SELECT f.dose_id, f.given_on, f.cvx, date(f.given_on, '-6 days', 'weekday 1') AS week,
        (SELECT o.seq FROM outbox o WHERE o.dose_id = f.dose_id AND o.action = 'A' ORDER BY o.seq DESC LIMIT 1) AS seq
      FROM dose_facts f WHERE f.given_on BETWEEN @from AND @to
    )
    SELECT d.*, o.state, o.deadline_at, o.completed_at,
      CASE
        WHEN o.state IN ('accepted', 'warning') THEN CASE WHEN o.deadline_at IS NULL OR o.completed_at <= o.deadline_at THEN 'on_time' ELSE 'late' END
        WHEN o.state = 'rejected' THEN 'rejected'
        ELSE 'waiting'
      END AS outcome
    FROM d LEFT JOIN outbox o ON o.seq = d.seq`;
  const weekly = db.prepare(
    `SELECT week, outcome, count(*) AS n, sum(outcome = 'waiting' AND deadline_at IS NOT NULL AND deadline_at < @now) AS overdue
     FROM (${OUTCOMES}) GROUP BY week, outcome ORDER BY week`,
  );
  const late = db.prepare(
    `SELECT x.dose_id, x.given_on, x.cvx, x.deadline_at, x.completed_at, x.outcome, p.id AS patient_id, p.mrn, p.last_name, p.first_name
     FROM (${OUTCOMES}) x JOIN doses ds ON ds.id = x.dose_id JOIN patients p ON p.id = ds.patient_id
     WHERE x.outcome = 'late' OR (x.outcome = 'waiting' AND x.deadline_at < @now)
     ORDER BY x.given_on, x.dose_id LIMIT @limit`,
  );

  const lots = db.prepare(
    `SELECT l.id, l.lot_number, l.cvx, l.expiration_date, l.doses_on_hand, l.active,
       coalesce(json_extract(l.data, '$.dosesOnHand'), 0) AS initial,
       (SELECT count(*) FROM dose_facts f WHERE f.lot_id = l.id AND f.given_on BETWEEN @from AND @to) AS given_range,
       (SELECT count(*) FROM dose_facts f WHERE f.lot_id = l.id) AS given_all,
       (SELECT coalesce(sum(json_extract(a.detail, '$.delta')), 0) FROM audit a
          WHERE a.action = 'lot.adjust' AND a.entity_id = l.id AND json_extract(a.detail, '$.delta') > 0) AS added,
       (SELECT coalesce(sum(-json_extract(a.detail, '$.delta')), 0) FROM audit a
          WHERE a.action = 'lot.adjust' AND a.entity_id = l.id AND a.at >= @fromAt AND a.at < @toAt
            AND json_extract(a.detail, '$.delta') < 0) AS wasted
     FROM lots l ORDER BY l.expiration_date, l.lot_number`,
  );

  const clinicians = db.prepare(
    `SELECT f.clinician_id, coalesce(c.last_name, '') AS last_name, coalesce(c.first_name, '') AS first_name, f.cvx, count(*) AS n
     FROM dose_facts f LEFT JOIN clinicians c ON c.id = f.clinician_id
     WHERE f.given_on BETWEEN @from AND @to GROUP BY f.clinician_id, f.cvx`,
  );

  /** The instant a clinic day starts, in UTC (audit rows carry UTC instants). */
  function dayStart(day: string): string {
    const noon = new Date(`${day}T12:00:00Z`);
    const offset = ctx.utcOffsetMinutes(noon);
    return new Date(new Date(`${day}T00:00:00Z`).getTime() - offset * 60_000).toISOString();
  }

  return {
    dosesGiven(range) {
      return ctx.readTransaction(() => {
        const vaccines = new Map<string, { count: number; byAge: Record<AgeGroup, number> }>();
        const funding = new Map<string, number>();
        const vfc = new Map<string, number>();
        const ages = emptyAges();
        let total = 0;
        for (const r of cube.all(range) as { cvx: string; funding: string; vfc: string; age_group: AgeGroup; n: number }[]) {
          total += r.n;
          const v = vaccines.get(r.cvx) ?? { count: 0, byAge: emptyAges() };
          v.count += r.n;
          v.byAge[r.age_group] += r.n;
          vaccines.set(r.cvx, v);
          addTo(funding, r.funding, r.n);
          addTo(vfc, r.vfc, r.n);
          ages[r.age_group] += r.n;
        }
        return {
          ...range,
          total,
          byDay: (days.all(range) as { day: string; n: number }[]).map((r) => ({ key: r.day, count: r.n })),
          byVaccine: [...vaccines].map(([cvx, v]) => ({ cvx, ...v })).sort((a, b) => b.count - a.count || a.cvx.localeCompare(b.cvx)),
          byFunding: rows(funding),
          byVfc: rows(vfc),
          byAgeGroup: AGE_GROUPS.map((g) => ({ key: g.id, count: ages[g.id] })),
        };
      });
    },

    compliance(range, now, lateLimit = 500) {
      return ctx.readTransaction(() => {
        const at = now.toISOString();
        const weeks = new Map<string, ComplianceReport['weeks'][number]>();
        const totals: ComplianceReport['totals'] = { on_time: 0, late: 0, waiting: 0, rejected: 0, total: 0, overdue: 0 };
        for (const r of weekly.all({ ...range, now: at }) as { week: string; outcome: ComplianceOutcome; n: number; overdue: number }[]) {
          const w = weeks.get(r.week) ?? { week: r.week, total: 0, on_time: 0, late: 0, waiting: 0, rejected: 0 };
          w[r.outcome] += r.n;
          w.total += r.n;
          weeks.set(r.week, w);
          totals[r.outcome] += r.n;
          totals.total += r.n;
          totals.overdue += r.overdue;
        }
        type LateRow = { dose_id: string; given_on: string; cvx: string; deadline_at: string; completed_at: string | null; outcome: string; patient_id: string; mrn: string; last_name: string; first_name: string };
        const lateRows = late.all({ ...range, now: at, limit: lateLimit + 1 }) as LateRow[];
        return {
          ...range,
          weeks: [...weeks.values()],
          totals,
          late: lateRows.slice(0, lateLimit).map((r): LateDose => {
            const out: LateDose = { doseId: r.dose_id, patientId: r.patient_id, mrn: r.mrn, lastName: r.last_name, firstName: r.first_name, givenOn: r.given_on, cvx: r.cvx, deadline: r.deadline_at };
            if (r.outcome === 'late' && r.completed_at) out.reportedAt = r.completed_at;
            return out;
          }),
          lateTruncated: lateRows.length > lateLimit,
        };
      });
    },

    lotUsage(range, today) {
      return ctx.readTransaction(() => {
        const soon = addDays(today, 30);
        type LotRow = { id: string; lot_number: string; cvx: string; expiration_date: string; doses_on_hand: number; active: number; initial: number; given_range: number; given_all: number; added: number; wasted: number };
        const all = lots.all({ ...range, fromAt: dayStart(range.from), toAt: dayStart(addDays(range.to, 1)) }) as LotRow[];
        return {
          ...range,
          today,
          lots: all
            // A lot that was finished and put away before the range says nothing about it.
            .filter((l) => l.active === 1 || l.given_range > 0 || l.wasted > 0)
            .map((l) => ({
              lotId: l.id,
              lotNumber: l.lot_number,
              cvx: l.cvx,
              expirationDate: l.expiration_date,
              active: l.active === 1,
              received: l.initial + l.added,
              givenInRange: l.given_range,
              givenAll: l.given_all,
              wastedInRange: l.wasted,
              onHand: l.doses_on_hand,
              expired: l.expiration_date < today ? l.doses_on_hand : 0,
              expiresWithin30Days: l.expiration_date >= today && l.expiration_date <= soon && l.doses_on_hand > 0,
            })),
        };
      });
    },

    byClinician(range) {
      return ctx.readTransaction(() => {
        const out = new Map<string, ClinicianReport['clinicians'][number]>();
        for (const r of clinicians.all(range) as { clinician_id: string; last_name: string; first_name: string; cvx: string; n: number }[]) {
          const c = out.get(r.clinician_id) ?? { clinicianId: r.clinician_id, lastName: r.last_name, firstName: r.first_name, total: 0, byVaccine: [] };
          c.total += r.n;
          c.byVaccine.push({ key: r.cvx, count: r.n });
          out.set(r.clinician_id, c);
        }
        const list = [...out.values()];
        for (const c of list) c.byVaccine.sort(byCountDesc);
        return { ...range, clinicians: list.sort((a, b) => b.total - a.total || a.lastName.localeCompare(b.lastName)) };
      });
    },
  };
}
