import { useEffect, useRef, type RefObject } from 'react';
import { t } from '../../i18n';
import { mayDiscard, trackUserInput } from '../app/unsaved-input';

// Escape closes the dose form, as it closes a dialog; when the person has typed or picked
// something it asks first, so a stray Escape never throws a dose away. An Escape that a field
// used for itself (closing the vaccine list, a native picker) is left alone.

export function useEscapeToClose(formRef: RefObject<HTMLElement | null>, onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    trackUserInput();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
      const form = formRef.current;
      const target = e.target as HTMLElement | null;
      if (!form || !target) return;
      if (!form.contains(target) && target !== document.body) return;
      if (target.getAttribute('aria-expanded') === 'true') return;
      e.preventDefault();
      if (mayDiscard(form, t('dose.discardConfirm'))) close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [formRef]);
}
