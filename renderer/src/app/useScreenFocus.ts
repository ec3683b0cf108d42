import { useEffect, type RefObject } from 'react';

// Keeps the keyboard somewhere useful. After every screen change, and whenever the focused
// element disappears (a form saved and closed, a registration that opened the chart), focus
// goes to the first useful control of the main area: one marked `data-autofocus`, else the
// first enabled field or button. A screen that focused something itself is left alone. The
// new screen may still be loading, so a few tries are made (bounded) until it has a control.

const CONTROLS = 'input:not([type="hidden"]), select, textarea, button, a[href], [tabindex]:not([tabindex="-1"])';
const TRIES = 40;
const TRY_EVERY_MS = 50;

function usable(el: HTMLElement): boolean {
  return !(el as HTMLInputElement).disabled && el.closest('[hidden], [aria-hidden="true"], [inert]') === null;
}

/** The control a person most likely wants next on this screen. */
export function firstUsefulControl(root: Element): HTMLElement | undefined {
  // A marked wrapper (a composite field) stands for its first control.
  for (const marked of Array.from(root.querySelectorAll<HTMLElement>('[data-autofocus]'))) {
    const control = marked.matches(CONTROLS) ? marked : Array.from(marked.querySelectorAll<HTMLElement>(CONTROLS)).find(usable);
    if (control && usable(control)) return control;
  }
  return Array.from(root.querySelectorAll<HTMLElement>(CONTROLS)).find(usable);
}

function focusIsLost(main: HTMLElement): boolean {
  const active = document.activeElement;
  return !active || active === document.body || active === main || !active.isConnected;
}

/** Focuses the first useful control once the screen has one, unless focus is already inside it. */
function focusWhenReady(main: HTMLElement, shouldMove: () => boolean): () => void {
  let tries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = () => {
    timer = undefined;
    if (!main.isConnected || !shouldMove()) return;
    const target = firstUsefulControl(main);
    if (target) {
      target.focus();
      return;
    }
    if (++tries < TRIES) timer = setTimeout(attempt, TRY_EVERY_MS);
  };
  timer = setTimeout(attempt, 0);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
  };
}

export function useScreenFocus(mainRef: RefObject<HTMLElement | null>, screenKey: string): void {
  // A new screen: move the keyboard into it unless it already took focus itself.
  useEffect(() => {
    const main = mainRef.current;
    if (!main) return;
    return focusWhenReady(main, () => !main.contains(document.activeElement) || document.activeElement === main);
  }, [mainRef, screenKey]);

  // The focused control went away with the part of the screen that held it.
  useEffect(() => {
    const main = mainRef.current;
    if (!main) return;
    let last: Element | null = null;
    let cancel: (() => void) | undefined;
    const onFocusIn = (e: FocusEvent) => {
      last = e.target as Element | null;
    };
    const observer = new MutationObserver(() => {
      if (!last || last.isConnected) return;
      if (!focusIsLost(main)) return;
      last = null;
      cancel?.();
      cancel = focusWhenReady(main, () => focusIsLost(main));
    });
    document.addEventListener('focusin', onFocusIn);
    observer.observe(main, { childList: true, subtree: true });
    return () => {
      cancel?.();
      observer.disconnect();
      document.removeEventListener('focusin', onFocusIn);
    };
  }, [mainRef]);
}
