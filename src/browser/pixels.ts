/**
 * Image cells in a web page to pixels as the model sees them: an <img>, a canvas, an ImageBitmap,
 * ImageData, a Blob or a URL, drawn at the input's size (the browser resizes; an image already that
 * size is copied exactly), alpha dropped as sharp's removeAlpha does, grey as sharp's grayscale
 * computes it (Rec. 709 luminance in linear light).
 */
import type { PixelSource } from '../data/raw-rows';

export const browserPixels: PixelSource = async (value, [height, width, channels]) => {
  const rgba = await rgbaAt(value, width, height);
  return channels === 1 ? grey(rgba) : rgb(rgba);
};

async function rgbaAt(value: unknown, width: number, height: number): Promise<Uint8ClampedArray> {
  // By tag, not instanceof: an image from another frame (or a file dropped from one) is still an image.
  const kind = Object.prototype.toString.call(value).slice(8, -1);
  if (kind === 'ImageData') {
    const data = value as ImageData;
    if (data.width === width && data.height === height) return data.data;
    return draw(await createImageBitmap(data), width, height);
  }
  if (typeof value === 'string') return draw(await createImageBitmap(await fetched(value)), width, height);
  if (kind === 'Blob' || kind === 'File') return draw(await createImageBitmap(value as Blob), width, height);
  if (kind === 'HTMLImageElement' && !(value as HTMLImageElement).complete) await (value as HTMLImageElement).decode();
  if (DRAWABLE.includes(kind)) return draw(value as CanvasImageSource, width, height);
  throw new Error(`expected an <img>, a canvas, an ImageBitmap, ImageData, a Blob or an image URL, got ${kind === 'Object' ? 'an object' : kind}`);
}

async function fetched(url: string): Promise<Blob> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.blob();
}

const DRAWABLE = ['HTMLImageElement', 'HTMLCanvasElement', 'ImageBitmap', 'OffscreenCanvas', 'HTMLVideoElement', 'SVGImageElement'];

function draw(source: CanvasImageSource, width: number, height: number): Uint8ClampedArray {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height).data;
}

function rgb(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) (out[j] = rgba[i]), (out[j + 1] = rgba[i + 1]), (out[j + 2] = rgba[i + 2]);
  return out;
}

const toLinear = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const toSrgb = (y: number) => 255 * (y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055);

function grey(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) {
    const y = 0.2126 * toLinear(rgba[4 * i]) + 0.7152 * toLinear(rgba[4 * i + 1]) + 0.0722 * toLinear(rgba[4 * i + 2]);
    out[i] = Math.round(toSrgb(y));
  }
  return out;
}
