import { TRPCError } from '@trpc/server';
import { revalidatePath } from 'next/cache';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import type { FormState } from '@/components/forms/form-state';

export const FIX_FIELDS = 'Please correct the fields marked below.';

/** A refusal by the console itself, before the API is asked, about one field. */
export function fieldError(field: string, message: string): FormState {
  return { status: 'error', message: FIX_FIELDS, fieldErrors: { [field]: [message] } };
}

/** The API's error in a person's words: the message, and field errors from input checks or a service's named field. */
export function explainError(err: unknown): FormState {
  if (!(err instanceof TRPCError)) {
    return { status: 'error', message: 'Something went wrong on our side. Try again; if it keeps failing, tell your platform operator.' };
  }
  const cause = err.cause;
  if (cause instanceof z.ZodError) {
    return { status: 'error', message: FIX_FIELDS, fieldErrors: z.flattenError(cause).fieldErrors };
  }
  // The procedure ladder wraps a service error that names a field in a cause carrying `field`.
  const field = (cause as { field?: unknown } | undefined)?.field;
  if (typeof field === 'string') return fieldError(field, err.message);
  if (err.code === 'INTERNAL_SERVER_ERROR') return explainError(null);
  return { status: 'error', message: err.message };
}

/**
 * Runs a form's work, refreshes the console (every page is rendered on demand, so this only drops the browser's
 * cached copies) and answers the form. next's redirect and notFound signals pass through untouched.
 */
export async function runAction(work: () => Promise<Partial<FormState> | void>, done?: string): Promise<FormState> {
  try {
    const extra = await work();
    revalidatePath('/', 'layout');
    return { status: 'ok', message: done, ...(extra ?? {}) };
  } catch (err) {
    unstable_rethrow(err);
    return explainError(err);
  }
}

/** A text field of a submitted form, trimmed; '' when absent. */
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A console path inside the tenant named by the form's tenantSlug field (encoded: it came from the browser). */
export function tenantPath(form: FormData, rest: string): string {
  return `/t/${encodeURIComponent(text(form, 'tenantSlug'))}${rest}`;
}

/** An optional field: undefined when left blank, so the API applies its own default. */
export function optionalText(form: FormData, name: string): string | undefined {
  return text(form, name) || undefined;
}
