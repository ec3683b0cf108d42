import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { PatientSummary } from '../../../electron/api';
import { t } from '../../i18n';
import { api, run } from '../api';
import { Notice } from '../ui/Notice';

// Search as you type: name parts in any order, a DOB or an MRN (the store decides which).
// A listbox driven from the input (aria-activedescendant): arrows move, Enter opens.

const DEBOUNCE_MS = 120;

export function PatientSearch({
  onOpen,
  onRegister,
  inputRef,
}: {
  onOpen: (id: string) => void;
  onRegister: () => void;
  inputRef?: RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<PatientSummary[]>([]);
  const [searched, setSearched] = useState('');
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string>();
  const seq = useRef(0);

  useEffect(() => {
    const query = text.trim();
    if (query.length < 2) {
      setResults([]);
      setSearched('');
      return;
    }
    const mine = ++seq.current;
    const handle = setTimeout(() => {
      void run(api().patients.search({ text: query, limit: 25 })).then((r) => {
        if (mine !== seq.current) return; // a later keystroke won
        if (r.ok) {
          setResults(r.value);
          setError(undefined);
        } else setError(r.error.message);
        setSearched(query);
        setActive(0);
      });
    }, DEBOUNCE_MS);
    return () => clearTimeout(handle);
  }, [text]);

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = results[active];
      if (chosen) onOpen(chosen.id);
    }
  }

  const activeId = results[active] ? `patient-option-${results[active].id}` : undefined;
  return (
    <section className="card" aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <div className="field">
        <label htmlFor="patient-search">{t('search.label')}</label>
        <input
          id="patient-search"
          ref={inputRef}
          className="search-input"
          type="search"
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls="patient-results"
          aria-activedescendant={activeId}
          aria-describedby="patient-search-hint"
          autoComplete="off"
          placeholder={t('search.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          autoFocus
        />
        <p id="patient-search-hint" className="field__hint">
          {t('search.hint')}
        </p>
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <p role="status" className="field__hint">
        {searched ? (results.length ? t('search.results', { count: results.length }) : t('search.noResults', { text: searched })) : ''}
      </p>
      <ul id="patient-results" role="listbox" aria-label={t('search.title')} className="results" hidden={results.length === 0}>
        {results.map((p, i) => (
          <li
            key={p.id}
            id={`patient-option-${p.id}`}
            role="option"
            aria-selected={i === active}
            onMouseEnter={() => setActive(i)}
            onClick={() => onOpen(p.id)}
          >
            <span className="results__name">
              {p.lastName}, {p.firstName}
              {p.middleName ? ` ${p.middleName}` : ''}
            </span>
            <span className="results__meta">{t('search.dob', { dob: p.dob })}</span>
            <span className="results__meta">{t('search.mrn', { mrn: p.mrn })}</span>
          </li>
        ))}
      </ul>
      <div className="btn-row">
        <button type="button" className="btn" onClick={onRegister}>
          {t('search.register')}
        </button>
      </div>
    </section>
  );
}
