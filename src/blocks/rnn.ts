import * as tfl from '@tensorflow/tfjs-layers';
import { BlockDef, BuildContext, Params, Sym } from './block';
import { applyLayer, exampleShape, requireRank } from './layers';
import { Hp, choice } from '../spec/space';

const CELLS = { lstm: tfl.layers.lstm, gru: tfl.layers.gru } as const;

/**
 * Not Keras's 'orthogonal': tfjs-layers' Orthogonal initialiser calls chained tensor methods that
 * only the full @tensorflow/tfjs bundle installs (it fails with tfjs-core alone, here and when a
 * saved model is loaded), and runs a slow QR decomposition. Glorot-uniform trains these small,
 * short-sequence RNNs as well.
 */
const RECURRENT_INIT = 'glorotUniform';

/**
 * AutoKeras's RNNBlock: stacked LSTM or GRU layers over a sequence [t, c]; every layer but the last
 * returns its whole sequence, the last only its final state, so the block outputs a vector.
 * Units equal the input's feature size, as in AutoKeras (read once, so bidirectional layers,
 * which concatenate both directions, do not double the width at every layer).
 */
export const rnn: BlockDef = {
  type: 'rnn',
  doc: 'Stacked LSTM or GRU layers over a sequence [t, c] (an embedding\'s output); outputs the last state.',
  arity: 'one',
  params: {
    layer_type: Hp.enum(['lstm', 'gru'], { default: choice('lstm', 'gru'), doc: 'recurrent cell' }),
    // One way first (AutoKeras tries both ways first): tfjs runs recurrent layers step by step,
    // so a second direction doubles what is already the slowest block per weight.
    bidirectional: Hp.bool({ default: choice(false, true), doc: 'read the sequence both ways and concatenate' }),
    num_layers: Hp.int({ min: 1, max: 4, default: choice(1, 2, 3), doc: 'stacked recurrent layers' }),
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'rnn', input, [2], 'a sequence [t, c] (put an embedding before token ids)');
    const units = exampleShape(input)[1] as number;
    let x = input;
    for (let i = 0; i < p.num_layers; i++) {
      const returnSequences = i < p.num_layers - 1;
      const cell = CELLS[p.layer_type as keyof typeof CELLS]({ units, returnSequences, recurrentInitializer: RECURRENT_INIT, name: ctx.layerName(p.layer_type) });
      const layer = p.bidirectional ? tfl.layers.bidirectional({ layer: cell as tfl.RNN, mergeMode: 'concat', name: ctx.layerName('bidirectional') }) : cell;
      x = applyLayer(layer, x);
    }
    return x;
  },
};
