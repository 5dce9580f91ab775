// Several environments of one site provisioned at once share one site network (Docker 20.10 would otherwise
// create the network once per provision, and every later lookup by its name would be ambiguous).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeFixture } from './helpers/runtime-fixture';

const fixture = new RuntimeFixture();

beforeAll(() => fixture.setup());
afterAll(() => fixture.cleanup());

describe('concurrent provisions in one site', () => {
  it('create one site network, and all gateways come up on it', async () => {
    const plans = await Promise.all(['a', 'b', 'c', 'd'].map((env) => fixture.plan('shared', env)));
    expect(new Set(plans.map((p) => p.network.name)).size).toBe(1);
    await Promise.all(plans.map((plan) => fixture.runtime.provision(plan, { secretValues: fixture.secretsFor(plan, 'concurrent-admin-pw') })));
    const networks = await fixture.engine.listNetworks({ filters: { name: [plans[0]!.network.name] } });
    expect(networks.filter((n) => n.Name === plans[0]!.network.name)).toHaveLength(1);
    for (const plan of plans) expect((await fixture.runtime.inspect(plan.services[0]!.containerName)).state).toBe('running');
  });
});
