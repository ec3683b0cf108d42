import { ClockWatch } from '../../../sync/engine/clock-watch';
import { storeProblem } from '../../../sync/engine/store-trouble';
import { MAX_TIMER_MS, boundedTimers, timerDelay } from '../../../sync/engine/timing';
import { StoreError } from '../../../electron/store/errors';

// The engine's guards around time and failures, on their own.

describe('timer delays', () => {
  it('are never NaN, negative or beyond what setTimeout can hold', () => {
    expect(timerDelay(Number.NaN)).toBe(0);
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(1_500)).toBe(1_500);
    expect(timerDelay(40 * 24 * 3600_000)).toBe(MAX_TIMER_MS);
    expect(timerDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    const asked: number[] = [];
    const t = boundedTimers({ setTimeout: (_fn, ms) => asked.push(ms), clearTimeout: () => undefined });
    for (const ms of [Number.NaN, -1, 2 ** 40]) t.setTimeout(() => undefined, ms);
    expect(asked).toEqual([0, 0, MAX_TIMER_MS]);
  });
});

describe('clock watch', () => {
  it('reports a jump of the wall clock against monotonic time, not drift within tolerance', () => {
    let wall = 1_000_000;
    let mono = 5;
    const w = new ClockWatch(() => wall, () => mono, 2_000);
    mono += 60_000;
    wall += 60_000 + 1_500;
    expect(w.drift()).toBe(0);
    wall -= 3 * 24 * 3600_000;
    expect(w.drift()).toBe(-3 * 24 * 3600_000 + 1_500);
    w.accept();
    expect(w.drift()).toBe(0);
    wall = Number.NaN;
    expect(w.drift()).toBe(0);
  });
});

describe('store problems', () => {
  it('name the cause in the code and say what to do', () => {
    const at = '2026-11-20T15:00:00.000Z';
    const full = storeProblem(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), at);
    expect(full).toMatchObject({ code: 'store_disk_full', at });
    expect(full.message).toMatch(/disk is full.*Free some disk space.*resumes by itself.*SQLITE_FULL/);
    expect(storeProblem(new StoreError('read_only', 'x', { code: 'SQLITE_READONLY' }), at).code).toBe('store_read_only');
    expect(storeProblem(new StoreError('io', 'x', { code: 'SQLITE_IOERR_WRITE' }), at).code).toBe('store_io');
    expect(storeProblem(new StoreError('corrupt', 'x'), at).message).toMatch(/Do not delete/);
    expect(storeProblem(new StoreError('constraint', 'duplicate'), at).code).toBe('store_constraint');
    expect(storeProblem(new TypeError('undefined is not a function'), at)).toMatchObject({ code: 'engine_error', message: expect.stringMatching(/undefined is not a function/) });
  });
});
