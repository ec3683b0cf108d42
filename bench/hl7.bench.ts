// HL7 codec throughput: building VXUs, and parsing the same messages with our parser and with
// @medplum/core's (the independent parser the tests cross-check against), side by side.
import { Hl7Message as MedplumMessage } from '@medplum/core';
import { type BenchSuite, round } from './harness';
import { buildVxu } from '../sync/hl7/vxu';
import { parseMessage } from '../sync/hl7/message';
import { administered, child, historical, legacyVis, patient, refusal, vxuInput } from '../tests/sync/hl7/fixtures';
import type { VxuInput } from '../sync/hl7/types';

function inputs(n: number): VxuInput[] {
  const patients = [patient, child];
  const doses = [administered, legacyVis, historical, refusal];
  const out: VxuInput[] = [];
  for (let i = 0; i < n; i++) {
    const p = patients[i % patients.length]!;
    out.push(
      vxuInput({
        patient: { ...p, mrn: `MRN-${i}`, lastName: i % 7 === 0 ? `O'Brien-Smith|${i}^` : `${p.lastName}${i}` },
        dose: { ...doses[i % doses.length]!, id: `DOSE-${i}` },
        messageControlId: `DD-${i}`,
      }),
    );
  }
  return out;
}

/** Messages per second of the best of `rounds` runs over all messages. */
function throughput(messages: string[], rounds: number, parse: (text: string) => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const m of messages) if (parse(m)) sink++;
    best = Math.min(best, performance.now() - t0);
  }
  if (sink === 0) throw new Error('parser returned nothing');
  return (messages.length / best) * 1000;
}

const suite: BenchSuite = {
  name: 'hl7',
  async run(ctx) {
    const n = Math.max(500, Math.round(10_000 * ctx.scale));
    const data = inputs(n);
    buildVxu(data[0]!); // warm the code-table indexes outside the timing

    let bestBuildMs = Number.POSITIVE_INFINITY;
    let messages: string[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      messages = data.map(buildVxu);
      bestBuildMs = Math.min(bestBuildMs, performance.now() - t0);
    }
    const buildPerS = (n / bestBuildMs) * 1000;
    ctx.log(`built ${n} VXUs in ${round(bestBuildMs, 1)} ms (best of 3), ${round(messages.reduce((a, m) => a + m.length, 0) / n, 0)} bytes each`);

    // Interleave the two parsers so that both see the same machine state.
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < 3; r++) {
      ours.push(throughput(messages, 2, (m) => parseMessage(m).segments.length));
      theirs.push(throughput(messages, 2, (m) => MedplumMessage.parse(m).segments.length));
    }
    const oursPerS = Math.max(...ours);
    const theirsPerS = Math.max(...theirs);
    ctx.log(`parse: ours ${round(oursPerS, 0)}/s (decodes escapes), @medplum/core ${round(theirsPerS, 0)}/s (raw text), ratio ${round(oursPerS / theirsPerS, 2)}`);
    return [
      { name: 'hl7.build.per_s', value: round(buildPerS, 0), unit: 'messages/s' },
      { name: 'hl7.parse.per_s', value: round(oursPerS, 0), unit: 'messages/s' },
      { name: 'hl7.parse.ratio_vs_independent', value: round(oursPerS / theirsPerS, 3), unit: 'x' },
    ];
  },
};

export default suite;
