/** Which Teams webhook URLs this deployment may post to: the Workflows hosts (and, in dev mode, the local stand-in). */
export interface WebhookTargets {
  /** Why IT may not save this URL, naming what is allowed; undefined when it may. The URL alone is judged here; its addresses when posting. */
  problem(url: string): string | undefined;
}
