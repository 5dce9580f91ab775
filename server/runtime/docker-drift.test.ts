// driftFields against a container described the way the engine answers for one created from the body:
// image defaults merged into env, labels and exposed ports; volumes by name; aliases with the container id added.
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { parseStack, planStack, toEngineRequests, type ContainerCreateBody } from '@/lib/gateway';
import { driftFields } from './docker-drift';

const image = {
  Id: 'sha256:image-1',
  Config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'IGNITION_VERSION=8.3.4'], Labels: { 'org.opencontainers.image.version': '8.3.4' }, Cmd: null, ExposedPorts: { '8088/tcp': {} } },
};

function plannedBody(memory = '1GiB'): ContainerCreateBody {
  const stack = parseStack({ name: 'gw', version: '8.3.4', acceptEula: true, memory, ports: { http: { host: 18088 } }, secrets: { adminPassword: 'secrets/admin' } });
  const plan = planStack(stack, { projectRoot: '/srv/project', scope: { kind: 'environment', tenant: 'acme', site: 'plant', environment: 'dev' } });
  return toEngineRequests(plan).containers[0]!.body;
}

function asEngineAnswers(body: ContainerCreateBody): Docker.ContainerInspectInfo {
  const network = body.HostConfig.NetworkMode;
  return {
    Image: image.Id,
    Config: {
      Image: body.Image,
      Cmd: body.Cmd,
      Env: [...image.Config.Env, ...body.Env],
      Labels: { ...image.Config.Labels, ...body.Labels },
      Hostname: body.Hostname,
      ExposedPorts: { ...image.Config.ExposedPorts, ...body.ExposedPorts },
      Healthcheck: body.Healthcheck,
    },
    HostConfig: { ...body.HostConfig, NanoCpus: body.HostConfig.NanoCpus ?? 0 },
    Mounts: body.HostConfig.Mounts.map((mount) => ({
      Type: mount.Type, Name: mount.Type === 'volume' ? mount.Source : undefined, Source: mount.Type === 'volume' ? `/var/lib/docker/volumes/${mount.Source}/_data` : mount.Source,
      Destination: mount.Target, RW: !mount.ReadOnly,
    })),
    NetworkSettings: { Networks: { [network]: { Aliases: [...(body.NetworkingConfig.EndpointsConfig[network]?.Aliases ?? []), 'c0ffee123456'] } } },
  } as unknown as Docker.ContainerInspectInfo;
}

describe('driftFields', () => {
  it('finds no drift in a container made from the body, with the image defaults the engine adds', () => {
    const body = plannedBody();
    expect(driftFields(body, asEngineAnswers(body), image)).toEqual([]);
  });

  it('names a changed memory limit, with the heap argument and spec hash label that follow from it', () => {
    expect(driftFields(plannedBody('1536MiB'), asEngineAnswers(plannedBody('1GiB')), image)).toEqual(['command', 'labels', 'memory']);
  });

  it('names an image rebuilt under the same tag, and env or mounts changed by hand', () => {
    const body = plannedBody();
    const actual = asEngineAnswers(body);
    expect(driftFields(body, actual, { ...image, Id: 'sha256:image-2' })).toEqual(['image']);
    const edited = asEngineAnswers(body);
    edited.Config.Env = [...edited.Config.Env, 'EXTRA=1'];
    edited.Mounts = edited.Mounts.map((mount) => ({ ...mount, RW: true }));
    expect(driftFields(body, edited, image)).toEqual(['env', 'mounts']);
  });

  it('names a container that left its network or lost its alias', () => {
    const body = plannedBody();
    const actual = asEngineAnswers(body);
    actual.NetworkSettings.Networks = { bridge: actual.NetworkSettings.Networks[body.HostConfig.NetworkMode]! };
    expect(driftFields(body, actual, image)).toEqual(['network', 'aliases']);
  });
});

