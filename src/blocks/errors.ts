/**
 * Typed errors of graph construction. Blocks throw them from build(); validation builds the graph
 * symbolically and reports them with the block's location, so the message names the block and
 * both what was expected and what was found.
 */

/** A block cannot be wired the way the spec asks (wrong rank, missing data facts, bad order). */
export class BlockGraphError extends Error {
  constructor(
    /** The block's name in the spec. */
    readonly block: string,
    message: string,
  ) {
    super(message);
    this.name = 'BlockGraphError';
  }
}

/** Shapes that cannot meet: `merge "joint" mode add needs equal shapes, got [16] and [32]`. */
export class GraphShapeError extends BlockGraphError {
  constructor(block: string, message: string) {
    super(block, message);
    this.name = 'GraphShapeError';
  }
}

/** `[8, 8, 3]`: a per-example shape as messages print it (unknown sizes as "?"). */
export const showShape = (shape: ReadonlyArray<number | null>): string => `[${shape.map((d) => d ?? '?').join(', ')}]`;
