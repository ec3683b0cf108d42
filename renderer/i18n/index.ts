import { en, type Catalog, type MessageKey, type Plural } from './en';
import { es } from './es';
import { pt } from './pt';

// `t(key, params)`: the one way the UI gets text. The current locale is module state (the app
// shows one language at a time); `I18nProvider` re-renders the tree when it changes.

export type { MessageKey };
export const LOCALES = { en: 'English', es: 'Español', pt: 'Português' } as const;
export type Locale = keyof typeof LOCALES;

const catalogs: Record<Locale, Catalog> = { en, es, pt };
let current: Locale = 'en';

export type Params = Record<string, string | number>;

export function setLocale(locale: Locale): void {
  current = locale;
}

export function getLocale(): Locale {
  return current;
}

export function isLocale(value: string | null | undefined): value is Locale {
  return value !== null && value !== undefined && Object.hasOwn(LOCALES, value);
}

/** The locale to start with: the saved choice, else the system language, else English. */
export function initialLocale(saved: string | null, systemLanguage: string | undefined): Locale {
  if (isLocale(saved)) return saved;
  const base = (systemLanguage ?? '').slice(0, 2).toLowerCase();
  return isLocale(base) ? base : 'en';
}

function interpolate(text: string, params: Params | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Whether the catalogue has this key: for texts keyed by a code from the main process. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function t(key: MessageKey, params?: Params): string {
  const value: string | Plural = (catalogs[current][key] as string | Plural | undefined) ?? en[key];
  if (typeof value === 'string') return interpolate(value, params);
  const count = Number(params?.count ?? 0);
  const form = new Intl.PluralRules(current).select(count) === 'one' ? value.one : value.other;
  return interpolate(form, params);
}
