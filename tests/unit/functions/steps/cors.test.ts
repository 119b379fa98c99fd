import { describe, expect, it } from 'vitest';
import { corsHeaders, preflight } from '../../../../server/functions/steps/cors.js';

const allowed = new Set(['https://tab.example']);

describe('cors step', () => {
  it('names only an allowed origin, and says the answer varies by Origin', () => {
    expect(corsHeaders('https://tab.example', allowed)).toMatchObject({ 'access-control-allow-origin': 'https://tab.example', vary: 'origin' });
    expect(corsHeaders('https://evil.example', allowed)).toEqual({ vary: 'origin' });
    expect(corsHeaders('https://tab.example', new Set())).toEqual({});
  });

  it('answers a preflight from an allowed origin with the methods at the path, and refuses others', () => {
    expect(preflight('/api/usage', 'https://tab.example', allowed, false)).toMatchObject({ status: 204, headers: { 'access-control-allow-methods': 'POST, GET' } });
    expect(preflight('/api/usage', 'https://evil.example', allowed, false).status).toBe(403);
    expect(preflight('/api/usage', undefined, allowed, false)).toMatchObject({ status: 204, headers: { allow: 'POST, GET, OPTIONS' } });
    expect(preflight('/api/nothing', 'https://tab.example', allowed, false).status).toBe(404);
  });
});
