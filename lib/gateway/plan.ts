/** planStack: a normalised Stack + where it runs -> the fully resolved StackPlan. */
import { isAbsolute, join } from 'node:path';
import { canonicalJson, sortedRecord } from './canonical';
import { containerName, memberKey, networkName, ownerLabels, shortHash, slugify, stackName, volumeName, type NamingScope } from './naming';
import { planContainer } from './plan-container';
import { planGateway } from './plan-gateway';
import type { MemberContext } from './plan-member';
import type { SecretPlan, ServicePlan, StackPlan } from './plan-types';
import type { Member, Stack } from './types';

export interface PlanContext {
  /** Absolute path of the project folder; relative file paths of the spec resolve against it. */
  projectRoot: string;
  scope: NamingScope;
  /** Extra labels for every container and volume (Switchyard's own io.switchyard.* labels win). */
  labels?: Record<string, string>;
}

export function planStack(stack: Stack, context: PlanContext): StackPlan {
  if (!isAbsolute(context.projectRoot)) throw new Error(`projectRoot must be an absolute path, got "${context.projectRoot}"`);
  const members: Member[] = [...stack.gateways, ...stack.containers];
  const owner = ownerLabels(context.scope);
  const names = new Map(members.map((member) => [member.name, containerName(context.scope, member.name, members.length)]));
  const secrets = new Map<string, SecretPlan>();
  const volumes: StackPlan['volumes'] = [];

  const contextFor = (member: Member): MemberContext => {
    const name = names.get(member.name)!;
    // Containers and their volumes both say which member they belong to.
    const memberLabel = { [member.kind === 'gateway' ? 'io.switchyard.gateway' : 'io.switchyard.service']: member.name };
    return {
      identity: { key: memberKey(member.name), containerName: name, hostname: name, aliases: [memberKey(member.name)], dependsOn: member.dependsOn.map(memberKey) },
      labels: (own) => sortedRecord({ ...context.labels, ...member.labels, ...own, ...owner, ...memberLabel, 'io.switchyard.spec-hash': shortHash(canonicalJson(member), 16) }),
      secretKey: (projectPath) => registerSecret(secrets, projectPath, context.projectRoot),
      volume: (volume) => {
        const docker = volumeName(name, volume);
        volumes.push({ key: docker, name: docker, labels: sortedRecord({ ...context.labels, ...owner, ...memberLabel }) });
        return docker;
      },
      bind: (projectPath, target) => ({ type: 'bind', source: join(context.projectRoot, projectPath), projectPath, target, readOnly: true }),
      peer: (peerName) => {
        const peer = stack.gateways.find((gateway) => gateway.name === peerName)!;
        return { host: names.get(peerName)!, port: peer.ports.gan?.container ?? 8060 };
      },
    };
  };

  const services: ServicePlan[] = members.map((member) =>
    member.kind === 'gateway' ? planGateway(member, contextFor(member)) : planContainer(member, contextFor(member)),
  );
  const networkOwner = context.scope.kind === 'project' ? owner : ownerLabels(context.scope, 'site');
  return {
    name: stackName(context.scope),
    projectRoot: context.projectRoot,
    network: { key: 'switchyard', name: networkName(context.scope), labels: sortedRecord(networkOwner) },
    volumes,
    secrets: [...secrets.values()],
    services,
  };
}

/** One Compose secret per project file; the key is the file's path under secrets/, hashed if that collides. */
function registerSecret(secrets: Map<string, SecretPlan>, projectPath: string, projectRoot: string): string {
  const existing = [...secrets.values()].find((secret) => secret.projectPath === projectPath);
  if (existing) return existing.key;
  const base = slugify(projectPath.replace(/^secrets\//, '')) || 'secret';
  const key = secrets.has(base) ? `${base}-${shortHash(projectPath)}` : base;
  secrets.set(key, { key, projectPath, source: join(projectRoot, projectPath) });
  return key;
}
