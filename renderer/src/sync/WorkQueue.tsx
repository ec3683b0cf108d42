import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import type { ResubmitResult, SessionUser, WorkQueueCounts, WorkQueueItem, WorkQueueSkip } from '../../../electron/api';
import type { AtRiskPage } from '../../../electron/api/deadlines';
import { t, type MessageKey } from '../../i18n';
import { api, formatDateTime, run } from '../api';
import { Notice } from '../ui/Notice';
import { StatusBadge } from '../ui/StatusBadge';
import { AtRiskList } from './AtRiskDoses';
import { WARN_HOURS } from './deadline-hours';
import { DismissRejection } from './DismissRejection';
import { engineText } from './engine-text';
import { QueueDeadline } from './QueueDeadline';
import { ResubmitRejected } from './ResubmitRejected';
import { useSyncOutcomes } from './SyncContext';
import { useNow } from './useNow';

// Every report MIIS rejected or accepted with warnings, with the registry's own words and the
// form field each one points at, and a way straight to the fix: rejections first, nearest
// legal deadline first, a page at a time. Warnings are acknowledged once seen; a rejection
// leaves only by being fixed, resent, or dismissed with a reason (a rejected delete cannot be
// fixed, the dose is gone: it is retried as a new delete or dismissed). Loading a page shows patient
// names, an audited read, so it happens when a person asks: answers arriving from MIIS while
// the list is open only say that there is something new.

const KNOWN_FIELDS = new Set<string>([
  'dose.cvx', 'dose.lotId', 'dose.lotNumber', 'dose.mvx', 'dose.expirationDate', 'dose.ndc', 'dose.amountMl', 'dose.route', 'dose.site',
  'dose.vfcEligibility', 'dose.fundingSource', 'dose.administeringClinicianId', 'dose.administeredOn', 'dose.vis',
]);

const PATIENT_FIELDS: Record<string, MessageKey> = {
  'patient.lastName': 'patient.lastName',
  'patient.firstName': 'patient.firstName',
  'patient.dob': 'patient.dob',
  'patient.mrn': 'patient.mrn',
  'patient.sex': 'patient.sex',
  'patient.genderIdentity': 'patient.genderIdentity',
  'patient.races': 'patient.races',
  'patient.ethnicity': 'patient.ethnicity',
  'patient.preferredLanguage': 'patient.language',
  'patient.address': 'patient.street1',
  'patient.phone': 'patient.phone',
};

/** The form label a registry error points at (`patient.races` → "Patient record: Race …"). */
export function fieldLabel(path: string | undefined): string {
  if (!path) return t('field.unknown');
  if (KNOWN_FIELDS.has(path)) return t(`field.${path}` as MessageKey);
  const patientKey = PATIENT_FIELDS[path] ?? PATIENT_FIELDS[path.split('.').slice(0, 2).join('.')];
  if (patientKey) return `${t('field.patient')}: ${t(patientKey)}`;
  if (path.startsWith('patient')) return t('field.patient');
  return path;
}

/** Why a bulk action left a report alone, in the person's language (the English text is for the log). */
export function skipText(skip: WorkQueueSkip): string {
  return t(`queue.skip.${skip.code}`, { seq: skip.seq });
}

type View = 'open' | 'acknowledged' | 'dismissed';
const VIEWS: View[] = ['open', 'acknowledged', 'dismissed'];
const PAGE_SIZE = 50;
const NO_COUNTS: WorkQueueCounts = { rejected: 0, warnings: 0, acknowledged: 0, dismissed: 0 };

function viewCount(view: View, counts: WorkQueueCounts): number {
  return view === 'open' ? counts.rejected + counts.warnings : counts[view];
}

interface Loaded {
  items: WorkQueueItem[];
  total: number;
  counts: WorkQueueCounts;
  nextCursor?: string;
}

export function WorkQueue({ user, onFix, onOpen }: { user?: SessionUser; onFix: (patientId: string, doseId: string) => void; onOpen: (patientId: string) => void }) {
  const [view, setView] = useState<View>('open');
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [skipped, setSkipped] = useState<string>();
  const [newAnswers, setNewAnswers] = useState(0);
  const [dismissing, setDismissing] = useState<number>();
  const [confirmResubmit, setConfirmResubmit] = useState(false);
  const [busy, setBusy] = useState(false);
  /** Doses not rejected but still not at MIIS, near or past their deadline: nothing to fix, something to watch. */
  const [atRisk, setAtRisk] = useState<AtRiskPage>();
  const shownDoses = useRef(new Set<string>());
  const now = useNow(30_000);
  // The contract's rules: dismissing is for clinical staff, resending everything for administrators.
  const canDismiss = user?.role !== 'front_desk';
  const canResubmit = user === undefined || user.role === 'administrator';

  const load = useCallback(async (which: View, cursor?: string) => {
    if (which === 'open' && !cursor) {
      void run(api().sync.deadlines({ withinHours: WARN_HOURS })).then((a) => setAtRisk(a.ok ? a.value : undefined));
    }
    const r = await run(api().sync.workQueue(cursor ? { view: which, limit: PAGE_SIZE, cursor } : { view: which, limit: PAGE_SIZE }));
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(undefined);
    const page = r.value;
    setLoaded((before) => ({
      items: cursor && before ? [...before.items, ...page.items] : page.items,
      total: page.total,
      counts: page.counts,
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    }));
    if (!cursor) setNewAnswers(0);
  }, []);

  useEffect(() => {
    void load(view);
  }, [load, view]);

  useEffect(() => {
    shownDoses.current = new Set(loaded?.items.map((i) => i.doseId));
  }, [loaded]);

  useSyncOutcomes((event) => {
    // A new rejection or warning, or news about a dose on the list: the list is out of date.
    if (event.outcome === 'rejected' || event.outcome === 'warning' || shownDoses.current.has(event.doseId)) setNewAnswers((n) => n + 1);
  });

  function reportSkips(list: readonly WorkQueueSkip[]) {
    const first = list[0];
    setSkipped(first ? t('queue.skipped', { count: list.length, reason: skipText(first) }) : undefined);
  }

  async function acknowledge(seqs: number[]) {
    if (busy || seqs.length === 0) return;
    setBusy(true);
    const r = await run(api().sync.acknowledge({ seqs }));
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setDone(t('queue.acknowledgedDone', { count: r.value.acknowledged.length }));
    reportSkips(r.value.skipped);
    await load(view);
  }

  async function retryDelete(seq: number) {
    if (busy) return;
    setBusy(true);
    const r = await run(api().sync.retryDelete({ seq }));
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setDone(t('queue.retryDelete.done'));
    setSkipped(undefined);
    await load(view);
  }

  async function dismissed() {
    setDismissing(undefined);
    setDone(t('queue.dismissedDone'));
    setSkipped(undefined);
    await load(view);
  }

  async function resubmitted(result: ResubmitResult) {
    setConfirmResubmit(false);
    setDone(t('queue.resubmit.done', { count: result.resent.length }));
    reportSkips(result.skipped);
    await load(view);
  }

  function choose(next: View) {
    setDone(undefined);
    setSkipped(undefined);
    setDismissing(undefined);
    setConfirmResubmit(false);
    if (next === view) void load(next);
    else setView(next);
  }

  const counts = loaded?.counts ?? NO_COUNTS;
  const items = loaded?.items ?? [];
  const openWarnings = view === 'open' ? items.filter((i) => i.state === 'warning' && !i.review).map((i) => i.seq) : [];
  const waiting = view === 'open' ? (atRisk?.items.filter((d) => d.state === 'waiting') ?? []) : [];

  return (
    <section className="card" aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <p>{t('queue.intro')}</p>
      <div className="btn-row" role="group" aria-label={t('queue.views')}>
        {VIEWS.map((v) => (
          <button key={v} type="button" className={`btn${v === view ? ' btn--primary' : ''}`} aria-pressed={v === view} onClick={() => choose(v)}>
            {t(`queue.view.${v}`, { count: viewCount(v, counts) })}
          </button>
        ))}
        <button type="button" className="btn" onClick={() => choose(view)}>
          {t('queue.refresh')}
        </button>
        {view === 'open' && canResubmit && counts.rejected > 0 ? (
          <button type="button" className="btn" onClick={() => setConfirmResubmit(true)} disabled={confirmResubmit}>
            {t('queue.resubmit', { count: counts.rejected })}
          </button>
        ) : null}
        {openWarnings.length > 0 ? (
          <button type="button" className="btn" disabled={busy} onClick={() => void acknowledge(openWarnings)}>
            {t('queue.acknowledgeShown', { count: openWarnings.length })}
          </button>
        ) : null}
      </div>
      {confirmResubmit ? <ResubmitRejected count={counts.rejected} onDone={(r) => void resubmitted(r)} onCancel={() => setConfirmResubmit(false)} /> : null}
      {newAnswers > 0 ? (
        <div className="notice notice--info" role="status" data-testid="queue-new-answers">
          {t('queue.newAnswers', { count: newAnswers })}{' '}
          <button type="button" className="btn" onClick={() => choose(view)}>
            {t('queue.showLatest')}
          </button>
        </div>
      ) : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {done ? (
        <Notice tone="success" testId="queue-done">
          {done}
        </Notice>
      ) : null}
      {skipped ? <Notice tone="warning">{skipped}</Notice> : null}
      {waiting.length > 0 && atRisk ? (
        <section aria-labelledby="queue-at-risk" data-testid="queue-at-risk">
          <h2 id="queue-at-risk">{t('queue.atRisk.title')}</h2>
          <p>{t('queue.atRisk.intro', { contact: atRisk.helpDesk })}</p>
          <AtRiskList items={waiting} total={waiting.length} now={now} onOpen={(patientId) => onOpen(patientId)} />
        </section>
      ) : null}
      {loaded && items.length === 0 && waiting.length > 0 ? <Notice tone="info">{t('queue.emptyButWaiting')}</Notice> : null}
      {loaded && items.length === 0 && waiting.length === 0 ? (
        <Notice tone="success">{view === 'open' ? t('queue.empty') : view === 'acknowledged' ? t('queue.emptyAcknowledged') : t('queue.emptyDismissed')}</Notice>
      ) : null}
      {items.length > 0 ? (
        <table data-testid="work-queue" data-view={view}>
          <thead>
            <tr>
              <th scope="col">{t('queue.patient')}</th>
              <th scope="col">{t('queue.state')}</th>
              <th scope="col">{t('queue.deadline')}</th>
              <th scope="col">{t('queue.messages')}</th>
              <th scope="col">{t('chart.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <Fragment key={item.seq}>
                <tr data-seq={item.seq} data-state={item.state}>
                  <td>
                    {item.patientName ?? t('queue.unknownPatient')}
                    <br />
                    <span className="field__hint">{formatDateTime(item.updatedAt)}</span>
                  </td>
                  <td>
                    <StatusBadge state={item.state === 'warning' ? 'warning' : 'rejected'} />
                    {item.review ? (
                      <p className="field__hint">
                        {item.review.kind === 'dismissed'
                          ? t('queue.reviewedDismissed', { name: item.review.by, time: formatDateTime(item.review.at), reason: item.review.reason ?? '' })
                          : t('queue.reviewedAcknowledged', { name: item.review.by, time: formatDateTime(item.review.at) })}
                      </p>
                    ) : null}
                  </td>
                  <td>
                    <QueueDeadline item={item} now={now} />
                  </td>
                  <td>
                    {item.messages.length === 0 && item.ackText ? <p className="registry-msg">{item.ackText}</p> : null}
                    {item.messages.map((m, i) => (
                      <p key={i} className={`registry-msg${m.severity === 'warning' ? ' registry-msg--warning' : ''}`}>
                        {engineText({ code: m.code, message: m.text, params: m.params })}
                        <br />
                        <span className="field__hint">{t('queue.field', { field: fieldLabel(m.field) })}</span>
                      </p>
                    ))}
                  </td>
                  <td>
                    <div className="btn-row">
                      {view !== 'acknowledged' && item.action !== 'D' ? (
                        <button type="button" className="btn btn--primary" onClick={() => onFix(item.patientId, item.doseId)}>
                          {t('queue.fix')}
                        </button>
                      ) : null}
                      {item.state === 'rejected' && item.action === 'D' && canDismiss ? (
                        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void retryDelete(item.seq)}>
                          {t('queue.retryDelete')}
                        </button>
                      ) : null}
                      {item.state === 'warning' && !item.review ? (
                        <button type="button" className="btn" disabled={busy} onClick={() => void acknowledge([item.seq])}>
                          {t('queue.acknowledge')}
                        </button>
                      ) : null}
                      {item.state === 'rejected' && !item.review && canDismiss && dismissing !== item.seq ? (
                        <button type="button" className="btn btn--danger" onClick={() => setDismissing(item.seq)}>
                          {t('queue.dismiss')}
                        </button>
                      ) : null}
                      <button type="button" className="btn" onClick={() => onOpen(item.patientId)}>
                        {t('queue.open')}
                      </button>
                    </div>
                  </td>
                </tr>
                {dismissing === item.seq ? (
                  <tr>
                    <td colSpan={5}>
                      <DismissRejection item={item} onDone={() => void dismissed()} onCancel={() => setDismissing(undefined)} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : null}
      {loaded && items.length > 0 ? (
        <div className="btn-row">
          <span data-testid="queue-showing">{t('queue.showing', { shown: items.length, total: loaded.total })}</span>
          {loaded.nextCursor ? (
            <button type="button" className="btn" onClick={() => void load(view, loaded.nextCursor)}>
              {t('queue.more')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
