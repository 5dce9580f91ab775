import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadBackup } from './gateway-api';

// The backup download against a real HTTP server: its timeout bounds silence, not the length of a backup.
let server: Server | undefined;

async function gatewayAnswering(answer: (res: ServerResponse) => void): Promise<number> {
  server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const collect = async (stream: AsyncIterable<Buffer>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

describe('downloadBackup', () => {
  it('keeps a backup that takes longer than the timeout in all, as long as it keeps arriving', async () => {
    const port = await gatewayAnswering((res) => {
      res.writeHead(200);
      let sent = 0;
      const tick = setInterval(() => {
        res.write(`part${sent}.`);
        if (++sent === 8) { clearInterval(tick); res.end(); }
      }, 60);
    });
    const started = Date.now();
    const body = await collect(await downloadBackup({ port, token: 't' }, { timeoutMs: 200 }));
    expect(Date.now() - started).toBeGreaterThan(400);
    expect(body).toBe('part0.part1.part2.part3.part4.part5.part6.part7.');
  });

  it('fails a backup that stops arriving, naming the silence', async () => {
    const port = await gatewayAnswering((res) => { res.writeHead(200); res.write('only this'); });
    const stream = await downloadBackup({ port, token: 't' }, { timeoutMs: 200 });
    await expect(collect(stream)).rejects.toThrow('the gateway stopped sending the backup (nothing for 0.2 s)');
  });

  it('fails when no answer comes at all', async () => {
    const port = await gatewayAnswering(() => { /* never answers */ });
    await expect(downloadBackup({ port, token: 't' }, { timeoutMs: 200 })).rejects.toThrow(/did not answer the backup request/);
  });
});
