import { withTenant, type Db } from '@/db/client';
import type { AuditRow } from '@/db/schema';
import type { Actor, RequestMeta } from '@/server/context';
import { exportAudit, recordAudit, type AuditFilter } from '@/server/services/audit';

export type AuditExportFormat = 'csv' | 'jsonl';

export const AUDIT_EXPORT_COLUMNS = ['id', 'occurredAt', 'actorType', 'actorId', 'actorLabel', 'action', 'resourceType',
  'resourceId', 'result', 'sourceIp', 'userAgent', 'requestId', 'changes', 'prevHash', 'hash'] as const satisfies readonly (keyof AuditRow)[];

export const AUDIT_EXPORT_CONTENT_TYPE: Record<AuditExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a leading quote stops it.
const FORMULA_START = /^[=+\-@\t\r]/;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One CSV field (RFC 4180 quoting), made inert for spreadsheets. */
export function csvCell(value: unknown): string {
  let text = cellText(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function exportLine(row: AuditRow, format: AuditExportFormat): string {
  if (format === 'csv') return csvRow(AUDIT_EXPORT_COLUMNS.map((c) => row[c]));
  const picked = Object.fromEntries(AUDIT_EXPORT_COLUMNS.map((c) => [c, row[c]]));
  return `${JSON.stringify(picked)}\n`;
}

const ROWS_PER_CHUNK = 200;

/**
 * The tenant's matching audit entries as a byte stream, oldest first. Rows are read page by page as the client
 * consumes the stream, so memory stays flat however long the trail is. The export itself is audited first.
 * Callers check `audit:read` before calling (the REST route runs the audit.list procedure for that).
 */
export async function auditExportStream(db: Db, args: {
  tenantId: string; filter: AuditFilter; format: AuditExportFormat; actor: Actor; meta: RequestMeta;
}): Promise<ReadableStream<Uint8Array>> {
  await withTenant(db, args.tenantId, (tx) => recordAudit(tx, {
    tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'audit.export', resourceType: 'audit_log',
    changes: { format: args.format, filter: args.filter },
  }));
  const rows = exportAudit(db, { tenantId: args.tenantId, filter: args.filter });
  const encoder = new TextEncoder();
  let header = args.format === 'csv' ? csvRow(AUDIT_EXPORT_COLUMNS) : '';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = header;
      header = '';
      for (let n = 0; n < ROWS_PER_CHUNK; n++) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += exportLine(next.value, args.format);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
