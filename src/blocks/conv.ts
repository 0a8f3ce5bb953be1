import { BlockDef, BuildContext, Params, Sym } from './block';
import { convLayer, maxPool } from './conv-layers';
import { applyLayer, requireRank } from './layers';
import { Hp, choice } from '../spec/space';
import { dropoutLayer } from './dropout';

/**
 * AutoKeras's ConvBlock: `num_blocks` times (`num_layers` convolutions, max pooling, dropout).
 * The first value of each space is AutoKeras's image classifier first trial (its `initial_hps`:
 * kernel 3, one block of two 32/64-filter layers, pooling, dropout 0.25, then a flattening head),
 * the Keras MNIST convnet's shape; the rest of each space keeps the smaller and larger settings.
 */
export const conv: BlockDef = {
  type: 'conv',
  doc: 'Convolution blocks with max pooling and dropout: 2-D on images [h, w, c], 1-D on sequences [t, c].',
  arity: 'one',
  params: {
    kernel_size: Hp.int({ min: 1, max: 15, default: choice(3, 5, 7), doc: 'convolution window (square on images)' }),
    num_blocks: Hp.int({ min: 1, max: 8, default: choice(1, 2, 3), doc: 'blocks of convolutions, each followed by pooling and dropout' }),
    num_layers: Hp.int({ min: 1, max: 8, default: choice(2, 1), doc: 'convolutions per block' }),
    filters: Hp.int({ min: 1, default: choice(32, 64, 16, 128), doc: 'filters per convolution' }),
    max_pooling: Hp.bool({ default: choice(true, false), doc: 'max pooling (window kernel_size - 1) after each block' }),
    separable: Hp.bool({ default: choice(false, true), doc: 'depthwise-separable convolutions (fewer weights)' }),
    dropout: Hp.float({ min: 0, max: 0.95, default: choice(0.25, 0, 0.5), doc: 'dropout rate after each block' }),
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'conv', input, [3, 2], 'image-like features [h, w, c] or a sequence [t, c]');
    let x = input;
    for (let b = 0; b < p.num_blocks; b++) {
      for (let l = 0; l < p.num_layers; l++) x = convLayer(ctx, x, { filters: p.filters, kernelSize: p.kernel_size, separable: p.separable });
      // AutoKeras pools with a window one smaller than the kernel; at least 2 so pooling pools.
      if (p.max_pooling) x = maxPool(ctx, x, Math.max(2, p.kernel_size - 1));
      if (p.dropout > 0) x = applyLayer(dropoutLayer({ rate: p.dropout, name: ctx.layerName('dropout') }), x);
    }
    return x;
  },
};
