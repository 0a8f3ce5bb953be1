/** Rows of a row-major typed array, gathered into a batch: the copy every training batch makes. */

/** Below this many values a row is copied by a loop; a subarray view per row costs more than that. */
const VIEW_COPY_FROM = 256;

export function gatherRows<T extends Float32Array | Int32Array>(data: T, width: number, rows: ArrayLike<number>, out: T, offset = 0): T {
  for (let i = 0; i < rows.length; i++) {
    const from = (rows[i] + offset) * width;
    const to = i * width;
    if (width >= VIEW_COPY_FROM) out.set(data.subarray(from, from + width), to);
    else for (let j = 0; j < width; j++) out[to + j] = data[from + j];
  }
  return out;
}
