import { en } from '../../../renderer/i18n/en';
import { es } from '../../../renderer/i18n/es';
import { pt } from '../../../renderer/i18n/pt';
import { UNTRANSLATED } from './untranslated';

// Every string the staff UI shows exists in Spanish and Portuguese, except the keys still
// listed in untranslated.ts; that list may only shrink.

describe('translations', () => {
  for (const [name, catalog] of [['es', es], ['pt', pt]] as const) {
    it(`${name}: a key the English catalogue has is translated unless it is on the shrinking list`, () => {
      const listed = new Set(UNTRANSLATED[name]);
      const missing = Object.keys(en).filter((k) => !Object.hasOwn(catalog, k));
      expect(missing.filter((k) => !listed.has(k)), 'translate these keys').toEqual([]);
    });

    it(`${name}: the list names only keys that still need a translation`, () => {
      const stale = UNTRANSLATED[name].filter((k) => !Object.hasOwn(en, k) || Object.hasOwn(catalog, k));
      expect(stale, 'remove these from untranslated.ts').toEqual([]);
    });
  }
});
