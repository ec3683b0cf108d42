import { compareIsoDates } from './common';
import { issuesFromZod, type FieldIssue, type Validated } from './errors';
import { patientInputSchema, type PatientFields, type PatientInput } from './patient';

// Rules about a patient that need the clinic's calendar, which the schema (shared with the API
// contract) cannot know. Both the store and the registration form run them with their `today`.

export interface PatientRuleContext {
  /** Today on the clinic's clock, YYYY-MM-DD (a parameter so the rule is pure and testable). */
  today: string;
}

export function validatePatient(input: PatientInput, ctx: PatientRuleContext): Validated<PatientFields> {
  const parsed = patientInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error, 'patient') };
  const p = parsed.data;
  const issues: FieldIssue[] = [];
  // A baby born today is registered today: only a later day is refused. The day is the clinic's,
  // not UTC's, or an evening birth in Boston would already be "tomorrow".
  if (compareIsoDates(p.dob, ctx.today) > 0) {
    issues.push({
      path: 'patient.dob',
      code: 'patient.dob_in_future',
      message: `The date of birth ${p.dob} is after today (${ctx.today}). Check the date; a baby born today is entered with today's date.`,
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: p };
}
