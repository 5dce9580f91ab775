import { redirect } from 'next/navigation';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { buttonClass } from '@/components/ui/styles';
import { serverCaller } from '@/server/caller';

// The console's front door: straight into the person's first tenant, or the platform page for operators.
export default async function Home() {
  const caller = await serverCaller();
  const tenants = await caller.me.tenants({});
  if (tenants[0]) redirect(`/t/${tenants[0].slug}`);
  const me = await caller.me.whoami({});
  if (me.isPlatformAdmin) redirect('/platform');
  return (
    <main className="mx-auto mt-24 max-w-lg px-4 text-center">
      <h1 className="text-xl font-semibold">You are not a member of any tenant yet</h1>
      <p className="mt-2 text-slate-600">Signed in as {me.label}. Ask a tenant admin to invite you, then open the link from the invitation.</p>
      <div className="mt-6"><SignOutButton className={buttonClass.secondary} /></div>
    </main>
  );
}
