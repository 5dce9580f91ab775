import { StatusBadge } from '@/components/environments/status-badge';
import type { MemberSummary } from '@/components/environments/spec';
import { Section } from '@/components/ui/section';
import { Table, Td } from '@/components/ui/table';
import { linkClass } from '@/components/ui/styles';
import { serverCaller } from '@/server/caller';
import { gatewayAddress } from './gateway-address';
import type { EnvironmentRef } from '../environment-ref';


/**
 * Every gateway of the environment (one, or each member of a stack) with its web address and its container's state
 * and health as the engine reports them now. Sizes come from the spec; a single gateway's is in the status above.
 */
export async function GatewaysSection({ environmentRef, sizes }: { environmentRef: EnvironmentRef; sizes: MemberSummary[] }) {
  const { members, note } = await (await serverCaller()).environments.members(environmentRef);
  const addresses = await Promise.all(members.map((m) => (m.port === null ? null : gatewayAddress(m.port))));
  const stack = sizes.length > 0;
  return (
    <Section title="Gateways" description={stack
      ? `A stack of ${sizes.length}: actions above and below act on all of them; backups and deploys go to the first, ${members[0]?.name ?? sizes[0]?.name}.`
      : 'The gateway and its container as the engine reports them now.'}>
      {note && <p className="mb-3 rounded bg-amber-50 px-3 py-1.5 text-sm text-amber-800">{note}</p>}
      {members.length === 0 ? <p className="text-sm text-slate-500">No gateway containers: the environment holds no host port.</p> : (
        <Table label="Gateways" headers={stack ? ['Gateway', 'Address', 'Size', 'Container', 'Health'] : ['Gateway', 'Address', 'Container', 'Health']}>
          {members.map((m, i) => {
            const size = sizes.find((s) => s.name === m.name);
            return (
              <tr key={m.name} data-testid={`gateway-${m.name}`}>
                <Td className="font-medium text-slate-900">{m.name}{stack && i === 0 && <span className="ml-2 text-xs font-normal text-slate-500"> (backups and deploys)</span>}</Td>
                <Td className="font-mono text-xs">{addresses[i] ? <a className={linkClass} href={addresses[i]} target="_blank" rel="noreferrer">{addresses[i]}</a> : '—'}</Td>
                {stack && <Td>{size ? `${size.memory} · ${size.cpus} CPU` : '—'}</Td>}
                <Td><span data-testid="gateway-state"><StatusBadge status={m.state} /></span></Td>
                <Td><span data-testid="gateway-health">{m.health && m.health !== 'none' ? <StatusBadge status={m.health} /> : '—'}</span></Td>
              </tr>
            );
          })}
        </Table>
      )}
    </Section>
  );
}
