import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstRunThenSignIn, historyRow, Keys, openPatient, registerPatient, searchFocused, seedClinic, waitForState } from './clinic-helpers';
import { chromiumAvailable, SHOT_DIR, startEnv, type E2eEnv } from './harness';

// The clinic workflow end to end: the built renderer in Chromium, the real handler table over
// a real store, the sync engine reporting to the registry simulator on 127.0.0.1.

const TDAP_LOT = { cvx: '115', mvx: 'SKB', lotNumber: 'TDP7731', ndc: '58160-0842-01' };
const SHINGRIX_LOT = { cvx: '187', mvx: 'SKB', lotNumber: 'SHX42A', ndc: '58160-0828-03' };
const HEPB_LOT = { cvx: '08', mvx: 'MSD', lotNumber: 'HBP2231' };

/** A calendar date `days` before the clinic's today (the app forecasts as of its own today). */
function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

let env: E2eEnv | undefined;
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await env?.shot(`failed-${ctx.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
  await env?.close();
  env = undefined;
});

const HAVE_CHROMIUM = chromiumAvailable();
if (!HAVE_CHROMIUM) console.warn('[e2e] /usr/bin/chromium is missing: install it with `apt-get install -y chromium`.');

describe.skipIf(!HAVE_CHROMIUM)('clinic workflow in Chromium', () => {
  it('first run → sign in → register → record a dose from the keyboard → accepted', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, [TDAP_LOT]);
    await registerPatient(env, { lastName: 'Garcia', firstName: 'Maria', dob: '1988-03-14', mrn: 'FR-10045', sex: 'F' });
    await env.shot('02-chart-new-patient');

    // Timed: from the key that opens a known patient to "Saved" on screen.
    const keys = new Keys(page);
    await keys.press('/');
    await searchFocused(page);
    await keys.type('maria garc');
    await page.getByRole('option', { name: /Garcia, Maria/ }).waitFor();
    const started = performance.now();
    const keysBeforeOpen = keys.count;
    await keys.press('Enter');
    await page.getByRole('heading', { name: 'Immunization history' }).waitFor();
    await keys.press('n');
    await page.getByLabel('Vaccine', { exact: false }).first().waitFor();
    await keys.type('tdap');
    await keys.press('Enter');
    await expect.poll(() => page.getByTestId('vaccine-chosen').textContent()).toContain('CVX 115');
    // The single Tdap lot in the fridge is picked and fills the label's data.
    await expect.poll(() => page.getByLabel('Lot number').inputValue()).toBe(TDAP_LOT.lotNumber);
    await env.shot('03-dose-form-filled');
    await keys.press('Enter');
    await page.getByTestId('dose-saved').waitFor();
    const elapsedMs = performance.now() - started;
    const doseKeys = keys.count - keysBeforeOpen;
    await env.shot('04-dose-saved');

    await waitForState(page, 'accepted');
    await expect.poll(() => historyRow(page).textContent()).toContain('Accepted by MIIS');
    await expect.poll(() => page.getByTestId('sync-waiting').textContent()).toBe('Nothing waiting');
    await env.shot('05-dose-accepted');
    expect(env.simulator.sim!.accepted().length).toBe(1);

    const figures = { keysFromOpenToSaved: doseKeys, keysIncludingSearch: keys.count, msFromOpenToSaved: Math.round(elapsedMs) };
    writeFileSync(join(SHOT_DIR, 'keyboard-figures.json'), JSON.stringify(figures, null, 2));
    console.log('[e2e] keyboard figures', figures);
    expect(doseKeys).toBeLessThanOrEqual(10);
  });

  it('registry down: the dose waits, the bar says so, and it is accepted when the registry is back', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, [TDAP_LOT]);
    await registerPatient(env, { lastName: 'Nguyen', firstName: 'Linh', dob: '1975-09-02', mrn: 'FR-20311', sex: 'M', races: ['Asian'] });

    // Registering the same name and date of birth again warns before creating a duplicate.
    await registerPatient(env, { lastName: 'Nguyen', firstName: 'Linh', dob: '1975-09-02', mrn: 'FR-99999', sex: 'M', races: ['Asian'] }, { expectDuplicate: true });
    await page.getByTestId('duplicate-warning').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Open Linh Nguyen');
    await env.shot('06-duplicate-warning');
    await page.getByRole('button', { name: /Open Linh Nguyen/ }).click();
    await page.getByRole('heading', { name: 'Immunization history' }).waitFor();
    const search = await env.call('patients.search', { text: 'nguyen' });
    expect(search.ok && search.value.length).toBe(1);

    await env.simulator.down();
    const keys = new Keys(page);
    await keys.press('n');
    await keys.type('tdap');
    await keys.press('Enter');
    await expect.poll(() => page.getByLabel('Lot number').inputValue()).toBe(TDAP_LOT.lotNumber);
    await keys.press('Enter');
    await page.getByTestId('dose-saved').waitFor();
    // Saved locally (committed), not reported: the chart and the bar both say it waits.
    await page.waitForFunction(() => document.querySelector('[data-testid="sync-state"]')?.getAttribute('data-state') === 'waiting_for_network', undefined, { timeout: 30_000 });
    await waitForState(page, 'waiting');
    await expect.poll(() => page.getByTestId('sync-waiting').textContent()).toBe('1 dose waiting');
    await expect.poll(() => historyRow(page).textContent()).toContain('waiting to send');
    await env.shot('07-registry-down-dose-waiting');
    expect(env.store.outbox.stats().pending).toBe(1);

    await env.simulator.up(env.simPort);
    await waitForState(page, 'accepted');
    await expect.poll(() => page.getByTestId('sync-state').getAttribute('data-state')).toBe('idle');
    await env.shot('08-registry-back-dose-accepted');
    expect(env.simulator.sim!.accepted().length).toBe(1);
  });

  it('a patient who declined race and ethnicity is reported to a registry that refuses null flavours', async () => {
    // This registry refuses any race code outside CDCREC (AIRA "fig"), ASKU included: declined
    // is kept on the chart and sent as an empty PID-10 / PID-22, which the guide allows (RE).
    env = await startEnv({ quirks: ['fig'] });
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, [TDAP_LOT]);
    await registerPatient(env, { lastName: 'Oliveira', firstName: 'Joana', dob: '1990-01-20', mrn: 'FR-30007', sex: 'F', races: ['Asked, declined to answer'] });
    const keys = new Keys(page);
    await keys.press('n');
    await keys.type('tdap');
    await keys.press('Enter');
    await expect.poll(() => page.getByLabel('Lot number').inputValue()).toBe(TDAP_LOT.lotNumber);
    await keys.press('Enter');
    await page.getByTestId('dose-saved').waitFor();
    await waitForState(page, 'accepted');
    await env.shot('09-declined-race-accepted');
    const held = env.simulator.sim!.accepted();
    expect(held.length).toBe(1);
    const search = await env.call('patients.search', { text: 'oliveira' });
    const chart = search.ok ? await env.call('patients.get', { id: search.value[0]!.id }) : undefined;
    expect(chart?.ok && chart.value.races).toEqual(['ASKU']);
  });

  it('a barcode scan on the dose form fills vaccine, NDC, lot and expiry from the vial', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, [TDAP_LOT, { ...SHINGRIX_LOT, expirationDate: '2027-06-30' }]);
    await registerPatient(env, { lastName: 'Souza', firstName: 'Antonio', dob: '1956-05-11', mrn: 'FR-40412', sex: 'M' });
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'Record a dose' }).waitFor();
    // The wedge types the DataMatrix as keystrokes: (01) GTIN, (17) expiry, (10) lot, GS, (21) serial, Enter.
    await page.keyboard.type('01103581608280311727063010SHX42A<GS>21ABC123');
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-note').waitFor();
    await expect.poll(() => page.getByTestId('scan-note').textContent()).toContain('58160-0828-03');
    await expect.poll(() => page.getByTestId('vaccine-chosen').textContent()).toContain('CVX 187');
    await expect.poll(() => page.getByLabel('Lot number').inputValue()).toBe('SHX42A');
    await expect.poll(() => page.getByLabel('Expiration date').inputValue()).toBe('2027-06-30');
    await expect.poll(() => page.getByLabel('NDC').inputValue()).toBe('58160-0828-03');
    // The scanned lot is the one in the fridge: picked from inventory.
    await expect.poll(() => page.locator('#dose-lot').inputValue()).not.toBe('');
    await expect.poll(() => page.locator('#dose-vaccine').inputValue()).not.toContain('0110358');
    await env.shot('12-barcode-scanned');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('dose-saved').waitFor();
    await waitForState(page, 'accepted');
    await env.shot('13-scanned-dose-accepted');
    const held = env.simulator.sim!.accepted();
    expect(held.length).toBe(1);

    // The fridge after the dose: one Shingrix dose fewer.
    await page.getByRole('button', { name: 'Lots' }).click();
    const lots = page.getByTestId('lots');
    await lots.waitFor();
    await expect.poll(() => lots.locator('tr[data-lot="SHX42A"]').textContent()).toContain('19');
    await env.shot('14-lots');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'MIIS connection' }).waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('.notice').first().waitFor();
    await env.shot('15-settings');
  });

  it('the chart shows what is due for an infant with history; a due dose is given from it; recall finds the rest', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, [HEPB_LOT]);
    // Four months old, with the hepatitis B birth dose from the hospital on record.
    const dob = daysAgo(130);
    const created = await env.call('patients.create', {
      patient: {
        mrn: 'FR-50001', lastName: 'Pereira', firstName: 'Lucas', dob, sex: 'M', genderIdentity: 'male', races: ['2106-3'], ethnicity: '2186-5',
        preferredLanguage: 'por', address: { street1: '41 Sumner Street', city: 'Fall River', state: 'MA', zip: '02720' },
        guardians: [{ lastName: 'Pereira', firstName: 'Ana', relationship: 'MTH', phone: '508-555-0142' }],
      },
    });
    if (!created.ok || !created.value.created) throw new Error(`registering the infant failed: ${JSON.stringify(created)}`);
    const birthDose = await env.call('doses.record', { dose: { patientId: created.value.patient.id, kind: 'historical', cvx: '08', administeredOn: dob, historicalSource: '01' } });
    expect(birthDose.ok, JSON.stringify(birthDose)).toBe(true);

    await openPatient(page, new Keys(page), 'pereira lu', 'Pereira, Lucas');
    const due = page.getByTestId('due-list');
    await due.waitFor();
    const hepB = due.locator('tr[data-group="HepB"]');
    await expect.poll(() => hepB.getAttribute('data-bucket')).toBe('overdue');
    await expect.poll(() => hepB.textContent()).toContain('Dose 2');
    await expect.poll(() => due.locator('tr[data-group="DTaP/Tdap/Td"]').getAttribute('data-bucket')).toBe('overdue');
    await expect.poll(() => page.getByTestId('due-panel').textContent()).toMatch(/\d+ overdue/);
    await env.shot('16-chart-due-panel');

    // "Give HepB": the form opens with the vaccine chosen and the only HepB lot picked.
    await hepB.getByRole('button', { name: 'Give HepB' }).click();
    await expect.poll(() => page.getByTestId('vaccine-chosen').textContent()).toContain('CVX 08');
    await expect.poll(() => page.getByLabel('Lot number').inputValue()).toBe(HEPB_LOT.lotNumber);
    // A child's dose needs the VFC eligibility screening (privately insured here).
    await page.getByLabel('VFC eligibility').selectOption('V01');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('dose-saved').waitFor();
    await due.waitFor();
    await expect.poll(() => due.locator('tr[data-group="HepB"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('not-due').textContent()).toContain('HepB');
    await env.shot('17-chart-due-after-dose');

    // The recall list still has him for the 2-month vaccines he missed; his name opens the chart.
    await page.getByRole('button', { name: 'Recall' }).click();
    const recall = page.getByTestId('recall-list');
    await recall.waitFor();
    const row = recall.locator(`tr[data-patient-id="${created.value.patient.id}"]`);
    await expect.poll(() => row.count()).toBeGreaterThan(0);
    await expect.poll(() => recall.textContent()).toContain('DTaP/Tdap/Td');
    await expect.poll(async () => (await row.allTextContents()).join(' ')).not.toContain('HepB');
    await env.shot('18-recall-list');
    await row.first().getByRole('button', { name: 'Pereira, Lucas' }).click();
    await page.getByRole('heading', { name: 'Immunization history' }).waitFor();
    await page.getByTestId('due-panel').waitFor();
    await expect.poll(() => page.getByTestId('chart-guardians').textContent()).toContain('Ana Pereira (Mother)');

    // Given to the wrong twin: deleted with a reason; hepatitis B is overdue again.
    await waitForState(page, 'accepted', 1);
    await page.getByRole('button', { name: `Delete the Hep B, adolescent or pediatric dose of ${daysAgo(0)}` }).click();
    await page.getByLabel('Why is this dose being deleted?').fill('Given to his twin brother; recorded on the wrong chart');
    await env.shot('19-delete-dose-question');
    await page.getByRole('button', { name: 'Delete dose' }).click();
    await expect.poll(() => page.getByTestId('dose-deleted').textContent()).toContain('reported to MIIS');
    await expect.poll(() => page.getByTestId('due-list').locator('tr[data-group="HepB"]').getAttribute('data-bucket')).toBe('overdue');
    await expect.poll(() => page.getByTestId('dose-history').locator('tbody tr').count()).toBe(1);
    const trail = env.store.audit.list({ limit: 50 }).map((a) => a.action);
    expect(trail).toEqual(expect.arrayContaining(['patient.forecast', 'patient.recall_list', 'dose.delete']));

    // N: the vaccine picker starts with what is due for him.
    await page.keyboard.press('n');
    const dueChoices = page.getByTestId('due-vaccines');
    await dueChoices.waitFor();
    await expect.poll(() => dueChoices.textContent()).toContain('Hep B, adolescent or pediatric');
    await env.shot('20-dose-form-due-vaccines');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // His mother is on the patient form, where she can be changed or removed.
    await page.getByRole('button', { name: 'Edit patient' }).click();
    const guardians = page.getByTestId('guardians');
    await guardians.scrollIntoViewIfNeeded();
    await expect.poll(() => guardians.getByLabel("Guardian's first name").inputValue()).toBe('Ana');
    await env.shot('21-patient-form-guardians');
  });
});
