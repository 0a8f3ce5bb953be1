/** A plan plus resolved values plus data shapes -> a tfjs functional model whose outputs are the heads. */
import * as tfl from '@tensorflow/tfjs-layers';
import { BLOCKS } from '../blocks/registry';
import { HEADS } from '../heads/registry';
import { BuildContext, Sym, makeContext } from '../blocks/block';
import type { HeadInfo, InputInfo } from '../data/source';
import type { Plan } from './plan';
import { rescaleLayerNames, trainedLayerName } from '../data/target-scaling';
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
 * Copies weights layer by layer by name, either way between a training graph and its export: the
 * export is the training graph minus training-only layers, plus each scaled regression head's fixed
 * rescaling, whose trained output layer is renamed `<head>_standardised` there. A frozen layer the
 * source lacks keeps the weights it was built with (a pretrained backbone whose features were
 * cached, so that only the head was trained); one the source has is copied like any other.
 */
export function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): void {
  const source = byTrainedName(from);
  for (const [name, layer] of byTrainedName(to)) {
    const weights = source.get(name);
    if (weights) layer.setWeights(weights.getWeights());
    else if (layer.trainable) throw new Error(`copyWeights: model "${from.name}" has no layer "${name}" for the trained layer "${layer.name}"`);
  }
}

/**
 * A model's layers that hold weights, keyed by their name in a training graph. An export's rescaling
 * layers are left out: they hold constants of their own, and one of them has the name its head's
 * trained layer has in the training graph.
 */
function byTrainedName(model: tfl.LayersModel): Map<string, tfl.layers.Layer> {
  const weighted = model.layers.filter((l) => l.weights.length > 0);
  const renamed = weighted.map((l) => trainedLayerName(l.name)).filter((name, i) => name !== weighted[i].name);
  const fixed = new Set(renamed.flatMap(rescaleLayerNames));
  return new Map(weighted.filter((l) => !fixed.has(l.name)).map((l) => [trainedLayerName(l.name), l]));
}
