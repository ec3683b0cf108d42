import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createSoapTransport, massachusettsPreset } from '../../../sync/transport';
import { sampleVxu } from '../../../sync/sim';

// `node --import tsx` rather than `npx tsx`: one process, so SIGTERM reaches the simulator
// itself and its exit code is what the test sees.
const run = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', 'sync/sim/cli.ts', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });

describe('registry-sim command line', () => {
  it('starts on a free port, prints its URL, answers a VXU and stops on SIGTERM', async () => {
    const child = run(['--port', '0', '--user', 'site:s3cret', '--quirk', 'medlar', '--no-connectivity-test']);
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s; stderr: ${err}`)), 60_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/soap/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}; stderr: ${err}`)));
      });
      // Dates relative to today, since the command-line simulator runs on the real clock.
      const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
      const t = createSoapTransport(massachusettsPreset({ url, facilityId: '10144', username: 'site', password: 's3cret' }));
      try {
        const outcome = await t.submit(sampleVxu({ controlId: 'CLI1', doseId: 'D1', administeredOn: today }));
        expect(outcome.kind === 'delivered' && outcome.ackSegments[1]).toBe('MSA|AA|CLI1');
        expect(await t.checkConnection()).toMatchObject({ ok: true });
      } finally {
        t.dispose();
      }
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(out).toMatch(/SIGTERM: stopping\. \d+ requests, 2 messages \(AA 1, AE 0, AR 1\), 1 doses held, 0 duplicates/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('knows only the sending facilities given with --facility', async () => {
    const child = run(['--port', '0', '--facility', 'PIN1001']);
    let out = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no URL printed within 60 s')), 60_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/soap/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const t = createSoapTransport(massachusettsPreset({ url, facilityId: '10144', username: 'dosedesk', password: 'training' }));
      try {
        const outcome = await t.submit(sampleVxu({ controlId: 'CLI2', doseId: 'D1', facility: 'PIN9999' }));
        expect(outcome.kind === 'delivered' && outcome.ackSegments.slice(1, 3).map((s) => s.slice(0, 14))).toEqual(['MSA|AR|CLI2', 'ERR||MSH^1^4|2']);
      } finally {
        t.dispose();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a fault rate outside 0..1', async () => {
    const child = run(['--proxy-auth-rate', '2']);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('--proxy-auth-rate must be a number between 0 and 1');
  });

  it('refuses unknown options with usage', async () => {
    const child = run(['--quirk', 'durian']);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('Unknown quirk "durian"');
  });
});
