/**
 * Validation of pretrained blocks against their model files, without a tensor engine: the file
 * exists and is a layers model, output_layer names one of its layers, and the input's images have
 * the channels the backbone takes. Each problem is reported at the spec key it belongs to.
 */
import * as path from 'node:path';
import type { CheckProblem } from '../spec/check-problem';
import type { RawSpec } from '../spec/schema';
import { suggestion } from '../util/suggest';
import { BackboneError, BackboneTopology, readTopology } from './model-file';

type Written = { type: string; input?: string; model?: unknown; output_layer?: unknown; preprocess?: { mean?: number[] } };

export function pretrainedProblems(spec: RawSpec, file: string): CheckProblem[] {
  const blocks = (spec.blocks ?? {}) as Record<string, Written>;
  return Object.entries(blocks)
    .filter(([, b]) => b.type === 'pretrained' && typeof b.model === 'string')
    .flatMap(([name, b]) => blockProblems(spec, name, b, path.resolve(path.dirname(file), b.model as string)));
}

function blockProblems(spec: RawSpec, name: string, b: Written, file: string): CheckProblem[] {
  let top: BackboneTopology;
  try {
    top = readTopology(file);
  } catch (err) {
    if (err instanceof BackboneError) return [{ path: ['blocks', name, 'model'], message: err.message }];
    throw err;
  }
  const problems: CheckProblem[] = [];
  const layers = top.layers.map((l) => l.name);
  if (typeof b.output_layer === 'string' && !layers.includes(b.output_layer)) {
    problems.push({ path: ['blocks', name, 'output_layer'], message: `no layer "${b.output_layer}" in ${file}; ${suggestion(b.output_layer, layers)}` });
  }
  const shape = top.input.shape;
  if (shape.length !== 3) {
    problems.push({ path: ['blocks', name, 'model'], message: `the model takes inputs of shape ${show(shape)}; a pretrained block needs an image model [h, w, c]` });
    return problems;
  }
  const input = b.input !== undefined ? (spec.inputs as Record<string, { type: string; shape?: number[] }>)[b.input] : undefined;
  if (input && input.type !== 'image') {
    problems.push({ path: ['blocks', name, 'input'], message: `shape mismatch: the backbone takes images ${show(shape)}, input "${b.input}" is ${input.type}` });
  } else if (input?.shape && input.shape[2] !== shape[2]) {
    problems.push({ path: ['blocks', name, 'input'], message: `shape mismatch: the backbone takes images ${show(shape)} (${shape[2]} channels), input "${b.input}" has shape ${show(input.shape)}; give the input ${shape[2]} channels (height and width are resized)` });
  }
  const mean = b.preprocess?.mean;
  if (Array.isArray(mean) && mean.length !== shape[2]) {
    problems.push({ path: ['blocks', name, 'preprocess'], message: `expected ${shape[2]} means and stds (one per channel of the backbone's input), got ${mean.length}` });
  }
  return problems;
}

const show = (shape: ReadonlyArray<number | null>) => `[${shape.map((d) => d ?? '?').join(', ')}]`;
