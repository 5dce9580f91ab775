/** Helpers shared by this folder's tests. */
import { expect } from 'vitest';
import { ArtifactRejected, type ArtifactRejectionCode } from './errors';

export async function rejection(promise: Promise<unknown>): Promise<ArtifactRejected> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ArtifactRejected) return error;
    throw error;
  }
  throw new Error('expected ArtifactRejected, got success');
}

export async function expectRejected(
  promise: Promise<unknown>,
  code: ArtifactRejectionCode,
  message?: RegExp,
): Promise<ArtifactRejected> {
  const error = await rejection(promise);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}
