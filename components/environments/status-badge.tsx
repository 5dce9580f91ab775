import { Badge } from '@/components/ui/badge';

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';
const STATUS_TONES: Record<string, Tone> = {
  running: 'good', succeeded: 'good', done: 'good', stopped: 'neutral', removed: 'neutral', queued: 'info',
  failed: 'bad', rolled_back: 'bad',
  // A container's state and health (the gateways of an environment).
  healthy: 'good', unhealthy: 'bad', exited: 'neutral', dead: 'bad', missing: 'neutral', unknown: 'neutral',
};

/** Environment and job states share one look: green done, red failed, amber while something is under way. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? 'warn'}>{status.replaceAll('_', ' ')}</Badge>;
}
