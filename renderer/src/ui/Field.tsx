import { type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { t } from '../../i18n';

// Labelled form controls: the label is tied to the control, the hint and the error are read
// with it (aria-describedby), and an error sets aria-invalid so it is announced, not only red.

interface FieldShell {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** Hint and error under a field; their ids are what `describedBy` points the input at. */
function FieldMessages({ id, hint, error }: Pick<FieldShell, 'id' | 'hint' | 'error'>) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

function Frame({ id, label, error, hint, required, children }: FieldShell & { children: ReactNode }) {
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="field__required"> ({t('form.required')})</span> : null}
      </label>
      {children}
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

type TextFieldProps = FieldShell &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> & {
    value: string;
    onValue: (value: string) => void;
    inputRef?: Ref<HTMLInputElement>;
  };

export function TextField({ id, label, error, hint, required, value, onValue, inputRef, ...rest }: TextFieldProps) {
  return (
    <Frame id={id} label={label} error={error} hint={hint} required={required}>
      <input
        {...rest}
        id={id}
        ref={inputRef}
        value={value}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue(e.target.value)}
      />
    </Frame>
  );
}

type TextAreaFieldProps = FieldShell &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'onChange' | 'value'> & {
    value: string;
    onValue: (value: string) => void;
    textareaRef?: Ref<HTMLTextAreaElement>;
  };

export function TextAreaField({ id, label, error, hint, required, value, onValue, textareaRef, ...rest }: TextAreaFieldProps) {
  return (
    <Frame id={id} label={label} error={error} hint={hint} required={required}>
      <textarea
        {...rest}
        id={id}
        ref={textareaRef}
        value={value}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue(e.target.value)}
      />
    </Frame>
  );
}

export interface Option {
  value: string;
  label: string;
}

type SelectFieldProps = FieldShell &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange' | 'value'> & {
    value: string;
    onValue: (value: string) => void;
    options: readonly Option[];
    /** Label of the empty choice; omit to have no empty choice. */
    placeholder?: string;
    selectRef?: Ref<HTMLSelectElement>;
  };

export function SelectField({ id, label, error, hint, required, value, onValue, options, placeholder, selectRef, ...rest }: SelectFieldProps) {
  return (
    <Frame id={id} label={label} error={error} hint={hint} required={required}>
      <select
        {...rest}
        id={id}
        ref={selectRef}
        value={value}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue(e.target.value)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export function CheckboxField({
  id,
  label,
  checked,
  onChecked,
  hint,
  error,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: string;
  error?: string;
}) {
  return (
    <div className={`field field--check${error ? ' field--error' : ''}`}>
      <input
        type="checkbox"
        id={id}
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChecked(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
