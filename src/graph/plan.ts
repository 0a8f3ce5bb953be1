/**
 * The graph as plain adjacency, in build order. Basic mode (no blocks written) is expanded here the
 * way AutoKeras's AutoModel does it: each input gets its modality's block, the blocks are merged,
 * and every head reads the merge.
 */
import * as path from 'node:path';
import { blockInputs, type BlockSpec, type HeadSpec, type Spec } from '../spec/types';
import { inputDef } from '../inputs/registry';

export interface PlannedBlock {
  name: string;
  spec: BlockSpec;
  inputs: string[];
}

export interface PlannedHead {
  name: string;
  spec: HeadSpec;
  input: string;
}

export interface Plan {
  /** The spec's folder, which paths in block settings are relative to. */
  dir: string;
  inputs: string[];
  blocks: PlannedBlock[];
  heads: PlannedHead[];
}

/** Named so it cannot clash: node names in specs are identifiers without a leading digit or dash. */
const AUTO_MERGE = 'auto_merge';

export function planGraph(spec: Spec): Plan {
  const blocks = spec.basic ? basicBlocks(spec) : spec.blocks;
  const inputs = Object.keys(spec.inputs);
  const fallback = spec.basic ? (inputs.length > 1 ? AUTO_MERGE : modalityBlockName(inputs[0])) : undefined;
  const heads = Object.entries(spec.heads).map(([name, h]) => ({
    name,
    spec: h,
    input: h.input !== undefined ? (spec.basic ? modalityBlockName(h.input) : h.input) : fallback!,
  }));
  return { dir: path.dirname(spec.file), inputs, blocks: topologicalOrder(blocks), heads };
}

const modalityBlockName = (input: string) => `${input}_block`;

function basicBlocks(spec: Spec): Record<string, BlockSpec> {
  const blocks: Record<string, BlockSpec> = {};
  for (const [name, input] of Object.entries(spec.inputs)) blocks[modalityBlockName(name)] = { ...inputDef(input.type).basicBlock(input), input: name };
  const names = Object.keys(blocks);
  if (names.length > 1) blocks[AUTO_MERGE] = { type: 'merge', inputs: names };
  return blocks;
}

/** Depth-first order; the spec checks already refused cycles and unknown names. */
function topologicalOrder(blocks: Record<string, BlockSpec>): PlannedBlock[] {
  const order: PlannedBlock[] = [];
  const placed = new Set<string>();
  const place = (name: string) => {
    if (placed.has(name) || !(name in blocks)) return;
    placed.add(name);
    const b = blocks[name];
    const inputs = blockInputs(b);
    inputs.forEach(place);
    order.push({ name, spec: b, inputs });
  };
  Object.keys(blocks).forEach(place);
  return order;
}
