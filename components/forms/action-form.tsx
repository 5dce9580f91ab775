'use client';

import { createContext, Fragment, startTransition, useActionState, useContext, useEffect, useRef, useState } from 'react';
import { IDLE, type FormState } from './form-state';

export type FormAction = (prev: FormState, form: FormData) => Promise<FormState>;

interface FormContextValue { state: FormState; pending: boolean; fields: Set<string> }
const FormContext = createContext<FormContextValue>({ state: IDLE, pending: false, fields: new Set() });
export const useFormContext = () => useContext(FormContext);

/**
 * A form that submits to a server action and shows its answer: a message for the form, errors under the fields.
 * Submitting by hand (not through `action=`) keeps what the person typed when the server says no.
 */
export function ActionForm({ action, children, className = 'space-y-4', resetOnSuccess = true, label, onSuccess }: {
  action: FormAction; children: React.ReactNode; className?: string; resetOnSuccess?: boolean; label?: string;
  /** Runs in the browser after the server said yes, with what was submitted (e.g. to sign in with it). */
  onSuccess?: (submitted: FormData) => void;
}) {
  const [state, dispatch, pending] = useActionState(action, IDLE);
  const fields = useRef(new Set<string>()).current;
  const submitted = useRef<FormData | null>(null);
  // After a success the fields start afresh: remounting them clears controlled and uncontrolled inputs alike.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (state.status !== 'ok') return;
    if (resetOnSuccess) setGeneration((g) => g + 1);
    if (onSuccess && submitted.current) onSuccess(submitted.current);
  }, [state, resetOnSuccess, onSuccess]);
  // Field errors for fields this form does not show still need to reach the person, in the form's message.
  const errors = Object.entries(state.fieldErrors ?? {}).filter(([, msgs]) => msgs && msgs.length > 0);
  const unshown = errors.filter(([name]) => !fields.has(name)).flatMap(([, msgs]) => msgs ?? []);
  const someShown = errors.length > unshown.length;
  const alert = someShown || unshown.length === 0 ? [state.message, ...unshown] : unshown;
  return (
    <FormContext.Provider value={{ state, pending, fields }}>
      <form
        aria-label={label}
        className={className}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          submitted.current = data;
          startTransition(() => dispatch(data));
        }}
      >
        <Fragment key={generation}>{children}</Fragment>
        {state.status === 'error' && (
          <p role="alert" className="col-span-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {alert.filter(Boolean).join(' ')}
          </p>
        )}
        {state.status === 'ok' && state.message && (
          <p role="status" className="col-span-full rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{state.message}</p>
        )}
      </form>
    </FormContext.Provider>
  );
}
