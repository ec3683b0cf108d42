// Cross-checks a message against @medplum/core's independent HL7 parser: every value of every
// field, repetition, component and subcomponent must agree once Medplum's raw text is unescaped
// (Medplum does not decode escape sequences).
import { Hl7Message as MedplumMessage } from '@medplum/core';
import { unescapeHl7 } from '../../../sync/hl7/encoding';
import { parseMessage } from '../../../sync/hl7/message';

export interface Disagreement {
  where: string;
  ours: string;
  theirs: string;
}

export function compareWithMedplum(text: string): { compared: number; disagreements: Disagreement[] } {
  const ours = parseMessage(text);
  const theirs = MedplumMessage.parse(text);
  const theirSegments = theirs.segments.filter((s) => s.name !== '');
  const disagreements: Disagreement[] = [];
  let compared = 0;
  if (theirSegments.length !== ours.segments.length) {
    disagreements.push({ where: 'segment count', ours: String(ours.segments.length), theirs: String(theirSegments.length) });
  }
  ours.segments.forEach((seg, i) => {
    const t = theirSegments[i];
    if (!t || t.name !== seg.name) {
      disagreements.push({ where: `segment ${i + 1}`, ours: seg.name, theirs: t?.name ?? '(none)' });
      return;
    }
    for (let n = seg.name === 'MSH' ? 3 : 1; n <= seg.length; n++) {
      const tf = t.getField(n);
      seg.field(n).forEach((rep, r) => {
        rep.forEach((comp, c) => {
          comp.forEach((sub, s) => {
            const raw = tf && r < tf.components.length ? tf.getComponent(c + 1, comp.length > 1 ? s : undefined, r) : '';
            const theirsValue = unescapeHl7(raw);
            compared++;
            if (theirsValue !== sub) disagreements.push({ where: `${seg.name}[${i + 1}]-${n}~${r + 1}.${c + 1}.${s + 1}`, ours: sub, theirs: theirsValue });
          });
        });
      });
    }
  });
  return { compared, disagreements };
}
