import { createSoapTransport, type SoapTransport } from '../../../sync/transport';
import { simulatorEndpointSettings, startRegistrySimulator, type RegistrySimulator, type SimulatorOptions } from '../../../sync/sim';

export const FIXED_NOW = () => new Date('2025-10-20T12:00:00Z');

/** Sets field n of the first (or given) occurrence of a segment in raw HL7 text. */
export function setField(hl7: string, segment: string, n: number, value: string, occurrence = 1): string {
  let seen = 0;
  return hl7
    .split('\r')
    .map((line) => {
      if (!line.startsWith(`${segment}|`) || ++seen !== occurrence) return line;
      const parts = line.split('|');
      const i = segment === 'MSH' ? n - 1 : n;
      while (parts.length <= i) parts.push('');
      parts[i] = value;
      return parts.join('|');
    })
    .join('\r');
}

export function dropSegment(hl7: string, segment: string): string {
  return hl7
    .split('\r')
    .filter((l) => !l.startsWith(`${segment}|`))
    .join('\r');
}

export interface Ack {
  code: string;
  /** ERR segments as `location|code|severity|text`. */
  errs: string[];
  text: string;
}

export class SimHarness {
  private constructor(
    readonly sim: RegistrySimulator,
    readonly transport: SoapTransport,
  ) {}

  static async start(o: SimulatorOptions = {}): Promise<SimHarness> {
    const sim = await startRegistrySimulator({ now: FIXED_NOW, ...o });
    // The same settings training mode uses: Massachusetts variant, default account.
    const transport = createSoapTransport(simulatorEndpointSettings(sim, '10144'));
    return new SimHarness(sim, transport);
  }

  async send(hl7: string): Promise<Ack> {
    const out = await this.transport.submit(hl7);
    if (out.kind !== 'delivered') throw new Error(`not delivered: ${out.reason}`);
    const msa = out.ackSegments.find((s) => s.startsWith('MSA'))?.split('|') ?? [];
    const errs = out.ackSegments
      .filter((s) => s.startsWith('ERR'))
      .map((s) => {
        const f = s.split('|');
        return [f[2], f[3]?.split('^')[0], f[4], f[8]].join('|');
      });
    return { code: msa[1] ?? '', errs, text: out.ackText };
  }

  async stop(): Promise<void> {
    this.transport.dispose();
    await this.sim.stop();
  }
}
