import { en } from '../../../renderer/i18n/en';
import { es } from '../../../renderer/i18n/es';
import { pt } from '../../../renderer/i18n/pt';
import { getLocale, initialLocale, setLocale, t } from '../../../renderer/i18n';

afterEach(() => setLocale('en'));

describe('strings', () => {
  it('fills parameters and picks the plural form', () => {
    expect(t('search.noResults', { text: 'zz' })).toBe('No patient matches "zz".');
    expect(t('sync.waiting', { count: 1 })).toBe('1 dose waiting');
    expect(t('sync.waiting', { count: 4 })).toBe('4 doses waiting');
  });

  it('a translation is a file: Spanish where translated, English where not yet', () => {
    setLocale('es');
    expect(getLocale()).toBe('es');
    expect(t('dose.save')).toBe('Guardar dosis');
    expect(t('sync.waiting', { count: 2 })).toBe('2 dosis pendientes');
    expect(t('dose.scanHint')).toBe(en['dose.scanHint']);
  });

  it('translations only use keys the English catalog has, with the same parameters', () => {
    for (const catalog of [es, pt]) {
      for (const [key, value] of Object.entries(catalog)) {
        expect(Object.hasOwn(en, key), key).toBe(true);
        const params = (s: unknown) => JSON.stringify(s).match(/\{\w+\}/g)?.sort() ?? [];
        expect(params(value), key).toEqual(params(en[key as keyof typeof en]));
      }
    }
  });

  it('starts in the saved language, else the system language, else English', () => {
    expect(initialLocale('pt', 'es-US')).toBe('pt');
    expect(initialLocale(null, 'es-US')).toBe('es');
    expect(initialLocale('xx', 'fr-FR')).toBe('en');
  });
});
