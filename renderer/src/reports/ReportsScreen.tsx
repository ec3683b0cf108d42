import { useState, type FormEvent } from 'react';
import { t, type MessageKey } from '../../i18n';
import { api, fieldErrors, normalizeDateInput, run, todayIso, type FieldErrors } from '../api';
import { Notice } from '../ui/Notice';
import { SelectField, TextField } from '../ui/Field';
import { toCsv } from './csv';
import { REPORT_KINDS, reportTables, type ReportData, type ReportKind } from './report-tables';

// The clinic reports: pick one and a date range, read the tables, export them as CSV or print
// them. The counting happens in the main process (SQL over the store); this screen only draws.

const TITLE: Record<ReportKind, MessageKey> = {
  dosesGiven: 'reports.kind.dosesGiven',
  compliance: 'reports.kind.compliance',
  lotUsage: 'reports.kind.lotUsage',
  byClinician: 'reports.kind.byClinician',
};

async function fetchReport(kind: ReportKind, range: { from: string; to: string }) {
  const reports = api().reports;
  switch (kind) {
    case 'dosesGiven':
      return run(reports.dosesGiven(range)).then((r) => (r.ok ? { ok: true as const, data: { kind, value: r.value } as ReportData } : r));
    case 'compliance':
      return run(reports.compliance(range)).then((r) => (r.ok ? { ok: true as const, data: { kind, value: r.value } as ReportData } : r));
    case 'lotUsage':
      return run(reports.lotUsage(range)).then((r) => (r.ok ? { ok: true as const, data: { kind, value: r.value } as ReportData } : r));
    case 'byClinician':
      return run(reports.byClinician(range)).then((r) => (r.ok ? { ok: true as const, data: { kind, value: r.value } as ReportData } : r));
  }
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ReportsScreen() {
  const today = todayIso();
  const [kind, setKind] = useState<ReportKind>('dosesGiven');
  const [from, setFrom] = useState(`${today.slice(0, 7)}-01`);
  const [to, setTo] = useState(today);
  const [data, setData] = useState<ReportData>();
  const [error, setError] = useState<string>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setErrors({});
    const r = await fetchReport(kind, { from: normalizeDateInput(from), to: normalizeDateInput(to) });
    setBusy(false);
    if ('data' in r) setData(r.data);
    else {
      setData(undefined);
      setError(r.error.message);
      setErrors(fieldErrors(r.error.issues, ''));
    }
  }

  const tables = data ? reportTables(data) : [];
  const range = data ? `${data.value.from}_${data.value.to}` : '';

  return (
    <section aria-labelledby="reports-title" className="reports">
      <h2 id="reports-title">{t('reports.title')}</h2>
      <form onSubmit={(e) => void submit(e)} className="no-print">
        <SelectField id="report-kind" label={t('reports.kind')} value={kind} onValue={(v) => setKind(v as ReportKind)} options={REPORT_KINDS.map((k) => ({ value: k, label: t(TITLE[k]) }))} />
        <TextField id="report-from" label={t('reports.from')} value={from} onValue={setFrom} error={errors.from} />
        <TextField id="report-to" label={t('reports.to')} value={to} onValue={setTo} error={errors.to} />
        <button type="submit" disabled={busy}>
          {t('reports.run')}
        </button>
      </form>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {data ? (
        <div className="report-output">
          <h3>
            {t(TITLE[data.kind])}: {data.value.from} – {data.value.to}
          </h3>
          <p className="no-print">
            <button type="button" onClick={() => download(`dosedesk-${data.kind}-${range}.csv`, tables.map((tb) => `${tb.title}\r\n${toCsv(tb.header, tb.rows)}`).join('\r\n'))}>
              {t('reports.exportCsv')}
            </button>{' '}
            <button type="button" onClick={() => window.print()}>
              {t('reports.print')}
            </button>
          </p>
          {tables.map((tb) => (
            <table key={tb.title} className="report-table">
              <caption>{tb.title}</caption>
              <thead>
                <tr>
                  {tb.header.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {tb.rows.length === 0 ? (
                  <tr>
                    <td colSpan={tb.header.length}>{t('reports.empty')}</td>
                  </tr>
                ) : (
                  tb.rows.map((row, i) => (
                    <tr key={i}>
                      {row.map((c, j) => (
                        <td key={j}>{c ?? ''}</td>
                      ))}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          ))}
        </div>
      ) : null}
    </section>
  );
}
