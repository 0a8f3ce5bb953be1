/**
 * Models on disk in the standard TensorFlow.js layers format (model.json + weights.bin), written and
 * read with plain fs so no file:// handler (tfjs-node) is needed, and written atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { replaceDirAtomic, writeFileAtomic } from '../util/atomic';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** The files of a saved model, for a directory being filled (used inside replaceDirAtomic). */
export async function writeModelFiles(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData as ArrayBuffer | ArrayBuffer[]);
      writeFileAtomic(path.join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `automm (TensorFlow.js ${tf.version_core})`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
      };
      writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Saves into dir, replacing what was there in one rename. `extra` adds files beside the model. */
export async function saveModelDir(model: tfl.LayersModel, dir: string, extra: Record<string, string> = {}): Promise<void> {
  await replaceDirAtomic(dir, async (temp) => {
    await writeModelFiles(model, temp);
    for (const [name, text] of Object.entries(extra)) writeFileAtomic(path.join(temp, name), text);
  });
}

/** Loads the way plain tfjs would from these files: the topology plus the weight bytes. */
export async function loadModelDir(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, MODEL_JSON), 'utf8'));
  const manifest = json.weightsManifest as tf.io.WeightsManifestConfig;
  const buffers = manifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const bytes = Buffer.concat(buffers);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const weightSpecs = manifest.flatMap((group) => group.weights);
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}
