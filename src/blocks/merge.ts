import * as tfl from '@tensorflow/tfjs-layers';
import { BlockDef, BuildContext, Params, Sym, featureRank } from './block';
import { GraphShapeError, showShape } from './errors';
import { applyLayer, exampleShape } from './layers';
import { reduceTo1d } from './reduce';
import { Hp, fixed } from '../spec/space';

const sameShape = (a: Sym, b: Sym): boolean => JSON.stringify(exampleShape(a)) === JSON.stringify(exampleShape(b));
/** Concatenation along channels needs every other dimension equal. */
const sameButLast = (a: Sym, b: Sym): boolean => featureRank(a) === featureRank(b) && JSON.stringify(exampleShape(a).slice(0, -1)) === JSON.stringify(exampleShape(b).slice(0, -1));

/**
 * AutoKeras's Merge: joins several nodes. Inputs that cannot be joined as they are (an image
 * feature map and a vector, or maps of different sizes) are first reduced to vectors by global
 * average pooling, AutoKeras's rule. `add` then needs equal shapes.
 */
export const merge: BlockDef = {
  type: 'merge',
  doc: 'Joins several nodes by concatenation or addition; features of different ranks are reduced to vectors first.',
  arity: 'many',
  params: {
    // AutoKeras searches add too, but add fails whenever widths differ (most graphs), which would
    // waste trials; write `mode: {choice: [concatenate, add]}` to search it.
    mode: Hp.enum(['concatenate', 'add'], { default: fixed('concatenate'), doc: 'concatenate along the last axis, or add element-wise' }),
  },
  build(ctx: BuildContext, inputs: Sym[], p: Params): Sym {
    if (inputs.length === 1) return inputs[0];
    const joinable = p.mode === 'add' ? sameShape : sameButLast;
    const xs = inputs.every((x) => joinable(x, inputs[0])) ? inputs : inputs.map((x) => reduceTo1d(ctx, x, 'global_avg'));
    if (p.mode === 'add') {
      const other = xs.find((x) => !sameShape(x, xs[0]));
      if (other) throw new GraphShapeError(ctx.name, `merge "${ctx.name}" mode add needs equal shapes, got ${showShape(exampleShape(xs[0]))} and ${showShape(exampleShape(other))}`);
      return applyLayer(tfl.layers.add({ name: ctx.layerName('add') }), xs);
    }
    return applyLayer(tfl.layers.concatenate({ axis: -1, name: ctx.layerName('concat') }), xs);
  },
};
