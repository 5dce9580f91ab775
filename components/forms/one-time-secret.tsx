'use client';

import { useFormContext } from './action-form';
import { CopyButton } from './copy-button';

/** Shows a value the server returns once (an invitation link, a token), with a copy button and a warning. */
export function OneTimeSecret() {
  const { reveal } = useFormContext().state;
  if (!reveal) return null;
  return (
    <div role="region" aria-label={reveal.label} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4">
      <p className="text-sm font-semibold text-amber-900">{reveal.label}</p>
      <div className="flex items-center gap-2">
        <code data-testid="one-time-value" className="min-w-0 flex-1 truncate rounded border border-amber-200 bg-white px-2 py-1.5 font-mono text-xs text-slate-800">{reveal.value}</code>
        <CopyButton value={reveal.value} />
      </div>
      <p className="text-xs text-amber-900">{reveal.note}</p>
      {reveal.example && (
        <pre className="overflow-x-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">{reveal.example}</pre>
      )}
    </div>
  );
}
