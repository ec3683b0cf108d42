import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { firstRunThenSignIn, registerPatient, seedClinic } from './clinic-helpers';
import { chromiumAvailable, startEnv, type E2eEnv } from './harness';

// Every main screen checked with axe-core in the real renderer: a nurse on a screen reader or
// the keyboard meets the same app. Anything of moderate impact or worse fails the run; each
// violation is listed with the rule, its help text and the offending elements so the fix is
// obvious from the log.

// Evaluated through the DevTools protocol: the app's CSP (script-src 'self') rightly refuses a script tag.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['moderate', 'serious', 'critical']);

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

async function axeFindings(page: Page): Promise<Finding[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Runs axe on the current screen; returns the blocking findings, labelled with the screen. */
async function check(page: Page, screen: string, found: string[]): Promise<void> {
  const findings = (await axeFindings(page)).filter((f) => f.impact !== null && BLOCKING.has(f.impact));
  for (const f of findings) found.push(`${screen}: [${f.impact}] ${f.id} — ${f.help} — ${f.targets.slice(0, 5).join(' | ')}`);
}

let env: E2eEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe.skipIf(!chromiumAvailable())('accessibility of the main screens (axe-core)', () => {
  it('finds nothing of moderate impact or worse', async () => {
    env = await startEnv();
    const { page } = env;
    const found: string[] = [];

    await page.getByRole('heading', { name: 'Set up DoseDesk' }).waitFor();
    await check(page, 'first run', found);
    await firstRunThenSignIn(env);
    await check(page, 'patient search', found);

    await seedClinic(env, [{ cvx: '115', mvx: 'SKB', lotNumber: 'TDP7731', ndc: '58160-0842-01' }]);
    await page.keyboard.press('/');
    await page.getByRole('button', { name: 'Register a new patient' }).click();
    await page.getByRole('heading', { name: 'Register a patient' }).waitFor();
    await check(page, 'register', found);
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('button', { name: 'Register patient' }).waitFor();
    await check(page, 'register with errors', found);
    await page.getByRole('navigation').getByRole('button', { name: 'Patients' }).click();

    await registerPatient(env, { lastName: 'Garcia', firstName: 'Maria', dob: '1958-03-14', mrn: 'FR-10045', sex: 'F' });
    await check(page, 'chart', found);
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'Record a dose' }).waitFor();
    await check(page, 'dose form', found);
    await page.keyboard.type('tdap');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Lot number').inputValue()).toBe('TDP7731');
    await page.keyboard.press('Enter');
    await page.getByTestId('dose-saved').waitFor();
    await check(page, 'dose saved', found);

    for (const [nav, heading] of [
      ['Work queue', 'Work queue'],
      ['Recall', 'Recall'],
      ['Lots', 'Lots'],
      ['Settings', 'Settings'],
    ] as const) {
      await page.getByRole('navigation').getByRole('button', { name: nav }).click();
      await page.getByRole('heading', { name: heading, exact: false }).first().waitFor();
      await check(page, nav.toLowerCase(), found);
    }

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await check(page, 'sign in', found);

    if (found.length) console.log(`[e2e axe] ${found.length} finding(s):\n${found.join('\n')}`);
    expect(found).toEqual([]);
  });
});
