/** What planning one member needs from the stack: its names, labels, and shared secrets and volumes. */
import type { MountPlan } from './plan-types';

export interface MemberContext {
  identity: { key: string; containerName: string; hostname: string; aliases: string[]; dependsOn: string[] };
  /** Owner and member labels, spec hash, and the extra labels of the context and the spec, with `own` added. */
  labels(own: Record<string, string>): Record<string, string>;
  /** Registers a project secret file; returns its Compose key. */
  secretKey(projectPath: string): string;
  /** Registers a named volume of this member; returns its Docker name. */
  volume(name: string): string;
  /** A read-only bind of a project file. */
  bind(projectPath: string, target: string): MountPlan;
  /** Hostname and gateway-network port of another gateway of the stack. */
  peer(name: string): { host: string; port: number };
}
