// The part of s3rver 3.7 (no published types) that embedded.ts uses.
declare module 's3rver' {
  import type { RequestListener, Server } from 'node:http';
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }
  interface KoaContext {
    method: string;
    path: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    body: unknown;
  }
  type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
  class S3rver {
    constructor(options?: S3rverOptions);
    middleware: Middleware[];
    store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
    httpServer?: Server;
    run(): Promise<{ address: string; port: number }>;
    callback(): RequestListener;
    close(): Promise<void>;
  }
  export default S3rver;
}
