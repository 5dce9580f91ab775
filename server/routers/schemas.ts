import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/server/auth/password';
import { SLUG_PATTERN, SLUG_RULE } from '@/lib/access/slug';
import { PERMISSIONS } from '@/lib/access/permissions';

// Input rules shared by routers; messages are written for the person filling in the form.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const displayName = (field: string, max = 100) => z.string().trim()
  .min(1, `${field} is required`)
  .max(max, `${field} must be at most ${max} characters`)
  .refine((v) => !CONTROL_CHARS.test(v), `${field} must not contain control characters`);

export const slug = z.string().trim().toLowerCase().regex(SLUG_PATTERN, `Slug must be ${SLUG_RULE}`);
export const email = z.string().trim().toLowerCase().max(254, 'Email must be at most 254 characters').pipe(z.email('Enter a valid email address, like name@example.com'));
export const password = z.string().min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);
export const description = z.string().trim().max(500, 'Description must be at most 500 characters').default('');
export const permissionList = z.array(z.enum(PERMISSIONS, { message: `Unknown permission. Known: ${PERMISSIONS.join(', ')}` })).min(1, 'Choose at least one permission');
export const roleValue = z.string().trim().min(1, 'Choose a role').max(64);
export const uuid = (field: string) => z.uuid({ message: `${field} must be a UUID` });
export const ok = z.object({ ok: z.literal(true) });
