/**
 * Checks the block and head tests run on every model: a save/load round trip through memory (what
 * an export does, without files), and the tensor count around a piece of work.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Serialises a model's topology and weights and loads them back as a new model. */
export async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
}

/** Runs `work` and returns how many tensors it left allocated (0 when it cleans up after itself). */
export async function leakedTensors(work: () => Promise<void> | void): Promise<number> {
  const before = tf.memory().numTensors;
  await work();
  return tf.memory().numTensors - before;
}
