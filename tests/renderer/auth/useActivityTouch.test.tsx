import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AppInfo, AuthStatus } from '../../../electron/api';
import { App } from '../../../renderer/src/app/App';
import { useActivityTouch } from '../../../renderer/src/auth/useActivityTouch';
import { installFakeApi, ok } from '../fake-api';

// Keyboard and mouse activity reaches the main process's idle clock, at most once a minute.

function Probe({ touch, now }: { touch: () => void; now: () => number }) {
  useActivityTouch(touch, { now });
  return <input aria-label="field" />;
}

describe('useActivityTouch', () => {
  it('touches on the first key, click, scroll or mouse move, then at most once per minute', () => {
    let t = 1_000_000;
    const touch = vi.fn();
    render(<Probe touch={touch} now={() => t} />);
    expect(touch).not.toHaveBeenCalled();
    fireEvent.keyDown(screen.getByLabelText('field'), { key: 'a' });
    expect(touch).toHaveBeenCalledTimes(1);
    t += 30_000;
    fireEvent.pointerDown(document.body);
    fireEvent.keyDown(document.body, { key: 'b' });
    fireEvent.pointerMove(document.body);
    expect(touch).toHaveBeenCalledTimes(1);
    t += 30_000;
    fireEvent.wheel(document.body);
    expect(touch).toHaveBeenCalledTimes(2);
    t += 59_999;
    fireEvent.pointerMove(document.body);
    expect(touch).toHaveBeenCalledTimes(2);
    t += 1;
    fireEvent.pointerDown(document.body);
    expect(touch).toHaveBeenCalledTimes(3);
  });

  it('stops listening when the workspace goes away (signed out or locked)', () => {
    const touch = vi.fn();
    const { unmount } = render(<Probe touch={touch} now={() => 0} />);
    unmount();
    fireEvent.keyDown(document.body, { key: 'a' });
    expect(touch).not.toHaveBeenCalled();
  });

  it('in the app, typing while signed in calls auth.touch', async () => {
    const INFO: AppInfo = { name: 'DoseDesk', version: '0.1.0', mode: 'training', configFile: { path: '/etc/dosedesk.json', found: false }, platform: 'linux' };
    const SIGNED_IN: AuthStatus = { state: 'signed_in', autoLockMinutes: 10, mode: 'training', user: { id: 'u1', username: 'dana', displayName: 'Dana Whitfield', role: 'clinician' } };
    const fake = installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ok(SIGNED_IN), 'auth.touch': () => ok(SIGNED_IN), 'patients.search': () => ok([]) });
    const user = userEvent.setup();
    render(<App />);
    await user.type(await screen.findByRole('combobox', { name: 'Name, date of birth or MRN' }), 'garcia');
    // Six keys within a minute: one touch.
    expect(fake.calls('auth.touch')).toHaveLength(1);
  });
});
