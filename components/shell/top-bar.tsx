import Link from 'next/link';
import { SignOutButton } from './sign-out-button';
import { TenantSwitcher } from './tenant-switcher';

export function TopBar({ person, tenants, isPlatformAdmin }: {
  person: string; tenants: { slug: string; name: string }[]; isPlatformAdmin: boolean;
}) {
  return (
    <header className="bg-slate-900 text-white">
      <div className="flex h-14 items-center gap-6 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-brand-500 text-sm font-bold">S</span>
          Switchyard
        </Link>
        <TenantSwitcher tenants={tenants} />
        {isPlatformAdmin && <Link href="/platform" className="text-sm text-slate-300 hover:text-white">Platform</Link>}
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-sm text-slate-300 sm:inline" data-testid="signed-in-as">{person}</span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
