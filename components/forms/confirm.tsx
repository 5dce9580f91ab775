'use client';

import { useState } from 'react';
import { buttonClass } from '@/components/ui/styles';
import { useFormContext } from './action-form';
import { TextField } from './field';

/** A destructive submit that asks once more before it fires. */
export function ConfirmSubmit({ label, question, confirmLabel }: { label: string; question: string; confirmLabel: string }) {
  const [asking, setAsking] = useState(false);
  const { pending } = useFormContext();
  if (!asking) return <button type="button" className={buttonClass.ghostDanger} onClick={() => setAsking(true)}>{label}</button>;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="text-sm text-slate-700">{question}</span>
      <button type="submit" disabled={pending} className={buttonClass.danger}>{confirmLabel}</button>
      <button type="button" className={buttonClass.secondary} onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}

/** For what cannot be undone: the button unlocks when the person types the exact name back. */
export function ConfirmByTyping({ expected, label, submitLabel }: { expected: string; label: string; submitLabel: string }) {
  const [typed, setTyped] = useState('');
  const { pending } = useFormContext();
  return (
    <div className="space-y-3">
      <TextField name="confirm" label={label} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      <button type="submit" disabled={pending || typed.trim() !== expected} className={buttonClass.danger}>{submitLabel}</button>
    </div>
  );
}
