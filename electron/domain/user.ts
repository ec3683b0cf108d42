import { z } from 'zod';
import { requiredText } from './common';

// A person who signs in. Roles decide what the API lets them do; a clinician user links to
// the clinician record that goes on the doses they give.

export const ROLES = ['administrator', 'clinician', 'front_desk'] as const;
export const role = z.enum(ROLES, { message: 'Choose a role: administrator, clinician or front desk.' });
export type Role = z.infer<typeof role>;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, { message: 'User names are 3–32 letters, digits, dots, dashes or underscores.' });

/** Long enough to resist guessing on a shared clinic PC; no composition rules (NIST 800-63B). */
export const passwordSchema = z
  .string()
  .min(10, { message: 'Passwords need at least 10 characters.' })
  .max(256, { message: 'Passwords can be at most 256 characters.' });

export const userInputSchema = z.object({
  username: usernameSchema,
  displayName: requiredText(80, 'Name'),
  role,
  clinicianId: z.string().min(1).optional(),
});
export type UserInput = z.input<typeof userInputSchema>;

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  clinicianId?: string;
  active: boolean;
  createdAt: string;
}
