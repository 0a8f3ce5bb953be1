/**
 * Models on disk in the standard TensorFlow.js layers format (model.json + weights.bin), written and
 * read with plain fs so no file:// handler (tfjs-node) is needed, and written atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FileError, readJson, replaceDirAtomic, writeFileAtomic } from '../util/atomic';
import { ArtifactError, WeightsRecord, verifyWeights, weightsRecord } from './verify';
import { FILE } from '../util/file-names';
import { registerCustomLayers } from '../blocks/registry';

export const MODEL_JSON = FILE.model;
export const WEIGHTS_BIN = FILE.weights;

/** The files of a saved model, for a directory being filled (used inside replaceDirAtomic). */
export async function writeModelFiles(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData as ArrayBuffer | ArrayBuffer[]));
      writeFileAtomic(path.join(dir, WEIGHTS_BIN), weightData);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `automm (TensorFlow.js ${tf.version_core})`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
        // Checked on every load (export/verify.ts); plain tfjs keeps it as the model's user metadata.
        userDefinedMetadata: { automm: { weights: weightsRecord(weightData) } },
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

/**
 * Loads the way plain tfjs would from these files: the topology plus the weight bytes, verified
 * first. Training graphs (trial and best models) hold layer classes of automm's own, registered here.
 */
export async function loadModelDir(dir: string): Promise<tfl.LayersModel> {
  const { json, bytes, weightSpecs } = readVerified(dir);
  registerCustomLayers();
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}

/** Throws, naming the file, unless the weights are whole and the ones recorded at save. */
export function verifyModelDir(dir: string): void {
  readVerified(dir);
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: tf.io.WeightsManifestConfig;
  userDefinedMetadata?: { automm?: { weights?: WeightsRecord } };
}

function readVerified(dir: string) {
  const json = readJson<ModelJson>(path.join(dir, MODEL_JSON));
  if (!Array.isArray(json.weightsManifest)) throw new FileError(path.join(dir, MODEL_JSON), 'has no weightsManifest; it is not a TensorFlow.js layers model');
  const files = json.weightsManifest.flatMap((group) => group.paths);
  const buffers = files.map((p) => {
    try {
      return fs.readFileSync(path.join(dir, p));
    } catch (err) {
      throw new ArtifactError(`${path.join(dir, p)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `cannot be read (${(err as NodeJS.ErrnoException).code})`}; model.json lists it as the model's weights`);
    }
  });
  const bytes = Buffer.concat(buffers);
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  verifyWeights(dir, files.join(' + '), bytes, weightSpecs, json.userDefinedMetadata?.automm?.weights);
  return { json, bytes, weightSpecs };
}
