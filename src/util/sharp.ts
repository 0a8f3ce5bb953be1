/**
 * sharp, loaded on first use: its native library is ~80 ms of every command's start-up (and of each
 * trial worker's) otherwise, and many searches decode no image at all.
 */
import type SharpModule from 'sharp';

let loaded: typeof SharpModule | undefined;

export function sharp(...args: Parameters<typeof SharpModule>): ReturnType<typeof SharpModule> {
  loaded ??= require('sharp') as typeof SharpModule;
  return loaded(...args);
}
