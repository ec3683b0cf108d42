import { InFlight } from '../../../electron/services/app-services';
import { ApiFailure } from '../../../electron/services/errors';
import { latch } from './started-app';

// InFlight: quitting waits for calls in progress, and a mode switch runs alone.

const refusal = new ApiFailure('conflict', 'DoseDesk is switching to training mode right now, so nothing was changed.', { code: 'app.switching_mode' });

describe('InFlight.exclusive', () => {
  it('waits for the calls already running, refuses the ones that arrive meanwhile, and lets calls in again afterwards', async () => {
    const inFlight = new InFlight();
    const slow = latch();
    const order: string[] = [];
    const running = inFlight.track(async () => {
      await slow.promise;
      order.push('running call finished');
    });
    const alone = inFlight.exclusive(refusal, async () => {
      order.push('exclusive work');
    });
    await expect(inFlight.track(async () => order.push('late call'))).rejects.toBe(refusal);
    slow.open();
    await Promise.all([running, alone]);
    expect(order).toEqual(['running call finished', 'exclusive work']);
    await expect(inFlight.track(async () => 'after')).resolves.toBe('after');
  });

  it('called from inside a tracked call (the switch handler), it does not wait for itself', async () => {
    const inFlight = new InFlight();
    const result = await inFlight.track(() => inFlight.exclusive(refusal, async () => 'switched'));
    expect(result).toBe('switched');
    expect(inFlight.size).toBe(0);
  });

  it('a second switch while one runs is refused, and a failed one lets calls in again', async () => {
    const inFlight = new InFlight();
    const hold = latch();
    const first = inFlight.exclusive(refusal, async () => {
      await hold.promise;
      throw new Error('the other database could not be opened');
    });
    await expect(inFlight.exclusive(refusal, async () => 'second')).rejects.toMatchObject({ code: 'app.switching_mode' });
    hold.open();
    await expect(first).rejects.toThrow(/could not be opened/);
    await expect(inFlight.track(async () => 'after')).resolves.toBe('after');
  });

  it('quitting waits for a switch in progress', async () => {
    const inFlight = new InFlight();
    const hold = latch();
    let switched = false;
    const switching = inFlight.track(() =>
      inFlight.exclusive(refusal, async () => {
        await hold.promise;
        switched = true;
      }),
    );
    inFlight.close();
    const idle = inFlight.idle().then(() => switched);
    hold.open();
    await switching;
    expect(await idle).toBe(true);
  });
});
