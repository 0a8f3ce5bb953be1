/** A saved model that cannot be trusted (damaged weights, NaN outputs); no Node imports: the browser bundle uses it. */
export class ArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactError';
  }
}

/** A head's outputs for a batch of rows; NaN or infinity means the weights or the inputs are broken. */
export function assertFinite(head: string, values: number[][]): void {
  const row = values.findIndex((v) => v.some((x) => !Number.isFinite(x)));
  if (row < 0) return;
  const bad = values[row].find((x) => !Number.isFinite(x));
  throw new ArtifactError(`the model output ${bad} for head "${head}" (row ${row + 1} of the batch); its weights are damaged or an input is far outside the training range, so no prediction is printed`);
}
