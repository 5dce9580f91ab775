/** Where the CLI writes; main() gets real streams, so commands never touch process directly. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
