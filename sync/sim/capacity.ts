import http from 'node:http';
import { buildSubmitSingleMessageRequest, soapContentType } from '../transport/soap-envelope';
import { sampleVxu } from './sample-vxu';

// How many messages per second the simulator itself can take, with its current latency and
// faults: the ceiling a sync-engine benchmark is measured against.

export interface CapacityOptions {
  url: string;
  /** Requests in flight at once. */
  concurrency: number;
  /** Messages to send in total. */
  count: number;
  username?: string;
  password?: string;
  credentialPlacement?: 'wsse' | 'body';
  /** Per-request limit, so that injected timeouts count as failures instead of hanging (default 30 s). */
  timeoutMs?: number;
  /** Distinguishes control IDs between runs so that nothing is answered as a resend. */
  runId?: string;
}

export interface CapacityResult {
  messages: number;
  /** Requests that did not come back HTTP 200. */
  failures: number;
  elapsedMs: number;
  messagesPerSecond: number;
}

function post(agent: http.Agent, url: URL, body: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': soapContentType('submitSingleMessage'), 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.setTimeout(timeoutMs, () => req.destroy());
    req.end(body);
  });
}

export async function measureSimulatorCapacity(o: CapacityOptions): Promise<CapacityResult> {
  const url = new URL(o.url);
  if (url.protocol !== 'http:') throw new Error('measureSimulatorCapacity talks to the local simulator over http only.');
  const runId = o.runId ?? `CAP${Date.now().toString(36)}`;
  const envelopes = Array.from({ length: o.count }, (_, i) =>
    buildSubmitSingleMessageRequest({
      username: o.username ?? 'dosedesk',
      password: o.password ?? 'training',
      facilityId: '10144',
      credentialPlacement: o.credentialPlacement ?? 'wsse',
      hl7Message: sampleVxu({ controlId: `${runId}-${i}`, doseId: `${runId}-D${i}`, patientId: `${runId}-P${i % 997}` }),
    }),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, o.concurrency) });
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < envelopes.length) {
      const body = envelopes[next++] as string;
      if ((await post(agent, url, body, o.timeoutMs ?? 30_000)) !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.count)) }, worker));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { messages: o.count, failures, elapsedMs, messagesPerSecond: elapsedMs > 0 ? (o.count * 1000) / elapsedMs : 0 };
}
