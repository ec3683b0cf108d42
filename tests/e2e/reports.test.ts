import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { firstRunThenSignIn, seedClinic } from './clinic-helpers';
import { chromiumAvailable, startEnv, type E2eEnv } from './harness';

// The manager's reports, end to end: two doses recorded today, then each of the four reports
// run over this month on the Reports screen, and the doses-given tables exported as CSV.

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

let env: E2eEnv | undefined;
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await env?.shot(`failed-${ctx.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
  await env?.close();
  env = undefined;
});

describe.skipIf(!chromiumAvailable())('clinic reports in Chromium', () => {
  it('runs the four reports over this month and exports the doses given as CSV', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    const seeded = await seedClinic(env, [{ cvx: '08', mvx: 'MSD', lotNumber: 'HB-E2E', doses: 10 }]);
    const day = today();
    for (const [mrn, dob] of [['R-1', '2015-02-03'], ['R-2', '1950-06-07']] as const) {
      const p = await env.call('patients.create', {
        patient: { mrn, lastName: 'Report', firstName: mrn, dob, sex: 'F', genderIdentity: 'female', races: ['2106-3'], ethnicity: '2186-5', preferredLanguage: 'eng', address: { street1: '1 Main St', city: 'Boston', state: 'MA', zip: '02118' } },
      });
      if (!p.ok || !p.value.created) throw new Error(JSON.stringify(p));
      const d = await env.call('doses.record', {
        dose: {
          patientId: p.value.patient.id, kind: 'administered', cvx: '08', lotId: seeded.lots['HB-E2E'], administeredOn: day, amountMl: 0.5, route: 'C28161', site: 'LD',
          administeringClinicianId: seeded.clinicianId, vfcEligibility: 'V01', vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: day }],
        },
      });
      expect(d.ok, JSON.stringify(d)).toBe(true);
    }

    await page.getByRole('button', { name: 'Reports' }).click();
    await page.getByLabel('To (date)').fill(day);
    await page.getByLabel('From (date)').fill(`${day.slice(0, 7)}-01`);
    await page.getByRole('button', { name: 'Run report' }).click();
    const vaccines = page.locator('table.report-table').filter({ hasText: 'By vaccine and age group' });
    await expect.poll(() => vaccines.textContent()).toContain('CVX 08');
    const totalRow = vaccines.locator('tbody tr').last();
    // One child of 7–18 and one adult of 65 or over: total 2.
    expect(await totalRow.locator('td').allTextContents()).toEqual(['Total', '0', '0', '1', '0', '1', '2']);
    await env.shot('40-report-doses-given');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain('Vaccine,Under 1 year,1–6 years,7–18 years,19–64 years,65 years and over,Total\r\nCVX 08,0,0,1,0,1,2\r\n');
    expect(csv).toContain('PHC70,2');

    await page.getByLabel('Report', { exact: true }).selectOption('compliance');
    await page.getByRole('button', { name: 'Run report' }).click();
    await expect.poll(() => page.locator('table.report-table').first().textContent()).toContain('Within 72 h');
    await page.getByLabel('Report', { exact: true }).selectOption('lotUsage');
    await page.getByRole('button', { name: 'Run report' }).click();
    const lotRow = page.locator('table.report-table tbody tr').filter({ hasText: 'HB-E2E' });
    await expect.poll(() => lotRow.locator('td').allTextContents()).toEqual(['HB-E2E', 'CVX 08', '2027-12-31', '10', '2', '2', '0', '8', '0', '']);
    await page.getByLabel('Report', { exact: true }).selectOption('byClinician');
    await page.getByRole('button', { name: 'Run report' }).click();
    await expect.poll(() => page.locator('table.report-table').textContent()).toContain('Medeiros, Rosa');
  });
});
