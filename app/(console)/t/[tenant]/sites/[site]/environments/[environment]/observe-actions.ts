'use server';

import { serverCaller } from '@/server/caller';
import { explainError } from '../../../../../../_lib/run-action';
import type { EnvironmentRef } from '../environment-ref';


/** The log lines after `since`, for the log panel's Follow; the procedure checks the signed-in person's access. */
export async function followLogsAction(ref: EnvironmentRef, since: string | null) {
  try {
    return await (await serverCaller()).environments.logs({ ...ref, ...(since ? { since } : {}) });
  } catch (err) {
    return { error: explainError(err).message ?? 'The log could not be read.' };
  }
}
