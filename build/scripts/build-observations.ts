// Turns the observation list of CDC's CDSi ScheduleSupportingData.xml into the catalogue the
// chart's condition picker searches: CDSi's code, title and the plain-language indication,
// contraindication and clarifying texts, with the SNOMED / CDCPHINVS codes CDC maps them to
// (the CDCPHINVS ones are what the HL7 guide sends in OBX for contraindications and immunity).
//   npx tsx build/scripts/build-observations.ts [ScheduleSupportingData.xml] [out-file]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { ObservationCatalogue, ObservationEntry } from '../../electron/domain/forecast/observation-catalogue';

const HERE = dirname(new URL(import.meta.url).pathname);
const DEFAULT_SRC = resolve(HERE, '../sources/cdsi/supporting-data-4.64-xml/ScheduleSupportingData.xml');
const DEFAULT_OUT = resolve(HERE, '../../assets/cdsi/cdsi-observations.json');

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'observation' || name === 'codedValue',
});

function text(node: Node, key: string): string | undefined {
  const v = node[key];
  if (typeof v !== 'string') return undefined;
  const t = v.replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t;
}

function entry(o: Node): ObservationEntry | undefined {
  const code = text(o, 'observationCode');
  const title = text(o, 'observationTitle');
  if (!code || !title) return undefined;
  const out: ObservationEntry = { code, title };
  const indication = text(o, 'indicationText');
  const contraindication = text(o, 'contraindicationText');
  const clarifying = text(o, 'clarifyingText');
  if (indication) out.indication = indication;
  if (contraindication) out.contraindication = contraindication;
  if (clarifying) out.clarifying = clarifying;
  const coded = o.codedValues && typeof o.codedValues === 'object' ? ((o.codedValues as Node).codedValue as Node[] | undefined) : undefined;
  const codes = (coded ?? []).flatMap((c) => {
    const value = text(c, 'code');
    const system = text(c, 'codeSystem');
    return value && system ? [{ code: value, system, text: text(c, 'text') ?? '' }] : [];
  });
  if (codes.length > 0) out.codedValues = codes;
  return out;
}

export function buildObservations(file = DEFAULT_SRC): ObservationCatalogue {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read CDC's schedule supporting data at ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const root = (parser.parse(xml) as Node).scheduleSupportingData as Node | undefined;
  const list = ((root?.observations as Node | undefined)?.observation as Node[] | undefined) ?? [];
  if (list.length === 0) throw new Error(`${file} has no <observation> list: is it CDC's ScheduleSupportingData.xml?`);
  return { source: 'CDC CDSi ScheduleSupportingData.xml (build/sources/README.md)', observations: list.flatMap((o) => entry(o) ?? []) };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const out = process.argv[3] ?? DEFAULT_OUT;
  const built = buildObservations(process.argv[2]);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(built, null, 1)}\n`);
  console.log(`${built.observations.length} observations -> ${out}`);
}
