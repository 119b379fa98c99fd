import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ICONS, COLOR_ICON, ICONS_DIR, OUTLINE_ICON, RIBBON_ICONS } from '../../../manifest/icons.js';
import { decodeRgbaPng, readPngSize } from '../../../manifest/png.js';

const read = (file: string) => readFileSync(path.join(ICONS_DIR, file));
const alphaAt = (image: ReturnType<typeof decodeRgbaPng>, x: number, y: number) => image.pixels[(y * image.width + x) * 4 + 3];

describe('committed icons', () => {
  it('are PNGs of the sizes Teams and Outlook want, each with its SVG source', () => {
    expect(ALL_ICONS.map((i) => [i.file, i.size])).toEqual([
      ['color.png', 192],
      ['outline.png', 32],
      ['ribbon-16.png', 16],
      ['ribbon-32.png', 32],
      ['ribbon-80.png', 80],
    ]);
    for (const icon of ALL_ICONS) {
      expect(readPngSize(read(icon.file)), icon.file).toEqual({ width: icon.size, height: icon.size });
      expect(existsSync(path.join(ICONS_DIR, icon.source)), icon.source).toBe(true);
    }
  });

  it('outline: white on transparent', () => {
    const image = decodeRgbaPng(read(OUTLINE_ICON.file));
    let drawn = 0;
    for (let i = 0; i < image.pixels.length; i += 4) {
      if (image.pixels[i + 3] === 0) continue;
      drawn++;
      expect([image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(100);
    expect(alphaAt(image, 0, 0)).toBe(0);
  });

  it('colour icon: opaque brand background; ribbon icons: transparent corners', () => {
    const color = decodeRgbaPng(read(COLOR_ICON.file));
    expect([...color.pixels.subarray(0, 4)]).toEqual([0x5b, 0x5f, 0xc7, 255]);
    for (const icon of RIBBON_ICONS) expect(alphaAt(decodeRgbaPng(read(icon.file)), 0, 0), icon.file).toBe(0);
  });

  it('readPngSize refuses what is not a PNG', () => {
    expect(() => readPngSize(Buffer.from('<svg/>'))).toThrow('not a PNG file');
  });
});
