/**
 * Text inputs as Keras's TextVectorization makes them: lowercase, punctuation stripped, split on
 * whitespace, the max_tokens most frequent training words as the vocabulary, ids padded or cut to
 * sequence_length. Id 0 is padding and 1 is out-of-vocabulary, so words start at 2.
 */
import { asText } from './values';

/** Distinct words counted while learning; Zipf's law puts every word that can make the vocabulary far inside. */
const MAX_TRACKED_WORDS = 500_000;
export const PADDING = 0;
export const OOV = 1;
const RESERVED = 2;

/** Keras's DEFAULT_STRIP_REGEX, the punctuation lower_and_strip_punctuation removes. */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

export function tokenize(text: string): string[] {
  return text.toLowerCase().replace(PUNCTUATION, '').split(/\s+/).filter((w) => w.length > 0);
}

// A type, not an interface: a state is a record of JSON values (inputs/input.ts's LearnedState).
export type TextState = {
  column: string;
  /** Word k has id k + 2. */
  vocabulary: string[];
  sequenceLength: number;
  standardize: 'lower_and_strip_punctuation';
};

export function textLearner(column: string, maxTokens: number, sequenceLength: number) {
  const counts = new Map<string, number>();
  return {
    add(value: unknown): void {
      for (const word of tokenize(asText(value))) {
        const c = counts.get(word);
        if (c !== undefined) counts.set(word, c + 1);
        else if (counts.size < MAX_TRACKED_WORDS) counts.set(word, 1);
      }
    },
    fit(): TextState {
      // Keras counts padding and OOV in max_tokens, so max_tokens - 2 words.
      const vocabulary = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, Math.max(0, maxTokens - RESERVED))
        .map(([w]) => w);
      return { column, vocabulary, sequenceLength, standardize: 'lower_and_strip_punctuation' };
    },
  };
}

export const textVocabSize = (state: TextState) => state.vocabulary.length + RESERVED;

export interface TextEncoder {
  readonly width: number;
  /** Writes sequenceLength ids at `at`: the first words of the text, then padding (0). */
  write(value: unknown, out: Int32Array, at: number): void;
}

export function textEncoder(state: TextState): TextEncoder {
  const ids = new Map(state.vocabulary.map((w, k) => [w, k + RESERVED]));
  const length = state.sequenceLength;
  return {
    width: length,
    write(value, out, at) {
      const words = tokenize(asText(value));
      const n = Math.min(words.length, length);
      for (let t = 0; t < n; t++) out[at + t] = ids.get(words[t]) ?? OOV;
      for (let t = n; t < length; t++) out[at + t] = PADDING;
    },
  };
}
