// Notices when someone moves the system clock (by hand, a dead CMOS battery, a VM restore): the
// wall clock then jumps against monotonic time, which only ever runs forward at one pace. Small
// differences between two readings are noise and NTP slewing, not a jump.

export class ClockWatch {
  private offset: number;

  constructor(
    private readonly wallMs: () => number,
    private readonly monoMs: () => number,
    private readonly toleranceMs: number,
  ) {
    this.offset = wallMs() - monoMs();
  }

  /** How far the wall clock moved against monotonic time since the last accept(); 0 within tolerance. */
  drift(): number {
    const delta = this.wallMs() - this.monoMs() - this.offset;
    return Number.isFinite(delta) && Math.abs(delta) > this.toleranceMs ? delta : 0;
  }

  /** Takes the current offset as the new normal (after acting on a drift). */
  accept(): void {
    const offset = this.wallMs() - this.monoMs();
    if (Number.isFinite(offset)) this.offset = offset;
  }
}
