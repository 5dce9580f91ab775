import type { BundleProblem, BundleProblemCode } from './types';

/** Collects problems during a scan; the scan never throws for a bad file, it logs one here. */
export class ProblemLog {
  readonly problems: BundleProblem[] = [];

  error(path: string, code: BundleProblemCode, message: string): undefined {
    this.problems.push({ path, code, severity: 'error', message });
    return undefined;
  }

  warning(path: string, code: BundleProblemCode, message: string): void {
    this.problems.push({ path, code, severity: 'warning', message });
  }
}

export { quoteUntrusted } from '../artifacts/descriptors';
