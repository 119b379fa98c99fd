import { PNG } from 'pngjs';

export interface PngSize {
  width: number;
  height: number;
}

export interface RgbaImage extends PngSize {
  /** width × height × 4 bytes, row by row. */
  pixels: Buffer;
}

/** Decodes a PNG into RGBA pixels; throws 'not a PNG file' for anything else. */
export function decodeRgbaPng(bytes: Buffer): RgbaImage {
  let image: PNG;
  try {
    image = PNG.sync.read(bytes);
  } catch {
    throw new Error('not a PNG file');
  }
  return { width: image.width, height: image.height, pixels: image.data };
}

/** Width and height of a PNG. */
export function readPngSize(bytes: Buffer): PngSize {
  const { width, height } = decodeRgbaPng(bytes);
  return { width, height };
}
