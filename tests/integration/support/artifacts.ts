import { Readable } from 'node:stream';
import { objectStore } from '@/server/storage';
import { baseUrl } from '../../helpers/http';

export interface UploadAnswer { status: number; json: Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any

/** PUT through the streaming route, like `curl -T`; `chunked` sends no Content-Length (a pipe). */
export async function uploadOver(token: string, tenantId: string, data: Buffer, params: Record<string, string>, opts: { chunked?: boolean } = {}): Promise<UploadAnswer> {
  const url = `${baseUrl()}/api/v1/tenants/${tenantId}/uploads?${new URLSearchParams(params)}`;
  const body = opts.chunked ? Readable.toWeb(Readable.from([data])) as ReadableStream : data;
  const res = await fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body, ...(opts.chunked ? { duplex: 'half' } : {}) } as RequestInit);
  return { status: res.status, json: await res.json() as Record<string, unknown> };
}

/** Every object stored for the tenant, staging included, sorted. */
export async function storedKeys(tenantId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of objectStore().list(`tenants/${tenantId}/`)) keys.push(object.key);
  return keys.sort();
}
