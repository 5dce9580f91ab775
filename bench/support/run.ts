/** Runs a benchmark's main; a failure prints its stack under the bench's name and exits 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:${name} failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
