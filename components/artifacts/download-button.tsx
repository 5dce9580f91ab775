'use client';

import { useState, useTransition } from 'react';
import { buttonClass } from '@/components/ui/styles';

type Answer = { ok: true; path: string } | { ok: false; message: string };

/** Asks the server for a short-lived link (each one is audited), then lets the browser download from it. */
export function DownloadButton({ label, getLink }: { label: string; getLink: () => Promise<Answer> }) {
  const [pending, start] = useTransition();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={buttonClass.primary} disabled={pending} aria-busy={pending}
        onClick={() => start(async () => {
          setProblem(null);
          const answer = await getLink();
          if (answer.ok) window.location.assign(answer.path);
          else setProblem(answer.message);
        })}>
        {label}
      </button>
      {problem && <span role="alert" className="text-sm text-red-800">{problem}</span>}
    </span>
  );
}
