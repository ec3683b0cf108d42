import { t } from '../../i18n';

// What a person has typed and not saved, without each form having to report it. A field counts
// once the person changed it (an input or change event) and its value still differs from what
// it held when they first focused it; values the app fills in (defaults, a picked lot) never
// count, nor do filters outside a form. Leaving a screen or closing a form asks before
// throwing such input away.

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const initial = new WeakMap<Field, string>();
const touched = new Set<Field>();
let installed = false;

function isField(el: EventTarget | null): el is Field {
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

function valueOf(el: Field): string {
  if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) return String(el.checked);
  return el.value;
}

/** Work lives in forms; filters (a checkbox above a table, a form marked data-no-unsaved) and search boxes hold none. */
function ignored(el: Field): boolean {
  if (el instanceof HTMLInputElement && (el.type === 'search' || el.type === 'password')) return true;
  return el.closest('form') === null || el.closest('[data-no-unsaved]') !== null;
}

/** Starts watching the document (once; later calls do nothing). */
export function trackUserInput(doc: Document = document): void {
  if (installed) return;
  installed = true;
  doc.addEventListener(
    'focusin',
    (e) => {
      if (isField(e.target) && !initial.has(e.target)) initial.set(e.target, valueOf(e.target));
    },
    true,
  );
  const mark = (e: Event) => {
    const el = e.target;
    if (!isField(el) || ignored(el)) return;
    // A change without a focus first (a label click on a checkbox): it held the other value.
    if (!initial.has(el)) initial.set(el, el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') ? String(!el.checked) : '');
    touched.add(el);
  };
  doc.addEventListener('input', mark, true);
  doc.addEventListener('change', mark, true);
}

/** Whether `root` holds a field the person changed and has not saved (or cleared back). */
export function holdsInput(root: Element | null | undefined): boolean {
  if (!root) return false;
  for (const el of [...touched]) {
    if (!el.isConnected) {
      touched.delete(el);
      continue;
    }
    if (root.contains(el) && valueOf(el) !== initial.get(el)) return true;
  }
  return false;
}

/** Forgets what was typed inside `root` (after it was saved, or the person chose to discard it). */
export function forgetInput(root: Element | null | undefined): void {
  if (!root) return;
  for (const el of [...touched]) if (!el.isConnected || root.contains(el)) touched.delete(el);
}

/** Asks before `root`'s unsaved input is thrown away; true when there is none or the person agrees. */
export function mayDiscard(root: Element | null | undefined, question: string = t('app.discardConfirm')): boolean {
  if (!holdsInput(root)) return true;
  const agreed = window.confirm(question);
  if (agreed) forgetInput(root);
  return agreed;
}
