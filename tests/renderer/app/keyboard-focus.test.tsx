import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRef, useState } from 'react';
import type { AppInfo, AuthStatus } from '../../../electron/api';
import { App } from '../../../renderer/src/app/App';
import { holdsInput, trackUserInput } from '../../../renderer/src/app/unsaved-input';
import { firstUsefulControl } from '../../../renderer/src/app/useScreenFocus';
import { useEscapeToClose } from '../../../renderer/src/doses/useEscapeToClose';
import { installFakeApi, ok, PATIENT } from '../fake-api';

// Issue 12 item 7: where the keyboard lands after each screen change, what Escape and Ctrl+K
// do with a half-filled form, no lost keys after Ctrl+K or `/`, landmarks and `lang`.

const INFO: AppInfo = { name: 'DoseDesk', version: '0.1.0', mode: 'training', trainingBanner: 'Training mode: practice only.', configFile: { path: '/etc/dosedesk.json', found: false }, platform: 'linux' };
const SIGNED_IN: AuthStatus = { state: 'signed_in', autoLockMinutes: 10, mode: 'training', user: { id: 'u1', username: 'dana', displayName: 'Dana Whitfield', role: 'clinician' } };
const SEARCH = { name: 'Name, date of birth or MRN' };

function signedIn() {
  return installFakeApi({
    'app.info': () => ok(INFO),
    'auth.status': () => ok(SIGNED_IN),
    'auth.touch': () => ok(SIGNED_IN),
    'patients.search': () => ok([]),
    'patients.get': () => ok(PATIENT),
  });
}

afterEach(() => vi.restoreAllMocks());

describe('focus after a screen change', () => {
  it('lands in the new screen, not on the navigation button that opened it', async () => {
    signedIn();
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('combobox', SEARCH);
    await user.click(screen.getByRole('button', { name: 'Work queue' }));
    await screen.findByRole('heading', { name: 'Work queue' });
    await waitFor(() => expect(screen.getByRole('main')).toContainElement(document.activeElement as HTMLElement));
    await user.click(screen.getByRole('button', { name: 'Patients' }));
    await waitFor(() => expect(screen.getByRole('combobox', SEARCH)).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Register a new patient' }));
    await waitFor(() => expect(screen.getByLabelText(/^Last name/)).toHaveFocus());
  });

  it('prefers a control marked data-autofocus, and skips disabled and hidden ones', () => {
    const root = document.createElement('div');
    root.innerHTML = '<button disabled>a</button><div hidden><input id="h"></div><input id="first"><select id="marked" data-autofocus></select>';
    expect(firstUsefulControl(root)?.id).toBe('marked');
    root.querySelector('#marked')!.removeAttribute('data-autofocus');
    expect(firstUsefulControl(root)?.id).toBe('first');
  });
});

describe('Ctrl+K and /', () => {
  it('keeps the keys typed right after Ctrl+K or / from another screen', async () => {
    signedIn();
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('combobox', SEARCH);
    await user.click(screen.getByRole('button', { name: 'Lots' }));
    await screen.findByRole('heading', { name: 'Vaccine lots' });
    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard('{Control>}k{/Control}garc');
    expect(screen.getByRole('combobox', SEARCH)).toHaveValue('garc');
    await user.click(screen.getByRole('button', { name: 'Work queue' }));
    await screen.findByRole('heading', { name: 'Work queue' });
    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard('/maria');
    expect(screen.getByRole('combobox', SEARCH)).toHaveValue('maria');
    // A fast typist: the box has the keyboard before the shortcut's key event is over, and
    // nothing selects what was typed afterwards (the next key would replace it).
    await user.click(screen.getByRole('button', { name: 'Lots' }));
    await screen.findByRole('heading', { name: 'Vaccine lots' });
    (document.activeElement as HTMLElement | null)?.blur();
    const fast = userEvent.setup({ delay: null });
    await fast.keyboard('{Control>}k{/Control}gar');
    const box = screen.getByRole<HTMLInputElement>('combobox', SEARCH);
    await new Promise((r) => setTimeout(r, 20));
    expect(box).toHaveValue('gar');
    expect([box.selectionStart, box.selectionEnd]).toEqual([3, 3]);
    fireEvent.keyDown(document.body, { key: 'k', ctrlKey: true });
    expect(box).toHaveFocus();
  });

  it('asks before Ctrl+K throws away a half-filled form, and stays when the answer is no', async () => {
    signedIn();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('combobox', SEARCH);
    // Nothing typed yet: Ctrl+K leaves without a question.
    await user.click(screen.getByRole('button', { name: 'Register a new patient' }));
    await user.keyboard('{Control>}k{/Control}');
    await waitFor(() => expect(screen.getByRole('combobox', SEARCH)).toHaveFocus());
    expect(confirm).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Register a new patient' }));
    await user.type(await screen.findByLabelText(/^Last name/), 'Garcia');
    await user.keyboard('{Control>}k{/Control}');
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText(/^Last name/)).toHaveValue('Garcia');
    // The navigation asks the same question.
    await user.click(screen.getByRole('button', { name: 'Lots' }));
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(screen.getByLabelText(/^Last name/)).toHaveValue('Garcia');

    confirm.mockReturnValue(true);
    await user.keyboard('{Control>}k{/Control}');
    await waitFor(() => expect(screen.getByRole('combobox', SEARCH)).toHaveFocus());
  });
});

describe('landmarks and language', () => {
  it('puts the start-up failure message inside a landmark', async () => {
    installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ({ ok: false, error: { kind: 'internal', message: 'Main did not answer.' } }) });
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Main did not answer.');
    expect(alert.closest('main')).not.toBeNull();
  });

  it('puts the training banner and the shortcut line in landmarks, and sets lang from the chosen language', async () => {
    signedIn();
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('combobox', SEARCH);
    expect(screen.getByRole('complementary', { name: 'Training mode' })).toHaveTextContent('Training mode: practice only.');
    expect(screen.getByRole('complementary', { name: 'Keyboard shortcuts' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Language'), 'pt');
    expect(document.documentElement.lang).toBe('pt');
    await user.selectOptions(screen.getByLabelText('Idioma'), 'en');
    expect(document.documentElement.lang).toBe('en');
  });
});

function EscapeForm({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLFormElement>(null);
  const [v, setV] = useState('');
  useEscapeToClose(ref, onClose);
  return (
    <form ref={ref}>
      <label htmlFor="lot">Lot</label>
      <input id="lot" value={v} onChange={(e) => setV(e.target.value)} />
      <input aria-label="picker" aria-expanded="true" readOnly />
    </form>
  );
}

describe('Escape in the dose form', () => {
  it('closes an untouched form at once, asks when it holds input, and leaves an open list alone', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const closed: number[] = [];
    const user = userEvent.setup();
    render(<EscapeForm onClose={() => closed.push(1)} />);
    await user.click(screen.getByLabelText('Lot'));
    await user.keyboard('{Escape}');
    expect(closed).toHaveLength(1);
    expect(confirm).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText('Lot'), 'TDP');
    await user.keyboard('{Escape}');
    expect(confirm).toHaveBeenCalledWith('Close the dose form and discard what was entered?');
    expect(closed).toHaveLength(1);
    confirm.mockReturnValue(true);
    await user.keyboard('{Escape}');
    expect(closed).toHaveLength(2);

    // Escape on an open list closes the list only.
    await user.click(screen.getByLabelText('picker'));
    await user.keyboard('{Escape}');
    expect(closed).toHaveLength(2);
  });

  it('does not count what was typed and then erased, or what the app filled in', async () => {
    trackUserInput();
    const user = userEvent.setup();
    render(<EscapeForm onClose={() => undefined} />);
    const form = screen.getByLabelText('Lot').closest('form');
    await user.type(screen.getByLabelText('Lot'), 'AB');
    expect(holdsInput(form)).toBe(true);
    await user.clear(screen.getByLabelText('Lot'));
    expect(holdsInput(form)).toBe(false);
  });

  it('does not count filters: a checkbox outside a form, or a form marked data-no-unsaved', async () => {
    trackUserInput();
    const user = userEvent.setup();
    render(
      <div data-testid="root">
        <input type="checkbox" aria-label="Show deactivated" />
        <form data-no-unsaved>
          <label htmlFor="group">Group</label>
          <input id="group" />
        </form>
      </div>,
    );
    await user.click(screen.getByLabelText('Show deactivated'));
    await user.type(screen.getByLabelText('Group'), 'MMR');
    expect(holdsInput(screen.getByTestId('root'))).toBe(false);
  });
});

