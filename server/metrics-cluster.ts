// Metrics when several processes serve HTTP (scripts/http-workers.ts): a scrape reaches one worker, which asks the
// first process; that one samples the database once, gathers every worker's own registry and sums them all (prom-client's
// aggregation), so /api/metrics describes the whole server whichever worker answers.
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type postgres from 'postgres';
import { metrics, metricsText, sampleDatabaseFigures } from './metrics';

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];
export type MetricsText = Awaited<ReturnType<typeof metricsText>>;

const SCRAPE = 'switchyard:metrics-scrape';
const SCRAPED = 'switchyard:metrics-scraped';
const COLLECT = 'switchyard:metrics-collect';
const COLLECTED = 'switchyard:metrics-collected';
const TIMEOUT_MS = 5_000;
// Shorter than a scrape's own wait, so a worker still starting is left out instead of failing the scrape.
const COLLECT_TIMEOUT_MS = 1_500;

interface Message { type: string; id: string; text?: MetricsText; metrics?: MetricsJson }

type Pending = Map<string, (message: Message) => void>;
// One listener per process, however many module copies load this (Next bundles its own).
const holder = globalThis as unknown as { switchyardMetricsReplies?: Pending };

function replies(): Pending {
  if (!holder.switchyardMetricsReplies) {
    const pending: Pending = new Map();
    holder.switchyardMetricsReplies = pending;
    process.on('message', (message: Message) => {
      if (message?.type === SCRAPED) pending.get(message.id)?.(message);
      if (message?.type === COLLECT) {
        // The channel may close meanwhile (this worker stopping): a reply that cannot go is dropped, never thrown.
        void metrics().registry.getMetricsAsJSON()
          .then((json) => { if (process.connected) process.send?.({ type: COLLECTED, id: message.id, metrics: json }, undefined, {}, () => {}); })
          .catch(() => {});
      }
    });
  }
  return holder.switchyardMetricsReplies;
}

/** In an HTTP worker: answers its part of a scrape from now on. */
export function answerMetricsCollection(): void {
  replies();
}

/** The text for GET /api/metrics: the whole server's from a worker, else this process's own (with `sql` sampled). */
export async function serverMetricsText(sql: postgres.Sql): Promise<MetricsText> {
  if (!cluster.isWorker || !process.send) return metricsText(sql);
  const id = randomUUID();
  const pending = replies();
  try {
    const answer = await new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the first process did not answer a metrics scrape within 5 s')), TIMEOUT_MS);
      pending.set(id, (message) => { clearTimeout(timer); resolve(message); });
      process.send!({ type: SCRAPE, id });
    });
    return answer.text!;
  } finally {
    pending.delete(id);
  }
}

/** In the first process: every live worker's registry as JSON (a worker that does not answer in time is left out). */
async function collectFromWorkers(): Promise<MetricsJson[]> {
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected());
  return Promise.all(workers.map((worker) => new Promise<MetricsJson>((resolve) => {
    const id = randomUUID();
    const timer = setTimeout(() => { worker!.off('message', onMessage); resolve([]); }, COLLECT_TIMEOUT_MS);
    function onMessage(message: Message) {
      if (message?.type !== COLLECTED || message.id !== id) return;
      clearTimeout(timer);
      worker!.off('message', onMessage);
      resolve(message.metrics ?? []);
    }
    worker!.on('message', onMessage);
    worker!.send({ type: COLLECT, id });
  })));
}

/** A worker that died while its scrape was gathered gets no answer; sending on its closed channel would throw here. */
function reply(worker: Worker, message: Message): void {
  if (worker.isConnected()) worker.send(message, undefined, () => {});
}

/** In the first process: answers workers' scrapes with the sum of all processes, database figures sampled here once. */
export function serveMetricsScrapes(sql: postgres.Sql): void {
  cluster.on('message', (worker, message: Message) => {
    if (message?.type !== SCRAPE) return;
    void (async () => {
      await sampleDatabaseFigures(sql); // once, here: the workers never sample the database
      const all = [await metrics().registry.getMetricsAsJSON(), ...(await collectFromWorkers())];
      const summed = AggregatorRegistry.aggregate(all);
      return { contentType: metrics().registry.contentType, body: await summed.metrics() };
    })().then(
      (text) => reply(worker, { type: SCRAPED, id: message.id, text }),
      (err: unknown) => reply(worker, { type: SCRAPED, id: message.id, text: { contentType: 'text/plain', body: `# metrics unavailable: ${err instanceof Error ? err.message : 'unknown error'}\n` } }),
    );
  });
}
