/**
 * Architecture diagrams in the manner of Keras's plot_model(show_shapes=True): one box per layer
 * with its name, class, output shape and parameter count, inputs and heads set apart by colour.
 * Laid out by Graphviz (dot, compiled to wasm: @viz-js/viz, no native binary, no network); PNG by
 * sharp from the same SVG.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharp } from '../util/sharp';
import { LayerInfo, shapesText } from './layers';
import { esc as html } from './svg';

/**
 * Graphviz sizes boxes from its built-in metrics of the font named here; Arial's are among them,
 * and Liberation Sans (what Linux draws for Arial) has the same advance widths, so text fits.
 */
const FONT = 'Arial';
const FONT_STACK = 'Arial,Liberation Sans,Helvetica,sans-serif';
/** PNG pixels per SVG point: 2x for sharp text on high-density screens. */
const PNG_DENSITY = 144;

const id = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function fillOf(l: LayerInfo): string {
  if (l.isInput) return '#d9ead3';
  if (l.isOutput) return '#fce5cd';
  return '#e8eef7';
}

/** The DOT text of a model's layer graph. */
export function modelDot(layers: LayerInfo[], title = 'model'): string {
  const nodes = layers.map((l) => {
    const role = l.isInput ? 'input' : l.isOutput ? 'head' : '';
    const rows = [
      `<tr><td colspan="2" bgcolor="${fillOf(l)}"><b>${html(l.name)}</b>${role ? ` (${role})` : ''}</td></tr>`,
      `<tr><td align="left">${html(l.className)}</td><td align="right">${l.params.toLocaleString('en')} params</td></tr>`,
      `<tr><td colspan="2">output: ${html(shapesText(l.outputShapes))}</td></tr>`,
    ];
    return `  ${id(l.name)} [label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="5">${rows.join('')}</table>>];`;
  });
  const edges = layers.flatMap((l) => l.inbound.map((from) => `  ${id(from)} -> ${id(l.name)};`));
  return [
    `digraph ${id(title)} {`,
    `  graph [rankdir=TB, nodesep=0.3, ranksep=0.35, fontname="${FONT}", bgcolor="white", pad=0.2];`,
    `  node [shape=plain, fontname="${FONT}", fontsize=11];`,
    `  edge [color="#555555", arrowsize=0.7];`,
    ...nodes,
    ...edges,
    '}',
  ].join('\n');
}

let viz: Promise<{ renderString(dot: string, options: { format: string; engine?: string }): string }> | undefined;

/** Lays out DOT with Graphviz; the SVG names a font stack that every platform can match. */
export async function renderDot(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const svg = (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
  return svg.replace(/font-family="[^"]*"/g, `font-family="${FONT_STACK}"`);
}

export async function modelSvg(layers: LayerInfo[], title?: string): Promise<string> {
  return renderDot(modelDot(layers, title));
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: PNG_DENSITY }).flatten({ background: '#ffffff' }).png().toBuffer();
}

/** Writes the diagram as SVG or PNG, by the file's extension. */
export async function writeDiagram(layers: LayerInfo[], file: string, title?: string): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new RangeError(`${file}: a diagram is written as .svg or .png, not "${ext || 'no extension'}"`);
  const svg = await modelSvg(layers, title);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, ext === '.svg' ? svg : await svgToPng(svg));
}
