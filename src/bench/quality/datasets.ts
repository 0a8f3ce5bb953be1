/**
 * The quality benchmark's datasets: real public data that ships inside npm packages (dev
 * dependencies), written as the files a user would have (JSONL tables, PNG images), split once
 * with a fixed seed into training rows and held-out test rows that neither side trains on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { makeRng, shuffleInPlace } from '../../util/rng';

export type Row = Record<string, unknown>;

/** A head as the bench scores it: its column, its kind, and the figure compared. */
export interface BenchHead {
  name: string;
  column: string;
  type: 'classification' | 'regression';
}

export interface Dataset {
  name: string;
  /** What it exercises, for the README table. */
  kind: string;
  source: string;
  train: Row[];
  test: Row[];
  /** automm's spec for these rows (basic mode: no blocks), without data.source/test. */
  spec: Record<string, unknown>;
  heads: BenchHead[];
  /** Epochs per trial, and for the hand-written baseline. */
  epochs: number;
}

/** Where an installed package lives (vega-datasets exports no package.json to resolve). */
export function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) if (fs.existsSync(path.join(dir, name, 'package.json'))) return path.join(dir, name);
  throw new Error(`package ${name} is not installed; run npm ci (it is a dev dependency)`);
}

const vega = (file: string): Row[] => JSON.parse(fs.readFileSync(path.join(packageDir('vega-datasets'), 'data', file), 'utf8'));

/** A seeded 80/20 split of the rows: the test rows are held out from everything. */
function split(rows: Row[], seed: number, testShare = 0.2): { train: Row[]; test: Row[] } {
  const order = shuffleInPlace(Int32Array.from(rows.keys()), makeRng(seed).next);
  const nTest = Math.round(rows.length * testShare);
  return { train: Array.from(order.subarray(nTest), (i) => rows[i]), test: Array.from(order.subarray(0, nTest), (i) => rows[i]) };
}

const present = (v: unknown) => v !== null && v !== undefined && v !== '';

/** Palmer penguins: a mixed table with missing values; body mass in grams. */
function penguins(): Dataset {
  const rows = vega('penguins.json').filter((r) => present(r['Body Mass (g)']));
  return {
    name: 'penguins', kind: 'mixed table with missing values -> body mass in grams', source: 'vega-datasets data/penguins.json',
    ...split(rows, 1), epochs: 40,
    spec: {
      inputs: { row: { type: 'structured', columns: ['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Sex'] } },
      heads: { mass: { type: 'regression', column: 'Body Mass (g)' } },
    },
    heads: [{ name: 'mass', column: 'Body Mass (g)', type: 'regression' }],
  };
}

/** Cars: horsepower with nulls; miles per gallon and origin from one model (multi-task). */
function cars(): Dataset {
  const rows = vega('cars.json').filter((r) => present(r.Miles_per_Gallon)).map((r) => ({ ...r, Year: Number(String(r.Year).slice(0, 4)) }));
  return {
    name: 'cars', kind: 'multi-task: miles per gallon (regression) + origin (3 classes)', source: 'vega-datasets data/cars.json',
    // 100 epochs, as TensorFlow's "Basic regression" tutorial trains auto-mpg: at 40 every trial was still improving.
    ...split(rows, 2), epochs: 100,
    spec: {
      inputs: { specs: { type: 'structured', columns: ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year'] } },
      heads: { mpg: { type: 'regression', column: 'Miles_per_Gallon' }, origin: { type: 'classification', column: 'Origin' } },
    },
    heads: [{ name: 'mpg', column: 'Miles_per_Gallon', type: 'regression' }, { name: 'origin', column: 'Origin', type: 'classification' }],
  };
}

const MOVIE_COLUMNS = ['Production Budget', 'MPAA Rating', 'Running Time min', 'Major Genre', 'Creative Type', 'Source', 'IMDB Rating', 'IMDB Votes', 'Rotten Tomatoes Rating'];

/** Movies: the title as text plus messy columns (nulls, mixed categories); worldwide gross in dollars. */
function movies(): Dataset {
  const rows = vega('movies.json')
    .filter((r) => present(r['Worldwide Gross']) && present(r.Title))
    .map((r) => ({ ...r, Title: String(r.Title) }));
  return {
    name: 'movies', kind: 'title text + table with nulls -> worldwide gross in dollars', source: 'vega-datasets data/movies.json',
    ...split(rows, 3), epochs: 20,
    spec: {
      inputs: { title: { type: 'text', column: 'Title', max_tokens: 2000, sequence_length: 16 }, facts: { type: 'structured', columns: MOVIE_COLUMNS } },
      heads: { gross: { type: 'regression', column: 'Worldwide Gross' } },
    },
    heads: [{ name: 'gross', column: 'Worldwide Gross', type: 'regression' }],
  };
}

/** MNIST digits from the mnist package, written as 28x28 greyscale PNG files. */
async function digits(dir: string, perDigit: number): Promise<Dataset> {
  const mnist = require(packageDir('mnist')) as Array<{ get(i: number): number[]; length: number }>;
  const images = path.join(dir, 'images');
  fs.mkdirSync(images, { recursive: true });
  const rows: Row[] = [];
  for (let d = 0; d < 10; d++) {
    for (let i = 0; i < Math.min(perDigit, mnist[d].length); i++) {
      const file = path.join(images, `${d}_${i}.png`);
      if (!fs.existsSync(file)) {
        const pixels = Uint8Array.from(mnist[d].get(i), (v) => Math.round(v * 255));
        await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(file);
      }
      rows.push({ image: path.relative(dir, file), digit: d });
    }
  }
  return {
    name: 'mnist', kind: 'image files (28x28 PNG digits) -> 10 classes', source: 'mnist package (digits written as PNG with sharp)',
    ...split(rows, 4), epochs: 4,
    spec: {
      inputs: { image: { type: 'image', column: 'image', shape: [28, 28, 1] } },
      heads: { digit: { type: 'classification', column: 'digit' } },
    },
    heads: [{ name: 'digit', column: 'digit', type: 'classification' }],
  };
}

export const DATASET_NAMES = ['mnist', 'penguins', 'movies', 'cars'] as const;

export async function loadDataset(name: string, dir: string, options: { digitsPerClass?: number } = {}): Promise<Dataset> {
  switch (name) {
    case 'mnist': return digits(dir, options.digitsPerClass ?? 200);
    case 'penguins': return penguins();
    case 'movies': return movies();
    case 'cars': return cars();
    default: throw new Error(`unknown dataset ${name}; known: ${DATASET_NAMES.join(', ')}`);
  }
}
