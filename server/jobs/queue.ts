// The Postgres-backed queue (pg-boss 10). Its schema is installed at start by the owner role, which then grants the
// app role what sending needs; the app sends inside the same transaction that records the job, so a job row never
// exists without its queue entry (or the other way round). The queue carries ids only: { tenantId, jobId }.
import PgBoss from 'pg-boss';
import postgres from 'postgres';
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { config } from '@/server/config';
import { notifyJobQueued } from './wake';

export const PGBOSS_SCHEMA = 'pgboss';
export interface JobRef { tenantId: string; jobId: string }

/** A dead process's job becomes available again after this long and resumes (its steps are idempotent). */
export const JOB_EXPIRY_SECONDS = 900;

export const queueName = () => config().SWITCHYARD_JOB_QUEUE;

/** pg-boss's positional SQL ($1, $2...) as a drizzle query, so it runs inside our transaction. */
function positional(text: string, values: unknown[]): SQL {
  const pieces = text.split(/\$(\d+)/);
  const chunks = pieces.map((piece, i) => {
    if (i % 2 === 0) return sql.raw(piece);
    const value = values[Number(piece) - 1];
    const param = value === undefined ? null : typeof value === 'object' && value !== null && !(value instanceof Date) ? JSON.stringify(value) : value;
    return sql`${param}`;
  });
  return sql.join(chunks);
}

const inTransaction = (tx: Tx) => ({
  executeSql: async (text: string, values: unknown[] = []) => ({ rows: [...(await tx.execute(positional(text, values)))] }),
});

// Never started: it only builds the insert; every send passes the transaction to run it in.
let sender: PgBoss | undefined;
function senderBoss(): PgBoss {
  sender ??= new PgBoss({ schema: PGBOSS_SCHEMA, db: { executeSql: () => Promise.reject(new Error('send without a transaction')) } });
  return sender;
}

export async function sendJob(tx: Tx, ref: JobRef): Promise<void> {
  const id = await senderBoss().send(queueName(), { ...ref }, {
    db: inTransaction(tx), singletonKey: ref.jobId, expireInSeconds: JOB_EXPIRY_SECONDS, retryLimit: 3, retryDelay: 5,
  } as PgBoss.SendOptions);
  if (!id) throw new Error(`the job queue "${queueName()}" refused job ${ref.jobId}: start Switchyard with \`npm start\`, which installs the queue`);
  await notifyJobQueued(tx, queueName());
}

/** Installs pg-boss's schema and the queue as the owner, and lets the app role send. Returns the started boss. */
export async function startQueue(ownerUrl: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: ownerUrl, schema: PGBOSS_SCHEMA, max: 4, application_name: 'switchyard-jobs' });
  boss.on('error', () => { /* reported per job; a lost connection is retried by pg-boss */ });
  await boss.start();
  if (!(await boss.getQueue(queueName()))) await boss.createQueue(queueName());
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.unsafe(`GRANT USAGE ON SCHEMA ${PGBOSS_SCHEMA} TO switchyard_app`);
    await owner.unsafe(`GRANT SELECT ON ALL TABLES IN SCHEMA ${PGBOSS_SCHEMA} TO switchyard_app`);
    await owner.unsafe(`GRANT INSERT ON ${PGBOSS_SCHEMA}.job TO switchyard_app`);
  } finally {
    await owner.end({ timeout: 5 });
  }
  return boss;
}
