// A thin promise wrapper over the docker CLI, shared by the image builder and the Docker tests.
import { spawn } from 'node:child_process';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker <args>`; never throws for a non-zero exit (see `docker` for that). */
export function dockerTry(args: string[], input?: string | Buffer): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (cause) => reject(new Error(`cannot run the docker CLI (${cause.message}); install docker and put it on PATH`)));
    child.on('close', (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(input);
  });
}

/** Runs `docker <args>` and returns trimmed stdout; a failure names the subcommand and docker's own message. */
export async function docker(args: string[], input?: string | Buffer): Promise<string> {
  const result = await dockerTry(args, input);
  if (result.code !== 0) {
    throw new Error(`docker ${args[0] ?? ''} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return result.stdout.trim();
}
