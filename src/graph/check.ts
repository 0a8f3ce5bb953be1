/**
 * validate's graph check: the spec's graph built symbolically, every block in its default
 * configuration, on shapes taken from the spec alone (no data read). A wrong rank, a merge of
 * unequal shapes or a head that cannot read its input is then reported at `blocks.<name>` with its
 * line:col, before any project is created, instead of failing every trial.
 */
import * as tf from '@tensorflow/tfjs-core';
// validate runs without an engine; symbolic layers still create their weights on some backend.
import '@tensorflow/tfjs-backend-cpu';
import { BlockGraphError } from '../blocks/errors';
import { HEADS } from '../heads/registry';
import { defaultValue } from '../spec/space';
import type { Spec } from '../spec/types';
import { inputDef } from '../inputs/registry';
import type { KeyPath } from '../spec/load';
import { buildModel } from './build';
import { planGraph } from './plan';
import { resolveTrial } from './resolve';
import { gb } from '../spec/resources';

/** Weights, gradients and Adam's two moments. */
const TRAINING_COPIES = 4;
/** What the wasm engine addresses; native engines may hold more, but every trial would start here. */
const MAX_TRAINING_BYTES = 4 * 2 ** 30;

export interface GraphProblem {
  path: KeyPath;
  message: string;
}

/** The default configuration's graph problem, if any, and its size in parameters. */
export function checkGraph(spec: Spec): { problem?: GraphProblem; params?: number } {
  const plan = planGraph(spec);
  const resolution = resolveTrial(spec, plan, (_name, def) => defaultValue(def));
  const heads = Object.fromEntries(Object.entries(spec.heads).map(([name, h]) => [name, HEADS[h.type].info(name, h)]));
  const inputs = Object.fromEntries(Object.entries(spec.inputs).map(([name, i]) => [name, inputDef(i.type).specInfo(name, i)]));
  quietCpuBackend();
  try {
    const model = buildModel(plan, resolution, { inputs, heads });
    const params = model.countParams();
    model.dispose();
    const bytes = params * 4 * TRAINING_COPIES;
    if (bytes > MAX_TRAINING_BYTES) {
      return { params, problem: { path: [], message: `the default configuration has ${params.toLocaleString('en')} parameters, which take ${gb(bytes)} to train (weights, gradients and Adam's two moments), beyond ${gb(MAX_TRAINING_BYTES)}; use smaller blocks or inputs` } };
    }
    return { params };
  } catch (err) {
    if (!(err instanceof BlockGraphError)) throw err;
    // The layers built before the failing one keep their weights; a spec that fails here is not trained, so they are left to exit.
    const section = spec.heads[err.block] ? 'heads' : spec.blocks[err.block] && !spec.basic ? 'blocks' : undefined;
    return { problem: { path: section ? [section, err.block] : ['inputs'], message: err.message + (section ? '' : ` (in the graph automm builds for basic mode, block "${err.block}")`) } };
  }
}

/** tfjs's cpu backend advertises tfjs-node on its first tensor; validation is not the place for that. */
function quietCpuBackend(): void {
  // No engine chosen yet (validate, or search before initEngine): the cpu backend, set synchronously.
  if (!tf.getBackend()) void tf.setBackend('cpu');
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | undefined;
  if (tf.getBackend() === 'cpu' && cpu) cpu.firstUse = false;
}
