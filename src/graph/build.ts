/** A plan plus resolved values plus data shapes -> a tfjs functional model whose outputs are the heads. */
import * as tfl from '@tensorflow/tfjs-layers';
import { BLOCKS } from '../blocks/registry';
import { HEADS } from '../heads/registry';
import { BuildContext, Sym, makeContext } from '../blocks/block';
import type { HeadInfo, InputInfo } from '../data/source';
import type { Plan } from './plan';
import { trainedLayerName } from '../data/target-scaling';
import type { Resolution } from './resolve';

export interface Shapes {
  inputs: Record<string, InputInfo>;
  heads: Record<string, HeadInfo>;
}

type Stats = BuildContext['stats'];
/** Blocks that keep their input's values where they were, so data statistics still describe them. */
const STATS_PRESERVING = new Set(['image_augmentation']);

export function buildModel(plan: Plan, resolution: Pick<Resolution, 'blocks' | 'heads'>, shapes: Shapes, forExport = false): tfl.LayersModel {
  const nodes = new Map<string, Sym>();
  const stats = new Map<string, Stats>();
  const counter = new Map<string, number>();
  const inputs = plan.inputs.map((name) => {
    const info = shapes.inputs[name];
    const t = tfl.input({ shape: info.shape, dtype: info.dtype, name });
    nodes.set(name, t);
    stats.set(name, info.stats);
    return t;
  });
  for (const block of plan.blocks) {
    const def = BLOCKS[block.spec.type];
    const from = block.inputs.map((n) => nodes.get(n)!);
    // Token ids come straight from a text input: its vocabulary sizes the embedding.
    const vocabSize = shapes.inputs[block.inputs[0]]?.vocabSize;
    const ctx = makeContext(block.name, forExport, stats.get(block.inputs[0]), counter, vocabSize, plan.dir);
    nodes.set(block.name, def.build(ctx, from, resolution.blocks[block.name]));
    if (STATS_PRESERVING.has(block.spec.type)) stats.set(block.name, stats.get(block.inputs[0]));
  }
  const outputs = plan.heads.map((h) => {
    const ctx = makeContext(h.name, forExport, undefined, counter);
    return HEADS[h.spec.type].build(ctx, nodes.get(h.input)!, shapes.heads[h.name], resolution.heads[h.name]);
  });
  return tfl.model({ inputs, outputs, name: 'automm' });
}

/**
 * Copies weights layer by layer by name: the export graph is the training graph minus training-only
 * layers, plus each scaled regression head's fixed rescaling (frozen dense layers holding their own
 * constants), whose trained output layer is renamed `<head>_standardised` there. A frozen layer the
 * source lacks keeps the weights it was built with (a pretrained backbone whose features were
 * cached, so that only the head was trained).
 */
export function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): void {
  const source = new Set(from.layers.map((l) => l.name));
  for (const layer of to.layers) {
    if (layer.getWeights().length === 0 || isFixedRescale(layer)) continue;
    const name = trainedLayerName(layer.name);
    if (!layer.trainable && !source.has(name)) continue;
    layer.setWeights(from.getLayer(name).getWeights());
  }
}

/**
 * Frozen dense layers hold constants of their own, set when they are built: target rescaling
 * (target-scaling.ts) and a pretrained block's bilinear resize (pretrained/resize.ts).
 */
const isFixedRescale = (layer: tfl.layers.Layer) => !layer.trainable && layer.getClassName() === 'Dense';
