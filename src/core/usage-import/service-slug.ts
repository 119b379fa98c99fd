import type { Policy } from '../policy/policy.js';

/** Letters and digits only, lower case, accents dropped. */
function key(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Words exports put around a service's name ("Cloud Rendering", "Autodesk Simulation") that do not name it. */
const NOISE = /^(?:autodesk|cloud)+|(?:service|services|cloud)+$/;

function core(text: string): string {
  return key(text).replace(NOISE, '');
}

/**
 * The policy's slug for a service an export names, matching its slug or name regardless of case,
 * punctuation and words like "Cloud" ("Cloud Rendering", "rendering" → cloud_rendering), or a product name
 * that ends with a service's name ("Fusion 360 Simulation" → simulation). Otherwise a slug made from the
 * name, so the usage is still recorded and reports can group it.
 */
export function serviceSlugFor(policy: Policy, name: string): string {
  return knownServiceSlug(policy, name) ?? slugOf(name);
}

/**
 * The service of a row from whichever mapped column names one the policy knows: the service column, else
 * the product ("Feature" or "offering_name" mapped either way round), so a self-logged entry and a hold of
 * that service are matched. When neither names a known service, the slug of the first that has a value.
 */
export function rowServiceSlug(policy: Policy, service: string, product: string | undefined): string {
  for (const name of [service, product]) {
    const known = name ? knownServiceSlug(policy, name) : null;
    if (known) return known;
  }
  return slugOf(service || product || '');
}

/** The policy service a name means (see serviceSlugFor), or null. */
function knownServiceSlug(policy: Policy, name: string): string | null {
  const exact = key(name);
  const wanted = core(name);
  for (const s of policy.services) if (key(s.slug) === exact || key(s.name) === exact) return s.slug;
  if (wanted) for (const s of policy.services) if (core(s.slug) === wanted || core(s.name) === wanted) return s.slug;
  // "Fusion 360 Generative Design": the service with the longest name (6 letters or more) the product's ends with.
  let best: { slug: string; length: number } | null = null;
  for (const s of policy.services) {
    for (const n of [core(s.slug), core(s.name)]) {
      if (n.length >= 6 && wanted.endsWith(n) && n.length > (best?.length ?? 0)) best = { slug: s.slug, length: n.length };
    }
  }
  return best?.slug ?? null;
}

/** A slug that satisfies /^[a-z][a-z0-9_]{0,39}$/: "3ds Max" → "s_3ds_max"; nothing usable → "unknown". */
export function slugOf(name: string): string {
  let slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (slug === '') return 'unknown';
  if (/^[0-9]/.test(slug)) slug = `s_${slug}`;
  return slug.slice(0, 40).replace(/_+$/, '');
}
