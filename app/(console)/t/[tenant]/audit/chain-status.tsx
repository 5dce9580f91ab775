import { serverCaller } from '@/server/caller';

/** Re-checks the tenant's hash chain on every view and says plainly whether it is intact. */
export async function ChainStatus({ tenantId }: { tenantId: string }) {
  const result = await (await serverCaller()).audit.verify({ tenantId });
  if (result.ok) {
    return (
      <p data-testid="chain-status" className="mb-4 inline-flex items-center gap-2 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
        <span aria-hidden>✓</span> Chain verified: {result.checked} entries, none edited, deleted or reordered.
      </p>
    );
  }
  return (
    <p data-testid="chain-status" role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
      Chain broken: entry {result.problem?.id} is {result.problem?.kind ?? 'inconsistent'}. The trail may have been tampered with; export it and tell your security team.
    </p>
  );
}
