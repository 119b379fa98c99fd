import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OPEN_PANE_ACTION, PANE_PAGE, TAB_PAGE } from './build-manifest.js';
import { COLOR_ICON, OUTLINE_ICON, RIBBON_ICON_URL_PATH } from './icons.js';
import { decodeRgbaPng, readPngSize } from './png.js';
import type { AppSettings } from './settings.js';

/** Read loosely: these rules also run on broken manifests, where any part may be missing. */
interface LooseManifest {
  id?: unknown;
  version?: unknown;
  icons?: { color?: unknown; outline?: unknown };
  staticTabs?: { contentUrl?: unknown; websiteUrl?: unknown }[];
  validDomains?: unknown[];
  webApplicationInfo?: { id?: unknown; resource?: unknown };
  extensions?: { runtimes?: LooseRuntime[]; ribbons?: { tabs?: { groups?: LooseGroup[] }[] }[] }[];
}
interface LooseRuntime {
  code?: { page?: unknown };
  actions?: { id?: unknown }[];
}
interface LooseIcon {
  size?: unknown;
  url?: unknown;
}
interface LooseGroup {
  id?: unknown;
  icons?: LooseIcon[];
  controls?: { id?: unknown; actionId?: unknown; icons?: LooseIcon[] }[];
}

/** What the schema cannot say: the files, the hosts and the settings behind the manifest. */
export function checkManifestRules(manifest: object, settings: AppSettings, iconsDir: string): string[] {
  const m = manifest as LooseManifest;
  return [
    ...checkBuiltFromSettings(m, settings),
    ...checkPackageIcons(m, iconsDir),
    ...checkPages(m, settings),
    ...checkRibbon(m, settings, iconsDir),
    ...checkUrls(manifest, m.validDomains),
  ];
}

/** The zip must say what the printed settings say. */
function checkBuiltFromSettings(m: LooseManifest, s: AppSettings): string[] {
  const errors: string[] = [];
  const expect = (where: string, actual: unknown, wanted: string, setting: string) => {
    if (actual !== wanted) errors.push(`${where} is ${JSON.stringify(actual)}, but ${setting} is "${wanted}"`);
  };
  expect('id', m.id, s.appId, 'CREDIT_DESK_APP_ID');
  expect('version', m.version, s.appVersion, 'CREDIT_DESK_APP_VERSION');
  expect('webApplicationInfo.id', m.webApplicationInfo?.id, s.aadClientId, 'CREDIT_DESK_AAD_CLIENT_ID');
  expect('webApplicationInfo.resource', m.webApplicationInfo?.resource, s.apiResource, 'CREDIT_DESK_API_RESOURCE');
  const webHost = new URL(s.webUrl).host;
  if (!m.validDomains?.includes(webHost)) errors.push(`validDomains must include the web host ${webHost} (CREDIT_DESK_WEB_URL)`);
  return errors;
}

function checkPackageIcons(m: LooseManifest, iconsDir: string): string[] {
  const errors: string[] = [];
  for (const [key, expected] of [['color', COLOR_ICON], ['outline', OUTLINE_ICON]] as const) {
    const file = m.icons?.[key];
    if (typeof file !== 'string') continue; // the schema reports a missing icon
    // The package puts icons next to manifest.json; anything else would be a path outside the zip.
    if (path.basename(file) !== file) {
      errors.push(`icons.${key} "${file}" must be a file name at the package root`);
      continue;
    }
    const problem = pngProblem(path.join(iconsDir, file), expected.size, key === 'outline');
    if (problem) errors.push(`icons.${key} (${file}): ${problem}`);
  }
  return errors;
}

function checkPages(m: LooseManifest, s: AppSettings): string[] {
  const errors: string[] = [];
  const tabPage = `${s.webUrl}/${TAB_PAGE}`;
  const panePage = `${s.webUrl}/${PANE_PAGE}`;
  if (!m.staticTabs?.length) errors.push('staticTabs: the Credit Desk personal tab is missing');
  m.staticTabs?.forEach((tab, i) => {
    if (tab.contentUrl !== tabPage) errors.push(`staticTabs[${i}].contentUrl must be ${tabPage} (got ${show(tab.contentUrl)})`);
    if (tab.websiteUrl !== tabPage) errors.push(`staticTabs[${i}].websiteUrl must be ${tabPage} (got ${show(tab.websiteUrl)})`);
  });
  const runtimes = m.extensions?.flatMap((e) => e.runtimes ?? []) ?? [];
  const paneRuntime = runtimes.find((r) => r.actions?.some((a) => a.id === OPEN_PANE_ACTION));
  if (!paneRuntime) errors.push(`extensions: no runtime has the ${OPEN_PANE_ACTION} action`);
  else if (paneRuntime.code?.page !== panePage) errors.push(`the pane runtime's code.page must be ${panePage} (got ${show(paneRuntime.code?.page)})`);
  return errors;
}

/** Every button runs an action that exists, and every ribbon icon is one of ours, served from WEB_URL, at its size. */
function checkRibbon(m: LooseManifest, s: AppSettings, iconsDir: string): string[] {
  const errors: string[] = [];
  const extensions = m.extensions ?? [];
  const actionIds = new Set(extensions.flatMap((e) => e.runtimes ?? []).flatMap((r) => r.actions ?? []).map((a) => a.id));
  const groups = extensions.flatMap((e) => e.ribbons ?? []).flatMap((r) => r.tabs ?? []).flatMap((t) => t.groups ?? []);
  const iconBase = `${s.webUrl}/${RIBBON_ICON_URL_PATH}/`;
  const checked = new Set<string>();
  const checkIcon = (where: string, icon: LooseIcon) => {
    if (typeof icon.url !== 'string' || typeof icon.size !== 'number') return; // the schema reports these
    const key = `${icon.size} ${icon.url}`;
    if (checked.has(key)) return;
    checked.add(key);
    const file = icon.url.startsWith(iconBase) ? icon.url.slice(iconBase.length) : '';
    if (file === '' || path.basename(file) !== file) {
      errors.push(`${where}: ${icon.url} must be a file under ${iconBase} (the web host serves manifest/icons/ there)`);
      return;
    }
    const problem = pngProblem(path.join(iconsDir, file), icon.size, false);
    if (problem) errors.push(`${where} (${file}): ${problem}`);
  };
  for (const group of groups) {
    group.icons?.forEach((icon) => checkIcon(`ribbon group ${show(group.id)} icon`, icon));
    for (const control of group.controls ?? []) {
      if (control.actionId !== undefined && !actionIds.has(control.actionId)) {
        errors.push(`ribbon button ${show(control.id)} runs action ${show(control.actionId)}, which no runtime defines`);
      }
      control.icons?.forEach((icon) => checkIcon(`ribbon button ${show(control.id)} icon`, icon));
    }
  }
  return errors;
}

/** Every URL is https; every URL the hosts load (all but the developer's pages) is on a validDomain. */
function checkUrls(manifest: object, validDomains: unknown[] | undefined): string[] {
  const domains = (validDomains ?? []).filter((d): d is string => typeof d === 'string');
  const errors: string[] = [];
  for (const [where, value] of stringsIn(manifest)) {
    // $schema names the schema, resource is an Entra application ID URI (api://): neither is loaded.
    if (where === '$schema' || where === 'webApplicationInfo.resource' || !/^[a-z][a-z0-9+.-]*:/i.test(value)) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:') errors.push(`${where}: ${value} must be https`);
    else if (!where.startsWith('developer.') && !domains.some((d) => hostMatches(url.host, d))) {
      errors.push(`${where}: ${value} is not on a validDomain (${domains.join(', ') || 'none'})`);
    }
  }
  return errors;
}

/** A value for a message: strings as they are, anything else as JSON. */
function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function hostMatches(host: string, domain: string): boolean {
  return domain.startsWith('*.') ? host.endsWith(domain.slice(1)) : host === domain;
}

function* stringsIn(value: unknown, where = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [where, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* stringsIn(item, `${where}[${i}]`);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, where === '' ? key : `${where}.${key}`);
  }
}

/** Why a PNG is not usable as a size×size icon, or undefined when it is. */
function pngProblem(file: string, size: number, whiteOnTransparent: boolean): string | undefined {
  if (!existsSync(file)) return `${file} does not exist (run npm run icons)`;
  const bytes = readFileSync(file);
  try {
    const { width, height } = readPngSize(bytes);
    if (width !== size || height !== size) return `is ${width}×${height} pixels, must be ${size}×${size}`;
    if (whiteOnTransparent) return whiteOnTransparentProblem(bytes);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}

/** Teams outline icons: white where drawn, transparent elsewhere. */
function whiteOnTransparentProblem(bytes: Buffer): string | undefined {
  const { pixels } = decodeRgbaPng(bytes);
  let transparent = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const alpha = pixels[i + 3] ?? 0;
    if (alpha === 0) transparent++;
    else if (pixels[i] !== 255 || pixels[i + 1] !== 255 || pixels[i + 2] !== 255) return 'must be white on transparent, but has a coloured pixel';
  }
  return transparent === 0 ? 'must be white on transparent, but has no transparent pixel' : undefined;
}
