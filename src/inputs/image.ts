/**
 * Image inputs: a column of image file paths (or an image folder), resized to `shape` and scaled to
 * [0, 1]. Decoding needs files, so the pipeline does it (storage 'image-files', data/image.ts); this
 * module holds the rest.
 */
import { Type, type Static } from '@sinclair/typebox';
import { columnName, posInt } from '../spec/schema-parts';
import { isMissing } from '../data/values';
import { defineInput, unitStats } from './input';

const schema = Type.Object(
  {
    type: Type.Literal('image'),
    shape: Type.Tuple([posInt(), posInt(), Type.Union([Type.Literal(1), Type.Literal(3)], { expected: '1 (grey) or 3 (RGB) channels' })], { expected: '[height, width, channels]' }),
    column: Type.Optional(columnName()),
  },
  { additionalProperties: false },
);
export type ImageInput = Static<typeof schema>;

// A type, not an interface: a state is a record of JSON values (LearnedState).
export type ImageState = {
  column: string;
  shape: [number, number, number];
  /** How pixels are made: for people and other tools reading preprocessing.json. */
  resize: 'stretch-linear';
  scale: 'divide-255';
};

/** [height, width, channels], as written. */
const shapeOf = (written: ImageInput) => [...written.shape];

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export const image = defineInput<ImageInput, ImageInput, ImageState>({
  type: 'image',
  doc: 'image files named in a column (PNG, JPEG, WebP, GIF), resized to shape and scaled to [0, 1]',
  example: { type: 'image', shape: [8, 8, 3] },
  schema,
  exampleShape: shapeOf,
  sizeKey: 'shape',
  columns: (name, written) => [written.column ?? name],
  check: (cells, columns) => (isMissing(cells[0]) ? [{ column: columns[0], message: 'missing image path' }] : []),
  storage: 'image-files',
  stats: 'images',
  learner(written, columns) {
    const state: ImageState = { column: columns[0], shape: [...written.shape], resize: 'stretch-linear', scale: 'divide-255' };
    return { add: () => undefined, fit: () => ({ ...state }) };
  },
  // The learned state holds the shape too (copied from the spec): written once, in info's place.
  saved: (name, _written, { shape, ...state }) => ({ name, type: 'image', shape: [...shape], dtype: 'float32', ...state }),
  savedColumns: (saved) => [saved.column],
  specInfo: (name, written) => ({ name, type: 'image', shape: shapeOf(written), dtype: 'float32', stats: unitStats(written.shape[2]) }),
  synth(written, z, rng) {
    const shape = [...written.shape];
    const size = shape[0] * shape[1] * shape[2];
    const data = new Float32Array(z.length * size);
    // Brightness carries the signal; the rest is uniform noise in [0, 1] like scaled pixels.
    for (let r = 0; r < z.length; r++) for (let i = 0; i < size; i++) data[r * size + i] = clamp01(0.5 + 0.15 * z[r] + 0.35 * (rng.next() - 0.5));
    return { shape, dtype: 'float32', data };
  },
  cellSchema: {
    type: 'object',
    required: ['b64'],
    properties: { b64: { type: 'string', minLength: 1, description: 'base64 image bytes' } },
    additionalProperties: false,
    description: 'an image as {"b64": "<base64 PNG, JPEG, WebP or GIF>"}',
  },
  basicBlock: () => ({ type: 'image' }),
});
