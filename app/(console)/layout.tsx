import { redirect } from 'next/navigation';
import { TopBar } from '@/components/shell/top-bar';
import { currentActor, serverCaller } from '@/server/caller';

// Signed-in pages share the top bar. The middleware already demands a session; a session whose person is gone
// (account removed) goes back to sign-in too.
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor || actor.type !== 'user') redirect('/signin');
  const tenants = await (await serverCaller()).me.tenants({});
  return (
    <div className="flex min-h-screen flex-col">
      <TopBar person={actor.name ? `${actor.name} (${actor.email})` : actor.email} tenants={tenants} isPlatformAdmin={actor.isPlatformAdmin} />
      <div className="flex-1">{children}</div>
    </div>
  );
}
