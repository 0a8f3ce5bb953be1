/** The searchable optimizer and learning rate, and the tfjs optimizers they name. */
import * as tf from '@tensorflow/tfjs-core';
import { Hp, choice } from '../spec/space';
import { FusedAdam, FusedAdamW, FusedMomentum, FusedRMSProp } from './fused-optimizers';

export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const OPTIMIZER_PARAMS = {
  // AutoKeras searches adam, sgd and adam with weight decay; adam first: the safest default.
  optimizer: Hp.enum(OPTIMIZERS, { default: choice('adam', 'adamw', 'sgd', 'rmsprop'), doc: 'the optimizer' }),
  // AutoKeras's learning-rate choices, 1e-3 first (Adam's usual default), less its 2e-5: that rate is
  // for fine-tuning pretrained weights, and from scratch it reached 47% on digits in 4 epochs where
  // 1e-3 reached 94% (bench:quality mnist, validation rows), a trial lost in a small budget. 3e-3 instead.
  learning_rate: Hp.float({ min: 0, max: 10, default: choice(1e-3, 1e-2, 1e-4, 3e-3), doc: 'the learning rate' }),
};

/**
 * Keras's epsilon (1e-7) rather than tfjs's 1e-8 default for Adam: matches published results. The
 * fused classes are tfjs's optimizers with each weight's update in one loop (fused-optimizers.ts).
 */
export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam': return new FusedAdam(learningRate, 0.9, 0.999, 1e-7);
    case 'adamw': return new FusedAdamW(learningRate);
    // Plain SGD needs momentum to be competitive; 0.9 is the Keras examples' value.
    case 'sgd': return new FusedMomentum(learningRate, 0.9);
    case 'rmsprop': return new FusedRMSProp(learningRate, 0.9, 0, 1e-7);
  }
}

/** Learning-rate reduction on a plateau. tfjs's SGD family caches the rate in a tensor (setLearningRate); Adam and RMSProp read the field. */
export function reduceLearningRate(optimizer: tf.Optimizer, factor: number, minLr: number): void {
  const opt = optimizer as unknown as { learningRate: number; setLearningRate?(lr: number): void };
  const lr = Math.max(minLr, opt.learningRate * factor);
  if (opt.setLearningRate) opt.setLearningRate(lr);
  else opt.learningRate = lr;
}
