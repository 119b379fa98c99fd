/**
 * `npm run icons`: renders the SVG sources in manifest/icons/ to the committed PNGs, in Chromium.
 * Only needed after editing an SVG; packaging reads the committed PNGs and needs no browser.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ALL_ICONS, ICONS_DIR, type IconFile } from './icons.js';
import { readPngSize } from './png.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Quiet, offline Chromium: nothing here needs the network or a GPU.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    await page.setContent('<!doctype html><title>icons</title>');
    for (const icon of ALL_ICONS) {
      const svg = await readFile(path.join(ICONS_DIR, icon.source), 'utf8');
      const png = await renderInPage(page, svg, icon);
      const { width, height } = readPngSize(png);
      if (width !== icon.size || height !== icon.size) throw new Error(`${icon.file}: rendered ${width}×${height}, expected ${icon.size}×${icon.size}`);
      await writeFile(path.join(ICONS_DIR, icon.file), png);
      console.log(`${icon.source} → ${path.relative(process.cwd(), path.join(ICONS_DIR, icon.file))} (${icon.size}×${icon.size})`);
    }
  } finally {
    await browser.close();
  }
}

/** Draws the SVG at the icon's size on a transparent canvas (vector-sharp at every size) and returns PNG bytes. */
async function renderInPage(page: import('playwright-core').Page, svg: string, icon: IconFile): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    async ({ svg, size, whiteOnTransparent }) => {
      // Size the SVG itself so Chromium rasterises it at the target size rather than scaling a bitmap.
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      doc.documentElement.setAttribute('width', String(size));
      doc.documentElement.setAttribute('height', String(size));
      const image = new Image();
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(doc))}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = size;
      canvas.height = size;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d canvas');
      context.drawImage(image, 0, 0, size, size);
      if (whiteOnTransparent) {
        // Anti-aliased edges keep their alpha but must stay pure white (Teams outline icon rule).
        const pixels = context.getImageData(0, 0, size, size);
        for (let i = 0; i < pixels.data.length; i += 4) pixels.data.fill(255, i, i + 3);
        context.putImageData(pixels, 0, 0);
      }
      return canvas.toDataURL('image/png');
    },
    { svg, size: icon.size, whiteOnTransparent: icon.whiteOnTransparent === true },
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
