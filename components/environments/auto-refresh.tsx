'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Re-renders the server page every interval while something is under way; stops as soon as it is not. */
export function AutoRefresh({ active, everyMs = 1500, note = 'Updating while the job runs…' }: { active: boolean; everyMs?: number; note?: string | null }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, router]);
  return active && note ? <p role="status" className="text-xs text-slate-500">{note}</p> : null;
}
