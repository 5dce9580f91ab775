import { readFileSync } from 'node:fs';

/**
 * CPU time every process on the machine has used so far, in milliseconds (/proc/stat: user, nice, system, irq,
 * softirq). Over a load window divided by the requests served, it gives the CPU one request costs the whole
 * system (server, database, load client), which wanders less between runs than latency on a shared machine.
 */
export function machineBusyCpuMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  return ((user + nice + system + irq + softirq) * 1000) / ticksPerSecond;
}
