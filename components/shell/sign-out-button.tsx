'use client';

import { signOut } from 'next-auth/react';

const TOP_BAR = 'rounded-md px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white';

/** Signs out and lands on `callbackUrl` (the sign-in page unless told otherwise). */
export function SignOutButton({ callbackUrl = '/signin', className = TOP_BAR }: { callbackUrl?: string; className?: string }) {
  return <button type="button" onClick={() => signOut({ callbackUrl })} className={className}>Sign out</button>;
}
