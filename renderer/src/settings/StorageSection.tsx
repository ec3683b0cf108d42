import { useCallback, useEffect, useState } from 'react';
import type { StoreDiagnostics } from '../../../electron/api';
import { t } from '../../i18n';
import { api, formatDateTime, run } from '../api';
import { Notice } from '../ui/Notice';

// The database file as IT needs it, for an administrator: where it is and how big, whether safe
// saving is on, when it was last checked, and every backup beside it (each checked when this
// section loads, so "Whole" means whole now).

function size(bytes: number | undefined): string {
  if (bytes === undefined) return '?';
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

export function StorageSection() {
  const [d, setD] = useState<StoreDiagnostics>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    const r = await run(api().store.diagnostics({}));
    if (r.ok) {
      setD(r.value);
      setError(undefined);
    } else setError(r.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="card" aria-labelledby="store-title">
      <h2 id="store-title">{t('settings.store.title')}</h2>
      <p>{t('settings.store.intro')}</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {d?.damage ? <Notice tone="error">{d.damage}</Notice> : null}
      {d && d.waitingAuditRows > 0 ? <Notice tone="warning">{t('settings.store.waitingAudit', { count: d.waitingAuditRows })}</Notice> : null}
      {d ? (
        <dl className="facts">
          <dt>{t('settings.store.file')}</dt>
          <dd>
            <code>{d.path}</code>
          </dd>
          <dt>{t('settings.store.size')}</dt>
          <dd>{t('settings.store.sizeValue', { size: size(d.sizeBytes), wal: size(d.walBytes), free: size(d.freeBytes) })}</dd>
          <dt>{t('settings.store.schema')}</dt>
          <dd>{d.schemaVersion}</dd>
          <dt>{t('settings.store.durability')}</dt>
          <dd>
            {d.durability
              ? t('settings.store.durabilityValue', {
                  journal: d.durability.journalMode,
                  sync: d.durability.synchronous === 2 ? 'FULL' : String(d.durability.synchronous),
                  sqlite: d.durability.sqliteVersion,
                  at: formatDateTime(d.durability.at),
                })
              : '?'}
            {d.durability?.fullfsync ? ` · ${t('settings.store.fullfsync', { state: 'on' })}` : null}
          </dd>
          <dt>{t('settings.store.integrity')}</dt>
          <dd>
            {t('settings.store.integrityValue', {
              full: d.integrity?.lastFull ? formatDateTime(d.integrity.lastFull.at) : t('settings.store.never'),
              quick: d.integrity?.lastQuick ? formatDateTime(d.integrity.lastQuick.at) : t('settings.store.never'),
            })}
          </dd>
        </dl>
      ) : null}
      <h3>{t('settings.store.backups')}</h3>
      {d && d.backups.length === 0 ? <p>{t('settings.store.noBackups')}</p> : null}
      {d && d.backups.length > 0 ? (
        <table data-testid="backups">
          <thead>
            <tr>
              <th scope="col">{t('settings.store.backup.name')}</th>
              <th scope="col">{t('settings.store.backup.taken')}</th>
              <th scope="col">{t('settings.store.backup.schema')}</th>
              <th scope="col">{t('settings.store.backup.size')}</th>
              <th scope="col">{t('settings.store.backup.state')}</th>
            </tr>
          </thead>
          <tbody>
            {d.backups.map((b) => (
              <tr key={b.path}>
                <td>
                  <code>{b.path}</code>
                </td>
                <td>{formatDateTime(b.takenAt)}</td>
                <td>
                  {b.fromSchema} → {b.toSchema}
                </td>
                <td>{size(b.sizeBytes)}</td>
                <td>{b.verified ? t('settings.store.backup.verified') : t('settings.store.backup.bad', { problem: b.problem ?? '?' })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => void load()}>
          {t('settings.store.refresh')}
        </button>
      </div>
    </section>
  );
}
