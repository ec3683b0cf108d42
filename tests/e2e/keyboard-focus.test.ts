import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { firstRunThenSignIn, registerPatient, seedClinic } from './clinic-helpers';
import { chromiumAvailable, startEnv, type E2eEnv } from './harness';

// Issue 12 items 6–8 in the real renderer: where the keyboard is after registering, after
// Saved and after Escape; Escape asking before it discards input; Ctrl+K keeping the keys
// typed straight after it; `lang` following the language; a carton scan on the Lots screen;
// and the Due panel of an adult with a COVID-19 lot in the fridge.

const TDAP_LOT = { cvx: '115', mvx: 'SKB', lotNumber: 'TDP7731', ndc: '58160-0842-01' };
const COVID_LOT = { cvx: '312', mvx: 'MOD', lotNumber: 'MOD3321' };

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

let env: E2eEnv | undefined;
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await env?.shot(`failed-keyboard-${ctx.task.name.slice(0, 30).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
  await env?.close();
  env = undefined;
});

describe.skipIf(!chromiumAvailable())('keyboard and focus in Chromium', () => {
  it('keeps the keyboard on a useful control through register, Escape, Saved and Ctrl+K', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, [TDAP_LOT, COVID_LOT]);
    await registerPatient(env, { lastName: 'Garcia', firstName: 'Maria', dob: '1988-03-14', mrn: 'FR-10045', sex: 'F' });
    // Registered: the chart opens with the keyboard on "Record a dose", not lost on the page.
    await expect.poll(() => activeId(page)).toBe('record-dose');

    // The adult's Due panel: no child-schedule dose numbers; COVID-19 names the stocked vaccine.
    const due = page.getByTestId('due-list');
    await due.waitFor();
    await expect.poll(() => due.textContent()).not.toMatch(/Dose [5-9]\b|DTaP/);
    const covid = due.locator('tr[data-group="COVID-19"]');
    await expect.poll(() => covid.textContent()).toMatch(/in stock/);
    expect(await covid.getByRole('button', { name: 'Give COVID-19' }).count()).toBe(1);

    // Escape on an untouched dose form closes it at once; focus comes back to the chart.
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'Record a dose' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Record a dose' }).waitFor({ state: 'detached' });
    await expect.poll(() => activeId(page)).toBe('record-dose');

    // With a vaccine picked, Escape asks; "no" keeps the form and what it holds.
    const questions: string[] = [];
    let answer = false;
    page.on('dialog', (d) => {
      questions.push(d.message());
      void (answer ? d.accept() : d.dismiss());
    });
    await page.keyboard.press('n');
    await page.keyboard.type('tdap');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Lot number').inputValue()).toBe(TDAP_LOT.lotNumber);
    await page.keyboard.press('Escape');
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toBe('Close the dose form and discard what was entered?');
    expect(await page.getByRole('heading', { name: 'Record a dose' }).count()).toBe(1);

    // Saved: the form goes away and the keyboard is on the chart again.
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('dose-saved').waitFor();
    await expect.poll(() => activeId(page)).toBe('record-dose');

    // A half-filled form: Ctrl+K asks; yes goes to search and the next keys all land there.
    await page.keyboard.press('n');
    await page.keyboard.type('flu');
    answer = true;
    await page.keyboard.press('Control+k');
    await page.keyboard.type('garc', { delay: 0 });
    await expect.poll(() => questions.length).toBe(2);
    await expect.poll(() => page.locator('#patient-search').inputValue()).toBe('garc');

    await page.getByLabel('Language').selectOption('es');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await page.getByLabel('Idioma').selectOption('en');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('a carton scan on the Lots screen fills the lot, which is then received', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await page.getByRole('navigation').getByRole('button', { name: 'Lots' }).click();
    await page.getByRole('heading', { name: 'Receive a lot' }).waitFor();
    await expect.poll(() => activeId(page)).toBe('dose-vaccine');
    // Shingrix carton, lot SHX42A, expires 2049-06-30, as a keyboard wedge types it.
    await page.keyboard.type('01103581608280311749063010SHX42A', { delay: 0 });
    await page.keyboard.press('Enter');
    await page.getByTestId('lot-scan-note').waitFor();
    expect(await page.getByLabel('Lot number').inputValue()).toBe('SHX42A');
    expect(await page.getByLabel('Expiration date').inputValue()).toBe('2049-06-30');
    expect(await page.getByTestId('vaccine-chosen').textContent()).toContain('CVX 187');
    await page.getByLabel('Doses received').fill('10');
    await page.getByRole('button', { name: 'Receive a lot' }).click();
    await page.getByText('Lot SHX42A saved.').waitFor();
    await expect.poll(() => page.getByTestId('lots').locator('tr[data-lot="SHX42A"]').count()).toBe(1);
  });
});
