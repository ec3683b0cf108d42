import { parseArgs } from 'node:util';
import { isLoopbackHost } from '../transport/settings';
import { type FaultSettings } from './faults';
import { isQuirkName, QUIRKS, type QuirkName } from './quirks';
import { startRegistrySimulator, type SimulatorOptions, type SimulatorUser } from './simulator';

// npm run registry-sim -- --port 8089 --latency 50-200 --http503-rate 0.05 --record ./received

const USAGE = `Usage: npm run registry-sim -- [options]
  --port N                 port (default 0: any free port)
  --host ADDR              listen address (default 127.0.0.1)
  --path /soap             service path
  --user name:password     an account (repeatable; default dosedesk:training)
  --credentials MODE       wsse | body | either (default either)
  --base64                 hl7Message and return are Base64 (older MIIS connector)
  --no-connectivity-test   answer connectivityTest with UnsupportedOperationFault (as MIIS)
  --quirk NAME             registry quirk (repeatable): ${Object.keys(QUIRKS).join(', ')}
  --warnings-as AE|AA      ACK code for warnings only (default AE)
  --ack-segment-end E      cr | lf | crlf | raw-cr (default cr)
  --latency MS|MIN-MAX     delay before each answer
  --seed N                 seed for random faults
  --drop-rate R  --timeout-rate R  --http500-rate R  --http503-rate R  --http429-rate R
  --retry-after S          Retry-After seconds sent with 503/429
  --security-fault-rate R  --too-large-rate R  --unknown-fault-rate R  --unsupported-op-rate R
  --malformed-rate R  --non-hl7-rate R  --lost-ack-rate R
  --http400-rate R  --http406-rate R  --proxy-auth-rate R  --http408-rate R   (a firewall, gateway or proxy)
  --captive-redirect-rate R  --captive-page-rate R                         (guest Wi-Fi not signed in)
  --commit-ack-rate R  --oversized-rate R                                  (CA only; an answer over 10 MiB)
  --facility PIN           a registered sending facility (MSH-4; repeatable; default: any)
  --record DIR             write every received message to DIR
`;

function rate(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--${name} must be a number between 0 and 1, got "${v}".`);
  return n;
}

function parseOptions(argv: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      path: { type: 'string' },
      user: { type: 'string', multiple: true },
      credentials: { type: 'string' },
      base64: { type: 'boolean' },
      'no-connectivity-test': { type: 'boolean' },
      quirk: { type: 'string', multiple: true },
      'warnings-as': { type: 'string' },
      'ack-segment-end': { type: 'string' },
      latency: { type: 'string' },
      seed: { type: 'string' },
      'drop-rate': { type: 'string' },
      'timeout-rate': { type: 'string' },
      'http500-rate': { type: 'string' },
      'http503-rate': { type: 'string' },
      'http429-rate': { type: 'string' },
      'retry-after': { type: 'string' },
      'security-fault-rate': { type: 'string' },
      'too-large-rate': { type: 'string' },
      'unknown-fault-rate': { type: 'string' },
      'unsupported-op-rate': { type: 'string' },
      'malformed-rate': { type: 'string' },
      'non-hl7-rate': { type: 'string' },
      'lost-ack-rate': { type: 'string' },
      'http400-rate': { type: 'string' },
      'http406-rate': { type: 'string' },
      'proxy-auth-rate': { type: 'string' },
      'http408-rate': { type: 'string' },
      'captive-redirect-rate': { type: 'string' },
      'captive-page-rate': { type: 'string' },
      'commit-ack-rate': { type: 'string' },
      'oversized-rate': { type: 'string' },
      facility: { type: 'string', multiple: true },
      record: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const users: SimulatorUser[] | undefined = values.user?.map((u) => {
    const i = u.indexOf(':');
    if (i <= 0) throw new Error(`--user must be name:password, got "${u}".`);
    return { username: u.slice(0, i), password: u.slice(i + 1) };
  });
  const quirks: QuirkName[] = (values.quirk ?? []).map((q) => {
    if (!isQuirkName(q)) throw new Error(`Unknown quirk "${q}"; known: ${Object.keys(QUIRKS).join(', ')}.`);
    return q;
  });
  let latencyMs: FaultSettings['latencyMs'];
  if (values.latency !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(values.latency);
    if (!m) throw new Error(`--latency must be MS or MIN-MAX, got "${values.latency}".`);
    latencyMs = m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
  }
  const faults: FaultSettings = {
    latencyMs,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    dropConnectionRate: rate(values['drop-rate'], 'drop-rate'),
    timeoutRate: rate(values['timeout-rate'], 'timeout-rate'),
    http500Rate: rate(values['http500-rate'], 'http500-rate'),
    http503Rate: rate(values['http503-rate'], 'http503-rate'),
    http429Rate: rate(values['http429-rate'], 'http429-rate'),
    retryAfterSeconds: values['retry-after'] === undefined ? undefined : Number(values['retry-after']),
    securityFaultRate: rate(values['security-fault-rate'], 'security-fault-rate'),
    messageTooLargeFaultRate: rate(values['too-large-rate'], 'too-large-rate'),
    unknownFaultRate: rate(values['unknown-fault-rate'], 'unknown-fault-rate'),
    unsupportedOperationFaultRate: rate(values['unsupported-op-rate'], 'unsupported-op-rate'),
    malformedEnvelopeRate: rate(values['malformed-rate'], 'malformed-rate'),
    nonHl7ReturnRate: rate(values['non-hl7-rate'], 'non-hl7-rate'),
    lostAckRate: rate(values['lost-ack-rate'], 'lost-ack-rate'),
    http400Rate: rate(values['http400-rate'], 'http400-rate'),
    http406Rate: rate(values['http406-rate'], 'http406-rate'),
    http407Rate: rate(values['proxy-auth-rate'], 'proxy-auth-rate'),
    http408Rate: rate(values['http408-rate'], 'http408-rate'),
    captivePortalRedirectRate: rate(values['captive-redirect-rate'], 'captive-redirect-rate'),
    captivePortalPageRate: rate(values['captive-page-rate'], 'captive-page-rate'),
    commitAckRate: rate(values['commit-ack-rate'], 'commit-ack-rate'),
    oversizedAnswerRate: rate(values['oversized-rate'], 'oversized-rate'),
  };
  const credentials = values.credentials ?? 'either';
  if (credentials !== 'wsse' && credentials !== 'body' && credentials !== 'either') throw new Error(`--credentials must be wsse, body or either.`);
  const warningsAs = values['warnings-as'] ?? 'AE';
  if (warningsAs !== 'AE' && warningsAs !== 'AA') throw new Error('--warnings-as must be AE or AA.');
  const ackEnd = values['ack-segment-end'] ?? 'cr';
  if (ackEnd !== 'cr' && ackEnd !== 'lf' && ackEnd !== 'crlf' && ackEnd !== 'raw-cr') throw new Error('--ack-segment-end must be cr, lf, crlf or raw-cr.');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}".`);
  return {
    host: values.host ?? '127.0.0.1',
    port,
    path: values.path,
    users,
    credentialPlacement: credentials,
    payloadEncoding: values.base64 ? 'base64' : 'plain',
    connectivityTestSupported: !values['no-connectivity-test'],
    quirks,
    faults,
    recordDir: values.record,
    warningsAs,
    ackSegmentEnd: ackEnd,
    registeredFacilities: values.facility,
  };
}

async function main(): Promise<void> {
  let options: SimulatorOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.host && !isLoopbackHost(options.host)) {
    process.stderr.write(`Warning: listening on ${options.host} serves plain http beyond this machine; use it only with test data.\n`);
  }
  const sim = await startRegistrySimulator(options);
  process.stdout.write(`Registry simulator listening at ${sim.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const s = sim.stats;
    process.stdout.write(`${signal}: stopping. ${s.requests} requests, ${s.processed} messages (AA ${s.acks.AA}, AE ${s.acks.AE}, AR ${s.acks.AR}), ${s.held} doses held, ${s.duplicates} duplicates.\n`);
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
