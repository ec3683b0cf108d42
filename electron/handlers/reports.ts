import type { AppServices } from '../services/app-services';
import { signedIn } from './guard';
import type { Implementations } from './types';

// The clinic reports. The counting is SQL in the store; each run leaves one audit row saying
// who ran which report over which days (and, for the late list, whose charts it named).

type ReportMethods = 'reports.dosesGiven' | 'reports.compliance' | 'reports.lotUsage' | 'reports.byClinician';

export function reportHandlers({ store, today, now }: AppServices): Implementations<ReportMethods> {
  const ran = (userId: string, report: string, range: { from: string; to: string }, extra: Record<string, unknown> = {}) =>
    store.audit.append({ userId, action: 'report.run', entity: 'report', detail: { report, from: range.from, to: range.to, ...extra } });
  return {
    'reports.dosesGiven': (range, ctx) => {
      const out = store.reports.dosesGiven(range);
      ran(signedIn(ctx).actor.userId, 'doses_given', range);
      return out;
    },
    'reports.compliance': (range, ctx) => {
      const out = store.reports.compliance(range, now());
      ran(signedIn(ctx).actor.userId, 'compliance', range, { patientIds: [...new Set(out.late.map((l) => l.patientId))] });
      return out;
    },
    'reports.lotUsage': (range, ctx) => {
      const out = store.reports.lotUsage(range, today());
      ran(signedIn(ctx).actor.userId, 'lot_usage', range);
      return out;
    },
    'reports.byClinician': (range, ctx) => {
      const out = store.reports.byClinician(range);
      ran(signedIn(ctx).actor.userId, 'by_clinician', range);
      return out;
    },
  };
}
