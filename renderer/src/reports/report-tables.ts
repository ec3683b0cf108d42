import type { ClinicianReport, ComplianceReport, DosesGivenReport, LotUsageReport } from '../../../electron/api/reports';
import { t, type MessageKey } from '../../i18n';
import type { CsvValue } from './csv';

// Each report as titled tables of plain cells: the screen draws them and the CSV export
// writes the very same cells, so what is exported is what was on the screen.

export interface ReportTable {
  title: string;
  header: string[];
  rows: CsvValue[][];
}

export const REPORT_KINDS = ['dosesGiven', 'compliance', 'lotUsage', 'byClinician'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export type ReportData =
  | { kind: 'dosesGiven'; value: DosesGivenReport }
  | { kind: 'compliance'; value: ComplianceReport }
  | { kind: 'lotUsage'; value: LotUsageReport }
  | { kind: 'byClinician'; value: ClinicianReport };

const AGE_KEYS: Record<string, MessageKey> = {
  under1: 'reports.age.under1',
  '1-6': 'reports.age.1-6',
  '7-18': 'reports.age.7-18',
  '19-64': 'reports.age.19-64',
  '65plus': 'reports.age.65plus',
};

const orNone = (code: string) => code || t('reports.notRecorded');
const counts = (title: MessageKey, what: MessageKey, rows: { key: string; count: number }[], label: (k: string) => string = orNone): ReportTable => ({
  title: t(title),
  header: [t(what), t('reports.col.doses')],
  rows: rows.map((r) => [label(r.key), r.count]),
});

export function reportTables(data: ReportData): ReportTable[] {
  switch (data.kind) {
    case 'dosesGiven': {
      const r = data.value;
      const ages = r.byAgeGroup.map((a) => a.key);
      return [
        {
          title: t('reports.byVaccine'),
          header: [t('reports.col.vaccine'), ...ages.map((a) => t(AGE_KEYS[a]!)), t('reports.col.total')],
          rows: [...r.byVaccine.map((v) => [`CVX ${v.cvx}`, ...ages.map((a) => v.byAge[a]), v.count]), [t('reports.col.total'), ...r.byAgeGroup.map((a) => a.count), r.total]],
        },
        counts('reports.byFunding', 'reports.col.funding', r.byFunding),
        counts('reports.byVfc', 'reports.col.vfc', r.byVfc),
        counts('reports.byDay', 'reports.col.day', r.byDay),
      ];
    }
    case 'compliance': {
      const r = data.value;
      const outcomes = ['on_time', 'late', 'waiting', 'rejected'] as const;
      const head = [t('reports.col.onTime'), t('reports.col.late'), t('reports.col.waiting'), t('reports.col.rejected'), t('reports.col.total')];
      return [
        {
          title: t('reports.perWeek'),
          header: [t('reports.col.week'), ...head],
          rows: [...r.weeks.map((w) => [w.week, ...outcomes.map((o) => w[o]), w.total]), [t('reports.col.total'), ...outcomes.map((o) => r.totals[o]), r.totals.total]],
        },
        {
          title: t('reports.lateList', { count: r.late.length }),
          header: [t('reports.col.given'), t('reports.col.vaccine'), t('reports.col.patient'), 'MRN', t('reports.col.deadline'), t('reports.col.reportedAt')],
          rows: r.late.map((l) => [l.givenOn, `CVX ${l.cvx}`, `${l.lastName}, ${l.firstName}`, l.mrn, l.deadline, l.reportedAt ?? t('reports.stillWaiting')]),
        },
      ];
    }
    case 'lotUsage':
      return [
        {
          title: t('reports.lots'),
          header: [t('reports.col.lot'), t('reports.col.vaccine'), t('reports.col.expires'), t('reports.col.received'), t('reports.col.givenInRange'), t('reports.col.givenAll'), t('reports.col.wasted'), t('reports.col.onHand'), t('reports.col.expired'), t('reports.col.expiringSoon')],
          rows: data.value.lots.map((l) => [l.lotNumber, `CVX ${l.cvx}`, l.expirationDate, l.received, l.givenInRange, l.givenAll, l.wastedInRange, l.onHand, l.expired, l.expiresWithin30Days ? t('reports.yes') : '']),
        },
      ];
    case 'byClinician':
      return [
        {
          title: t('reports.clinicians'),
          header: [t('reports.col.clinician'), t('reports.col.vaccine'), t('reports.col.doses')],
          rows: data.value.clinicians.flatMap((c) => {
            const name = c.clinicianId ? `${c.lastName}, ${c.firstName}` : t('reports.notRecorded');
            return [...c.byVaccine.map((v) => [name, `CVX ${v.key}`, v.count]), [name, t('reports.col.total'), c.total]];
          }),
        },
      ];
  }
}
