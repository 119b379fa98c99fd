import { z } from 'zod';

/** IT's first-run page (GET /api/setup/readiness): one line per check, each red one with its fix. */
export const READINESS_STATUSES = ['ready', 'not_set_up', 'off', 'unknown'] as const;

export const ReadinessItem = z.object({
  /** Stable per check (`api`, `feature:messageTrace`, `channel`, `autodesk`, …), for keys and tests. */
  id: z.string(),
  title: z.string(),
  status: z.enum(READINESS_STATUSES),
  /** What was seen, in words. */
  detail: z.string(),
  /** What IT does about it, in words; null when nothing is to be done. */
  fix: z.string().nullable(),
  /** The command that does it (Azure CLI or PowerShell), to copy; null when there is none. */
  command: z.string().nullable(),
});
export type ReadinessItem = z.infer<typeof ReadinessItem>;

export const ReadinessResponse = z.object({
  checkedAt: z.string(),
  /** Something is red (`not_set_up`): the tab opens the page by itself on IT's visit. */
  needsAttention: z.boolean(),
  items: z.array(ReadinessItem),
});
export type ReadinessResponse = z.infer<typeof ReadinessResponse>;
