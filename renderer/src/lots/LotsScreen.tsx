import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Lot, VaccineOption } from '../../../electron/api';
import { parseGs1 } from '../../../electron/domain/barcode/gs1';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import { t } from '../../i18n';
import { api, fieldErrors, normalizeDateInput, run, todayIso, type FieldErrors } from '../api';
import { toOptions, useCodeLists } from '../app/CodeLists';
import { CheckboxField, SelectField, TextField } from '../ui/Field';
import { useBarcodeWedge } from '../doses/useBarcodeWedge';
import { VaccinePicker } from '../doses/VaccinePicker';
import { Notice } from '../ui/Notice';
import { expiryWarning } from './lot-warnings';

// The clinic's fridge: receive a lot, adjust its count, deactivate it; expired and low-stock
// lots are flagged so nobody picks them by mistake.

export function lotFlags(lot: Lot, today: string): ('expired' | 'low' | 'inactive')[] {
  const flags: ('expired' | 'low' | 'inactive')[] = [];
  if (lot.expirationDate < today) flags.push('expired');
  if (lot.dosesOnHand <= lot.lowStockThreshold) flags.push('low');
  if (!lot.active) flags.push('inactive');
  return flags;
}

const FLAG_KEY = { expired: 'lots.expired', low: 'lots.low', inactive: 'lots.inactive' } as const;
const FLAG_BADGE = { expired: 'rejected', low: 'warning', inactive: 'cancelled' } as const;

export function LotsScreen() {
  const [lots, setLots] = useState<Lot[]>([]);
  const [showInactive, setShowInactive] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const today = todayIso();

  const load = useCallback(async () => {
    const r = await run(api().lots.list({ includeInactive: showInactive }));
    if (r.ok) setLots(r.value);
    else setError(r.error.message);
  }, [showInactive]);

  useEffect(() => {
    void load();
  }, [load]);

  async function setActive(lot: Lot, active: boolean) {
    const r = await run(api().lots.setActive({ id: lot.id, active }));
    if (!r.ok) setError(r.error.message);
    void load();
  }

  return (
    <div>
      <section className="card" aria-labelledby="lots-title">
        <h1 id="lots-title">{t('lots.title')}</h1>
        <CheckboxField id="lots-inactive" label={t('lots.showInactive')} checked={showInactive} onChecked={setShowInactive} />
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        {error ? <Notice tone="error">{error}</Notice> : null}
        {lots.length === 0 ? (
          <p>{t('lots.empty')}</p>
        ) : (
          <table data-testid="lots">
            <thead>
              <tr>
                <th scope="col">{t('lots.col.vaccine')}</th>
                <th scope="col">{t('lots.col.lot')}</th>
                <th scope="col">{t('lots.col.expires')}</th>
                <th scope="col">{t('lots.col.onHand')}</th>
                <th scope="col">{t('lots.col.flags')}</th>
                <th scope="col">{t('lots.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {lots.map((lot) => (
                <tr key={lot.id} data-lot={lot.lotNumber}>
                  <td>
                    {cvxInfo(lot.cvx)?.shortName ?? lot.cvx} <span className="field__hint">{t('code.cvx', { code: lot.cvx })}</span>
                  </td>
                  <td>{lot.lotNumber}</td>
                  <td>{lot.expirationDate}</td>
                  <td>{lot.dosesOnHand}</td>
                  <td>
                    {lotFlags(lot, today).map((f) => (
                      <span key={f} className={`badge badge--${FLAG_BADGE[f]} flag`}>
                        {t(FLAG_KEY[f])}
                      </span>
                    ))}
                  </td>
                  <td>
                    <AdjustForm lot={lot} onDone={() => void load()} />
                    <button type="button" className="btn" onClick={() => void setActive(lot, !lot.active)}>
                      {lot.active ? t('lots.deactivate') : t('lots.reactivate')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ReceiveLotForm
        onSaved={(lot) => {
          setNotice(t('lots.saved', { lot: lot.lotNumber }));
          void load();
        }}
      />
    </div>
  );
}

function AdjustForm({ lot, onDone }: { lot: Lot; onDone: () => void }) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [open, setOpen] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await run(api().lots.adjust({ id: lot.id, delta: Number(delta), reason }));
    if (!r.ok) {
      const f = fieldErrors(r.error.issues, 'input');
      setErrors(Object.keys(f).length ? f : { delta: r.error.message });
      return;
    }
    setOpen(false);
    setDelta('');
    setReason('');
    setErrors({});
    onDone();
  }

  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {t('lots.adjust')}
      </button>
    );
  return (
    <form onSubmit={submit} noValidate>
      <TextField id={`adj-delta-${lot.id}`} label={t('lots.delta')} value={delta} onValue={setDelta} error={errors.delta} inputMode="numeric" autoFocus />
      <TextField id={`adj-reason-${lot.id}`} label={t('lots.reason')} value={reason} onValue={setReason} error={errors.reason} />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary">
          {t('form.save')}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}

const emptyLot = { cvx: '', vaccineQuery: '', vaccineName: '', mvx: '', lotNumber: '', ndc: '', expirationDate: '', dosesOnHand: '', fundingSource: '', doseVolumeMl: '0.5', lowStockThreshold: '5' };
type LotFormValues = typeof emptyLot;

/** A vaccine named from the CVX table, for a code typed or scanned. */
function namedVaccine(v: LotFormValues, code: string): LotFormValues {
  const name = cvxInfo(code)?.shortName ?? code;
  return { ...v, cvx: code, vaccineName: name, vaccineQuery: name };
}

export function ReceiveLotForm({ onSaved }: { onSaved: (lot: Lot) => void }) {
  const lists = useCodeLists();
  const [v, setV] = useState(emptyLot);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const [scanNote, setScanNote] = useState<{ tone: 'info' | 'error'; text: string }>();
  /** The expiry date the person confirmed receiving although it has passed. */
  const [expiredConfirmed, setExpiredConfirmed] = useState<string>();
  const valuesRef = useRef(v);
  valuesRef.current = v;
  const set = (k: keyof LotFormValues) => (value: string) => setV((s) => ({ ...s, [k]: value }));
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const today = todayIso();
  const expiration = normalizeDateInput(v.expirationDate);
  const warning = expiryWarning(expiration, today);

  // A keyboard-wedge scan of the vial or carton fills vaccine, NDC, manufacturer, lot and expiry.
  useBarcodeWedge<LotFormValues>({
    snapshot: () => valuesRef.current,
    onScan: (text, before) => {
      const scan = parseGs1(text);
      if (!scan.ok) {
        setV(before);
        setScanNote({ tone: 'error', text: t('dose.scanFailed', { message: scan.error }) });
        return true;
      }
      let next = scan.cvx ? namedVaccine(before, scan.cvx) : before;
      next = { ...next, ndc: scan.ndc ?? next.ndc, mvx: scan.mvx ?? next.mvx, lotNumber: scan.lot ?? next.lotNumber, expirationDate: scan.expiration ?? next.expirationDate };
      setV(next);
      setErrors({});
      setScanNote({ tone: 'info', text: [t('dose.scanned', { ndc: scan.ndc ?? scan.gtin, lot: scan.lot ?? '—', exp: scan.expiration ?? '—' }), ...scan.warnings].join(' ') });
      setTimeout(() => document.getElementById(next.lotNumber ? 'lot-doses' : 'lot-number')?.focus(), 0);
      return true;
    },
  });

  function onPickVaccine(option: VaccineOption) {
    setV((s) => ({
      ...s,
      cvx: option.cvx,
      vaccineName: option.shortName,
      vaccineQuery: option.shortName,
      // One maker of this vaccine: nothing to choose.
      mvx: s.mvx || (option.manufacturers.length === 1 ? option.manufacturers[0]!.code : ''),
    }));
    setErrors((e) => ({ ...e, cvx: '' }));
    setTimeout(() => document.getElementById(valuesRef.current.mvx ? 'lot-number' : 'lot-mvx')?.focus(), 0);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    // A typed CVX code needs no pick from the list.
    const typed = v.vaccineQuery.trim();
    const cvx = v.cvx || (/^\d{1,3}$/.test(typed) ? typed : '');
    if (warning?.kind === 'expired' && expiredConfirmed !== expiration) {
      setExpiredConfirmed(expiration);
      setMessage(t('lots.expiredConfirm', { date: expiration }));
      document.getElementById('lot-exp')?.focus();
      return;
    }
    const lot = {
      cvx,
      mvx: v.mvx,
      lotNumber: v.lotNumber,
      ndc: v.ndc.trim() || undefined,
      expirationDate: expiration,
      dosesOnHand: num(v.dosesOnHand) ?? Number.NaN,
      fundingSource: v.fundingSource || undefined,
      doseVolumeMl: num(v.doseVolumeMl),
      lowStockThreshold: num(v.lowStockThreshold),
      receivedOn: today,
    };
    const r = await run(api().lots.receive({ lot }));
    if (!r.ok) {
      setErrors(fieldErrors(r.error.issues, 'lot'));
      setMessage(r.error.issues?.length ? t('form.fixErrors') : r.error.message);
      return;
    }
    setErrors({});
    setMessage(undefined);
    setScanNote(undefined);
    setExpiredConfirmed(undefined);
    setV(emptyLot);
    onSaved(r.value);
    setTimeout(() => document.getElementById('dose-vaccine')?.focus(), 0);
  }

  const warningText =
    warning?.kind === 'expired' ? t('lots.warnExpired', { date: expiration }) : warning?.kind === 'short' ? t('lots.warnShort', { date: expiration, count: warning.days }) : undefined;
  return (
    <section className="card" aria-labelledby="receive-title">
      <h2 id="receive-title">{t('lots.receive')}</h2>
      <p className="field__hint">{t('lots.receiveHint')}</p>
      <form onSubmit={submit} noValidate>
        {message ? <Notice tone="error">{message}</Notice> : null}
        {scanNote ? (
          <Notice tone={scanNote.tone} testId="lot-scan-note">
            {scanNote.text}
          </Notice>
        ) : null}
        <div className="grid">
          <div data-autofocus>
            <VaccinePicker
              query={v.vaccineQuery}
              onQuery={(text) => setV((s) => ({ ...s, vaccineQuery: text, ...(text === s.vaccineName ? {} : { cvx: '', vaccineName: '' }) }))}
              cvx={v.cvx}
              chosenName={v.vaccineName}
              onPick={onPickVaccine}
              error={errors.cvx}
              includeInactive={false}
            />
          </div>
          <SelectField id="lot-mvx" label={t('lots.mvx')} value={v.mvx} onValue={set('mvx')} options={toOptions(lists.manufacturers, true)} placeholder={t('form.choose')} error={errors.mvx} required />
          <TextField id="lot-number" label={t('lots.lotNumber')} value={v.lotNumber} onValue={set('lotNumber')} error={errors.lotNumber} required />
          <TextField id="lot-ndc" label={t('lots.ndc')} value={v.ndc} onValue={set('ndc')} error={errors.ndc} />
          <TextField
            id="lot-exp"
            label={t('lots.expiration')}
            value={v.expirationDate}
            onValue={(x) => {
              set('expirationDate')(x);
              setMessage(undefined);
            }}
            error={errors.expirationDate}
            required
            placeholder={t('form.datePlaceholder')}
          />
          <TextField id="lot-doses" label={t('lots.doses')} value={v.dosesOnHand} onValue={set('dosesOnHand')} error={errors.dosesOnHand} required inputMode="numeric" />
          <SelectField id="lot-funding" label={t('lots.funding')} value={v.fundingSource} onValue={set('fundingSource')} options={toOptions(lists.fundingSources)} placeholder={t('form.choose')} error={errors.fundingSource} />
          <TextField id="lot-volume" label={t('lots.volume')} value={v.doseVolumeMl} onValue={set('doseVolumeMl')} error={errors.doseVolumeMl} inputMode="decimal" />
          <TextField id="lot-low" label={t('lots.lowThreshold')} value={v.lowStockThreshold} onValue={set('lowStockThreshold')} error={errors.lowStockThreshold} inputMode="numeric" />
        </div>
        {warningText ? (
          <Notice tone="warning" testId="lot-expiry-warning">
            {warningText}
          </Notice>
        ) : null}
        <div className="btn-row">
          <button type="submit" className="btn btn--primary">
            {warning?.kind === 'expired' && expiredConfirmed === expiration ? t('lots.receiveExpired') : t('lots.receive')}
          </button>
        </div>
      </form>
    </section>
  );
}
