// What a server action answers to the form that called it. Plain data: it crosses from server to client.
export interface FormState {
  status: 'idle' | 'ok' | 'error';
  /** A sentence for the whole form: what went wrong, or what was done. */
  message?: string;
  /** Messages by field name, as the API reports them (data.fieldErrors). */
  fieldErrors?: Record<string, string[] | undefined>;
  /** A one-time value (invitation link, API token) the person must copy now. */
  reveal?: { label: string; value: string; note: string; example?: string };
}

export const IDLE: FormState = { status: 'idle' };
