import { afterEach, describe, expect, it } from 'vitest';
import { firstRunThenSignIn, Keys, openPatient, seedClinic } from './clinic-helpers';
import { chromiumAvailable, startEnv, type E2eEnv } from './harness';

// Conditions on the chart, end to end: the built renderer in Chromium against the real handler
// table and store. A toddler's Hib series is complete for her age alone; the nurse records her
// asplenia from CDC's list and the due panel gains the Hib dose it needs, explained; a
// reaction to a vaccine component then shows as a contraindication with its date.

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

describe.skipIf(!chromiumAvailable())('conditions on the chart in Chromium', () => {
  it('asplenia recorded on the chart makes a Hib dose due, explained; a reaction shows as a contraindication', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, []);
    // About two years and four months old, with one Hib dose given four months ago.
    const created = await env.call('patients.create', {
      patient: {
        mrn: 'FR-70001', lastName: 'Sousa', firstName: 'Bia', dob: daysAgo(2 * 365 + 120), sex: 'F', genderIdentity: 'female', races: ['2106-3'], ethnicity: '2186-5',
        preferredLanguage: 'por', address: { street1: '12 Pleasant Street', city: 'Fall River', state: 'MA', zip: '02721' },
        guardians: [{ lastName: 'Sousa', firstName: 'Rita', relationship: 'MTH', phone: '508-555-0177' }],
      },
    });
    if (!created.ok || !created.value.created) throw new Error(`registering the toddler failed: ${JSON.stringify(created)}`);
    const patientId = created.value.patient.id;
    const hib = await env.call('doses.record', { dose: { patientId, kind: 'historical', cvx: '48', administeredOn: daysAgo(120), historicalSource: '01' } });
    expect(hib.ok, JSON.stringify(hib)).toBe(true);

    await openPatient(page, new Keys(page), 'sousa bi', 'Sousa, Bia');
    await page.getByTestId('due-panel').waitFor();
    const panel = page.getByTestId('conditions-panel');
    await expect.poll(() => panel.textContent()).toContain('No conditions recorded.');
    await expect.poll(() => page.getByTestId('due-panel').locator('tr[data-group="Hib"]').count()).toBe(0);

    // Found by a word, in CDC's wording, with what it changes; recorded with its date.
    await panel.getByRole('button', { name: 'Add a condition' }).click();
    await panel.getByLabel('Find a condition').fill('asplenia');
    const pick = panel.getByRole('button', { name: 'Choose Anatomical or functional asplenia' });
    await pick.waitFor();
    await expect.poll(() => panel.getByTestId('conditions-options').textContent()).toContain('Opens a schedule for');
    await env.shot('30-conditions-search');
    await pick.click();
    await panel.getByLabel('Start date').fill(daysAgo(200));
    await panel.getByRole('button', { name: 'Save condition' }).click();
    await panel.getByTestId('conditions-notice').waitFor();

    const hibRow = page.getByTestId('due-list').locator('tr[data-group="Hib"]');
    await expect.poll(() => hibRow.count()).toBe(1);
    await expect.poll(() => hibRow.textContent()).toContain('Dose 2');
    // One line per reason, naming each group it makes due.
    await expect.poll(() => panel.getByTestId('conditions-effects').textContent()).toMatch(new RegExp(`Hib[^:]*: due because of Anatomical or functional asplenia \\(${daysAgo(200)}\\)`));
    // The Due panel itself says why the dose is due, with the day the condition began.
    await expect.poll(() => hibRow.getByTestId('due-because').textContent()).toBe(`Due because: Anatomical or functional asplenia, recorded ${daysAgo(200)}`);
    await env.shot('31-conditions-due-because');

    // A reaction to a vaccine component: contraindicated, with the day it was recorded.
    await panel.getByRole('button', { name: 'Add a condition' }).click();
    await panel.getByLabel('Find a condition').fill('080');
    await panel.getByRole('button', { name: 'Choose Adverse reaction to vaccine component' }).click();
    await panel.getByRole('button', { name: 'Save condition' }).click();
    await expect.poll(() => panel.getByTestId('conditions-list').textContent()).toContain('Adverse reaction to vaccine component');
    const effects = panel.getByTestId('conditions-effects');
    await expect.poll(() => effects.textContent()).toContain(`contraindicated: Adverse reaction to vaccine component (${daysAgo(0)})`);
    // Only groups that would be followed are contraindicated: not a travel vaccine nobody recommends her.
    await expect.poll(() => effects.textContent()).not.toContain('Cholera');
    // On the Due panel a contraindication is stated, not folded away with the complete groups.
    const stated = page.getByTestId('due-panel').getByTestId('due-contraindicated');
    await expect.poll(() => stated.textContent()).toContain(`Contraindicated: Adverse reaction to vaccine component, recorded ${daysAgo(0)}`);
    await expect.poll(() => page.getByTestId('due-list').locator('tr[data-group="Hib"]').count()).toBe(0);
    await env.shot('32-conditions-contraindicated');

    const trail = env.store.audit.list({ entityId: patientId, limit: 100 }).map((a) => a.action);
    expect(trail.filter((a) => a === 'observation.record')).toHaveLength(2);
    expect(trail).toContain('observation.read');
  });

  it('the recall list narrows to adults with diabetes overdue for HepB', async () => {
    env = await startEnv();
    const { page } = env;
    await firstRunThenSignIn(env);
    await seedClinic(env, []);
    // Two adults with no HepB dose, overdue on the adult schedule alike; only one has diabetes.
    const ids: string[] = [];
    for (const [mrn, lastName] of [['FR-70101', 'Matos'], ['FR-70102', 'Pires']] as const) {
      const created = await env.call('patients.create', {
        patient: {
          mrn, lastName, firstName: 'Ana', dob: daysAgo(40 * 365), sex: 'F', genderIdentity: 'female', races: ['2106-3'], ethnicity: '2186-5',
          preferredLanguage: 'eng', address: { street1: '3 Main Street', city: 'Fall River', state: 'MA', zip: '02721' },
        },
      });
      if (!created.ok || !created.value.created) throw new Error(`registering ${lastName} failed: ${JSON.stringify(created)}`);
      ids.push(created.value.patient.id);
    }
    const [diabetic, other] = ids as [string, string];
    const recorded = await env.call('conditions.record', { patientId: diabetic, observation: { code: '014', startDate: daysAgo(900) } });
    expect(recorded.ok, JSON.stringify(recorded)).toBe(true);

    await page.getByRole('button', { name: 'Recall' }).click();
    const recall = page.getByTestId('recall-list');
    await recall.waitFor();
    await expect.poll(() => recall.locator(`tr[data-patient-id="${other}"]`).count()).toBeGreaterThan(0);

    await page.getByLabel('Vaccine group').selectOption('HepB');
    await page.getByLabel('Condition').selectOption('014');
    await page.getByRole('button', { name: 'Build list' }).click();
    await expect.poll(() => recall.locator(`tr[data-patient-id="${other}"]`).count()).toBe(0);
    const row = recall.locator(`tr[data-patient-id="${diabetic}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.textContent()).toContain('HepB');
    await env.shot('33-recall-by-condition');
  });
});
