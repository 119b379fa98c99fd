import type { MemberRecord } from '../../contract/schemas.js';
import type { ApiClient } from '../../platform/api-client.js';
import { useApi } from '../../ui/useApi.js';

export type MemberOption = MemberRecord['member'] & { state: MemberRecord['registration']['state'] };

/** Enough pages of members for a firm's picker (200 a page); past that, typing narrows a list that is already long. */
const MAX_PAGES = 25;

/** Everyone in Credit Desk, to link a person an export names to one of them. */
export function useMembers(api: ApiClient, wanted: boolean) {
  return useApi(async (signal): Promise<MemberOption[]> => {
    if (!wanted) return [];
    const all: MemberOption[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await api('listMembers', { query: { limit: 200, ...(cursor ? { cursor } : {}) }, signal });
      all.push(...answer.items.map((r) => ({ ...r.member, state: r.registration.state })));
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
    return all.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }, [api, wanted]);
}

/** Members matching what is typed (every word, in the name or the address); with nothing typed, those sharing a word with `near` first. */
export function matchMembers(members: readonly MemberOption[], typed: string, near: string | null): MemberOption[] {
  const words = typed.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length > 0) return members.filter((m) => words.every((w) => `${m.displayName} ${m.email}`.toLowerCase().includes(w)));
  const hints = new Set((near ?? '').toLowerCase().split(/[\s.@_-]+/).filter((w) => w.length > 1));
  if (hints.size === 0) return [...members];
  const score = (m: MemberOption) => `${m.displayName} ${m.email.split('@')[0]}`.toLowerCase().split(/[\s.@_-]+/).filter((w) => hints.has(w)).length;
  return [...members].sort((a, b) => score(b) - score(a));
}
