/** Text inputs: a column of text, tokenised as Keras's TextVectorization does it (data/text.ts). */
import { Type, type Static } from '@sinclair/typebox';
import { columnName, posInt } from '../spec/schema-parts';
import { TextState, textEncoder, textLearner, textVocabSize } from '../data/text';
import { defineInput } from './input';

const schema = Type.Object(
  {
    type: Type.Literal('text'),
    max_tokens: Type.Optional(Type.Integer({ minimum: 3, expected: 'an integer >= 3 (vocabulary size)' })),
    sequence_length: Type.Optional(posInt()),
    column: Type.Optional(columnName()),
  },
  { additionalProperties: false },
);
type TextInput = Static<typeof schema>;
/** A text input after defaults: its vocabulary and length are always set. */
export type TextSpec = TextInput & Required<Pick<TextInput, 'max_tokens' | 'sequence_length'>>;

export const TEXT_DEFAULTS: Required<Pick<TextInput, 'max_tokens' | 'sequence_length'>> = {
  // AutoKeras's text defaults are larger (20000 tokens); 64 steps keep CPU trials in seconds.
  max_tokens: 20000,
  sequence_length: 64,
};

/** Token ids per row. */
const shapeOf = (written: TextSpec) => [written.sequence_length];

export const text = defineInput<TextInput, TextSpec, TextState>({
  type: 'text',
  doc: 'text in a column: lowercase words, the max_tokens most frequent as the vocabulary, padded or cut to sequence_length',
  example: { type: 'text', max_tokens: 50, sequence_length: 8 },
  schema,
  withDefaults: (written) => ({ ...TEXT_DEFAULTS, ...written }),
  exampleShape: shapeOf,
  sizeKey: 'sequence_length',
  columns: (name, written) => [written.column ?? name],
  storage: 'values',
  stats: 'none',
  learner(written, columns) {
    const learner = textLearner(columns[0], written.max_tokens, written.sequence_length);
    return { add: (cells) => learner.add(cells[0]), fit: () => ({ ...learner.fit() }) };
  },
  saved: (name, written, state) => ({ name, type: 'text', shape: [written.sequence_length], dtype: 'int32', vocabSize: textVocabSize(state), ...state }),
  savedColumns: (saved) => [saved.column],
  writer(saved) {
    const encoder = textEncoder(saved);
    return { columns: [saved.column], width: encoder.width, write: (values, out, at) => void encoder.write(values[0], out as Int32Array, at) };
  },
  specInfo: (name, written) => ({ name, type: 'text', shape: shapeOf(written), dtype: 'int32', vocabSize: written.max_tokens }),
  synth(written, z, rng) {
    const len = written.sequence_length;
    const vocab = written.max_tokens;
    const data = new Int32Array(z.length * len);
    // Ids 0 (padding) and 1 (out of vocabulary) are reserved; the signal picks the lower or upper half.
    const half = Math.max(1, Math.floor((vocab - 2) / 2));
    for (let r = 0; r < z.length; r++) for (let t = 0; t < len; t++) {
      const upper = rng.next() < 0.5 + 0.4 * Math.tanh(z[r]);
      data[r * len + t] = 2 + (upper ? half : 0) + Math.floor(rng.next() * half);
    }
    return { shape: [len], dtype: 'int32', data, extras: { vocabSize: vocab } };
  },
  cellSchema: { type: ['string', 'null'], description: 'text (a string) or null' },
  basicBlock: () => ({ type: 'text' }),
});
