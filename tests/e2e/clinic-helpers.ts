import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2eEnv } from './harness';

// Steps the scenarios share, written the way staff work: keyboard first. `Keys` counts every
// key a person would press (one per typed character, one per chord).

export class Keys {
  count = 0;
  constructor(private readonly page: Page) {}

  async type(text: string): Promise<void> {
    this.count += text.length;
    await this.page.keyboard.type(text);
  }

  async press(key: string): Promise<void> {
    this.count += 1;
    await this.page.keyboard.press(key);
  }
}

export const ADMIN = { displayName: 'Dana Whitfield', username: 'dana', password: 'correct horse battery' };

export async function firstRunThenSignIn(env: E2eEnv): Promise<void> {
  const { page } = env;
  await page.getByRole('heading', { name: 'Set up DoseDesk' }).waitFor();
  await expect.poll(() => page.getByTestId('training-banner').isVisible()).toBe(true);
  const keys = new Keys(page);
  // Focus starts in the first field; Tab walks the form in order.
  await keys.type(ADMIN.displayName);
  await keys.press('Tab');
  await keys.type(ADMIN.username);
  await keys.press('Tab');
  await keys.type(ADMIN.password);
  await keys.press('Tab');
  await keys.type(ADMIN.password);
  await keys.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await env.shot('01-sign-in');
  await keys.type(ADMIN.username);
  await keys.press('Tab');
  await keys.type(ADMIN.password);
  await keys.press('Enter');
  await page.getByRole('heading', { name: 'Find a patient' }).waitFor();
}

export interface Seeded {
  clinicianId: string;
  lots: Record<string, string>;
}

/** What an administrator sets up once: a clinician and the lots in the fridge (through the API). */
export async function seedClinic(env: E2eEnv, lots: { cvx: string; mvx: string; lotNumber: string; ndc?: string; doses?: number; expirationDate?: string }[]): Promise<Seeded> {
  const signIn = await env.call('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  expect(signIn.ok, JSON.stringify(signIn)).toBe(true);
  const clinician = await env.call('clinicians.create', { clinician: { firstName: 'Rosa', lastName: 'Medeiros', credential: 'RN', npi: '1234567893', canAdminister: true } });
  if (!clinician.ok) throw new Error(`seeding the clinician failed: ${JSON.stringify(clinician.error)}`);
  const ids: Record<string, string> = {};
  for (const lot of lots) {
    const r = await env.call('lots.receive', {
      lot: {
        cvx: lot.cvx,
        mvx: lot.mvx,
        lotNumber: lot.lotNumber,
        ...(lot.ndc ? { ndc: lot.ndc } : {}),
        expirationDate: lot.expirationDate ?? '2027-12-31',
        dosesOnHand: lot.doses ?? 20,
        fundingSource: 'PHC70',
        doseVolumeMl: 0.5,
      },
    });
    if (!r.ok) throw new Error(`seeding lot ${lot.lotNumber} failed: ${JSON.stringify(r.error)}`);
    ids[lot.lotNumber] = r.value.id;
  }
  return { clinicianId: clinician.value.id, lots: ids };
}

export interface NewPatient {
  lastName: string;
  firstName: string;
  dob: string;
  mrn: string;
  sex: 'F' | 'M' | 'U';
  /** Race checkbox labels to tick. */
  races?: string[];
}

/** Registers through the form; returns once the chart is open. */
export async function registerPatient(env: E2eEnv, p: NewPatient, opts: { expectDuplicate?: boolean } = {}): Promise<void> {
  const { page } = env;
  await page.keyboard.press('/');
  await page.getByRole('button', { name: 'Register a new patient' }).click();
  await page.getByRole('heading', { name: 'Register a patient' }).waitFor();
  await page.getByLabel('Last name').fill(p.lastName);
  await page.getByLabel('First name').fill(p.firstName);
  await page.getByLabel('Date of birth').fill(p.dob);
  await page.getByLabel('Medical record number (MRN)').fill(p.mrn);
  await page.getByLabel('Sex').selectOption(p.sex);
  await page.getByLabel('Gender identity').selectOption(p.sex === 'F' ? 'female' : p.sex === 'M' ? 'male' : 'unknown');
  await page.getByLabel('Ethnicity').selectOption('2186-5');
  await page.getByLabel('Preferred language').selectOption('por');
  for (const race of p.races ?? ['White']) await page.getByLabel(race, { exact: true }).check();
  await page.getByLabel('Street address').fill('41 Sumner Street');
  await page.getByLabel('City', { exact: true }).fill('Fall River');
  await page.getByLabel('ZIP code').fill('02720');
  await page.getByLabel('Phone').fill('508-555-0142');
  await page.getByRole('button', { name: 'Register patient' }).click();
  if (opts.expectDuplicate) return;
  await page.getByRole('heading', { name: 'Immunization history' }).waitFor();
}

/** `/`, the name, Enter: the chart of a known patient. Returns the keys pressed. */
export async function openPatient(page: Page, keys: Keys, query: string, expectName: string): Promise<void> {
  await keys.press('/');
  await searchFocused(page);
  await keys.type(query);
  await page.getByRole('option', { name: new RegExp(expectName) }).first().waitFor();
  await keys.press('Enter');
  await page.getByRole('heading', { name: 'Immunization history' }).waitFor();
}

export function historyRow(page: Page, index = 0) {
  return page.getByTestId('dose-history').locator('tbody tr').nth(index);
}

/** Waits until the chart shows the dose's reporting state (pushed by the sync engine). */
export async function waitForState(page: Page, state: string, index = 0, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    ([i, s]) => document.querySelectorAll('[data-testid="dose-history"] tbody tr')[i as number]?.getAttribute('data-state') === s,
    [index, state] as const,
    { timeout: timeoutMs },
  );
}

/** The search box has the keyboard (after `/`, the view switches before focus moves). */
export async function searchFocused(page: Page): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.id === 'patient-search');
}
