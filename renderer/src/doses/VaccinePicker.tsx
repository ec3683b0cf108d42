import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { VaccineOption } from '../../../electron/api';
import { cvx as cvxInfo } from '../../../electron/domain/codes';
import { t } from '../../i18n';
import { api, run, todayIso } from '../api';
import { useLotsInStock } from '../lots/useLotsInStock';
import { rankVaccines, usableLotsByCvx } from './vaccine-ranking';

// Vaccine by name, trade name or CVX code: a combobox over codes.searchVaccines. Enter picks the
// highlighted option; typing and Enter at once (before results arrive) picks the first result.
// Results are ranked by rankVaccines: in the fridge and due first, then in the fridge, then due
// (forecast order), then the rest; while the field is empty one vaccine per due group is offered
// as a one-click choice.

const MAX_DUE_CHOICES = 6;
const SHOWN = 8;
/** Searched deeper than shown, so a stocked or due match ranked low by text still comes first. */
const SEARCHED = 60;

/** A vaccine group due now and the vaccines that may be given for it, in forecast order. */
export interface DueGroup {
  group: string;
  cvx: readonly string[];
}

/** One choice per due group: its first vaccine that may be recorded here. */
function dueChoices(groups: readonly DueGroup[], includeInactive: boolean): (VaccineOption & { group: string })[] {
  const out: (VaccineOption & { group: string })[] = [];
  for (const g of groups) {
    for (const code of g.cvx) {
      const info = cvxInfo(code);
      if (!info || (!includeInactive && info.status !== 'Active')) continue;
      if (!out.some((o) => o.cvx === info.code)) {
        out.push({ cvx: info.code, shortName: info.shortName, fullName: info.fullName, status: info.status, manufacturers: [], group: g.group });
      }
      break;
    }
    if (out.length === MAX_DUE_CHOICES) break;
  }
  return out;
}

const DEBOUNCE_MS = 80;

export function VaccinePicker({
  query,
  onQuery,
  cvx,
  chosenName,
  onPick,
  error,
  includeInactive,
  autoFocus,
  dueCvx = [],
  dueGroups = [],
  ageYears,
}: {
  query: string;
  onQuery: (text: string) => void;
  cvx: string;
  chosenName: string;
  onPick: (option: VaccineOption) => void;
  error?: string;
  includeInactive: boolean;
  autoFocus?: boolean;
  /** CVX codes due for this patient now, most urgent first (forecast.forPatient's `dueVaccines`). */
  dueCvx?: readonly string[];
  /** The groups due now, for one-click choices while the field is empty. */
  dueGroups?: readonly DueGroup[];
  /** The patient's age, when there is a patient (child formulations after adult ones for adults). */
  ageYears?: number;
}) {
  const [options, setOptions] = useState<VaccineOption[]>([]);
  /** The text the options were found for: Enter never picks from an older query's list. */
  const [optionsFor, setOptionsFor] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const pendingEnter = useRef(false);
  const lots = useLotsInStock('');
  const rankRef = useRef({ dueCvx, lots, ageYears });
  rankRef.current = { dueCvx, lots, ageYears };
  const searching = useRef(0);

  useEffect(() => {
    const text = query.trim();
    if (text === '' || text === chosenName) {
      searching.current = 0;
      setOptions([]);
      setOpen(false);
      return;
    }
    const mine = ++searching.current;
    const h = setTimeout(() => {
      void run(api().codes.searchVaccines({ text, limit: SEARCHED, includeInactive })).then((r) => {
        if (mine !== searching.current) return;
        searching.current = 0;
        const results = r.ok ? r.value : [];
        const ctx = rankRef.current;
        const stocked = new Set(usableLotsByCvx(ctx.lots, todayIso()).keys());
        const found = rankVaccines(results, { query: text, stocked, due: ctx.dueCvx, ageYears: ctx.ageYears }).slice(0, SHOWN);
        setOptions(found);
        setOptionsFor(text);
        setActive(0);
        if (pendingEnter.current) {
          pendingEnter.current = false;
          if (found[0]) pick(found[0]);
          return;
        }
        setOpen(true);
      });
    }, DEBOUNCE_MS);
    return () => clearTimeout(h);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- pick is stable in effect
  }, [query, includeInactive, chosenName]);

  function pick(option: VaccineOption) {
    setOpen(false);
    setOptions([]);
    onPick(option);
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Escape') {
      setOpen(false);
    } else if (e.key === 'Enter') {
      const typed = query.trim();
      if (open && options[active] && optionsFor === typed) {
        e.preventDefault();
        e.stopPropagation();
        pick(options[active]);
      } else if (typed !== '' && typed !== chosenName && (searching.current !== 0 || optionsFor !== typed)) {
        // Results for this text not back yet: pick the first one when they arrive.
        e.preventDefault();
        e.stopPropagation();
        pendingEnter.current = true;
      }
    }
  }

  const choices = dueChoices(dueGroups, includeInactive);
  const listId = 'vaccine-options';
  const activeId = open && options[active] ? `vaccine-option-${options[active].cvx}` : undefined;
  const describedBy = ['dose-vaccine-hint', error ? 'dose-vaccine-error' : ''].filter(Boolean).join(' ');
  return (
    <div className={`field combo${error ? ' field--error' : ''}`}>
      <label htmlFor="dose-vaccine">
        {t('dose.vaccine')}
        <span className="field__required"> ({t('form.required')})</span>
      </label>
      <input
        id="dose-vaccine"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-required
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        data-empty={cvx === '' ? 'true' : undefined}
        autoComplete="off"
        autoFocus={autoFocus}
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {open && options.length > 0 ? (
        <ul id={listId} role="listbox" className="combo__list" aria-label={t('dose.vaccine')}>
          {options.map((o, i) => (
            <li
              key={o.cvx}
              id={`vaccine-option-${o.cvx}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
            >
              <strong>{o.shortName}</strong> · {t('code.cvx', { code: o.cvx })}
              {dueCvx.includes(o.cvx) ? <span className="combo__due">{t('dose.dueTag')}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {open && options.length === 0 && query.trim() !== '' ? <p className="field__hint">{t('dose.vaccineNone')}</p> : null}
      {!cvx && query.trim() === '' && choices.length > 0 ? (
        <div className="due-chips" data-testid="due-vaccines">
          <span>{t('dose.dueNow')}</span>
          {choices.map((o) => (
            <button key={o.cvx} type="button" className="btn" title={o.group} onClick={() => pick(o)}>
              {o.shortName}
            </button>
          ))}
        </div>
      ) : null}
      {cvx ? (
        <p className="combo__chosen" data-testid="vaccine-chosen">
          {t('dose.vaccineChosen', { cvx, name: chosenName })}
        </p>
      ) : null}
      <p id="dose-vaccine-hint" className="field__hint">
        {t('dose.vaccineHint')}
      </p>
      {error ? (
        <p id="dose-vaccine-error" className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
