import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { VaccineOption } from '../../../electron/api';
import { t } from '../../i18n';
import { api, run } from '../api';

// Vaccine by name, trade name or CVX code: a combobox over codes.searchVaccines. Enter picks the
// highlighted option; typing and Enter at once (before results arrive) picks the first result.

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
}: {
  query: string;
  onQuery: (text: string) => void;
  cvx: string;
  chosenName: string;
  onPick: (option: VaccineOption) => void;
  error?: string;
  includeInactive: boolean;
  autoFocus?: boolean;
}) {
  const [options, setOptions] = useState<VaccineOption[]>([]);
  /** The text the options were found for: Enter never picks from an older query's list. */
  const [optionsFor, setOptionsFor] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const pendingEnter = useRef(false);
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
      void run(api().codes.searchVaccines({ text, limit: 8, includeInactive })).then((r) => {
        if (mine !== searching.current) return;
        searching.current = 0;
        const found = r.ok ? r.value : [];
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
            </li>
          ))}
        </ul>
      ) : null}
      {open && options.length === 0 && query.trim() !== '' ? <p className="field__hint">{t('dose.vaccineNone')}</p> : null}
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
