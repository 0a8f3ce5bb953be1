/** Pixels as the model sees them, with no decoder attached: shared by Node (sharp) and the browser bundle (canvas). */

/** Writes pixels scaled to [0, 1] at out[at...]. */
export function writePixels(pixels: Uint8Array, out: Float32Array, at: number): void {
  for (let i = 0; i < pixels.length; i++) out[at + i] = pixels[i] / 255;
}
