/**
 * Image inputs: files (PNG, JPEG, WebP, GIF) decoded with sharp, resized to the input's shape
 * (stretched, like Keras's image_dataset_from_directory), grey or RGB as the shape says, and scaled
 * to [0, 1]. Images are decoded per batch from disk, through a cache bounded in bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharp } from '../util/sharp';
import { asText } from './values';
import { ChannelMoments, Moments } from './moments';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif'];

/** An image path from a table cell: relative paths are relative to the table's folder. */
export function imagePath(value: unknown, baseDir: string): string {
  const p = asText(value).trim();
  return path.isAbsolute(p) ? p : path.join(baseDir, p);
}

/** The formats by their first bytes: catches text files, empty files and HTML error pages named .jpg. */
function sniff(head: Buffer): string | undefined {
  if (head.length >= 4 && head[0] === 0x89 && head.toString('latin1', 1, 4) === 'PNG') return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/** Why the file cannot be an image, or undefined: a cheap check (16 bytes) for every row before training. */
export function checkImageFile(file: string, written: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `file ${written} not found` : code === 'EISDIR' ? `${written} is a folder, not an image file` : `file ${written} cannot be read (${code})`;
  }
  try {
    // open(2) succeeds on a folder on Linux; the read would then throw EISDIR out of the data check.
    if (fs.fstatSync(fd).isDirectory()) return `${written} is a folder, not an image file`;
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n === 0) return `file ${written} is empty`;
    if (!sniff(head.subarray(0, n))) return `file ${written} is not a PNG, JPEG, WebP or GIF image`;
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Pixels as bytes (height x width x channels), resized; bytes keep the cache 4x smaller than floats.
 * `source` is a file or the file's bytes (an upload); `maxPixels` refuses larger images before decoding them.
 */
export async function decodeImage(source: string | Buffer, shape: readonly number[], maxPixels?: number): Promise<Uint8Array> {
  const [height, width, channels] = shape;
  // Alpha is dropped, not blended, as PIL's convert('RGB') does in Keras's load_img.
  let pipeline = sharp(source, { failOn: 'error', limitInputPixels: maxPixels ?? true }).removeAlpha().resize(width, height, { fit: 'fill', kernel: 'linear' });
  pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels || info.width !== width || info.height !== height) {
    throw new Error(`decoded to ${info.height}x${info.width}x${info.channels}, expected ${height}x${width}x${channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Least-recently-used decoded images, bounded in bytes (Map iteration order is insertion order). */
export class ImageCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  async get(file: string, shape: readonly number[]): Promise<Uint8Array> {
    const hit = this.entries.get(file);
    if (hit) {
      this.entries.delete(file);
      this.entries.set(file, hit);
      return hit;
    }
    const pixels = await decodeImage(file, shape);
    this.put(file, pixels);
    return pixels;
  }

  private put(file: string, pixels: Uint8Array): void {
    if (pixels.byteLength > this.maxBytes) return;
    this.entries.set(file, pixels);
    this.bytes += pixels.byteLength;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.byteLength;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Per-channel mean and variance of scaled pixels, for the normalisation the image blocks do. */
export function imageStats(images: Uint8Array[], channels: number): Moments {
  const moments = new ChannelMoments(channels);
  for (const pixels of images) moments.add(pixels, 1 / 255);
  // No image to learn from: the moments of uniform noise in [0, 1].
  return moments.result({ mean: new Array(channels).fill(0.5), variance: new Array(channels).fill(1 / 12) });
}
