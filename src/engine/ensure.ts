/** An engine for library calls that did not pick one: the first call starts one, later calls reuse it. */
import * as tf from '@tensorflow/tfjs-core';
import { BackendChoice, EngineInfo, initEngine } from './backend';

let started: Promise<EngineInfo> | undefined;

/** Starts `choice` unless a backend is already active (the caller's own, or one started here). */
export function ensureEngine(choice: BackendChoice = 'auto'): Promise<EngineInfo> {
  // backendName stays unset until some backend is initialised; reading it does not start one.
  const active = (tf.engine() as unknown as { backendName?: string | null }).backendName;
  if (active) return started ?? Promise.resolve({ backend: active, reason: `${active}: already active` });
  started ??= initEngine(choice);
  return started;
}
