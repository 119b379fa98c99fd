import type { UsageConnection } from '../../../contract/usage-sources.js';

export type UsageSourceKind = UsageConnection['kind'];
export type AuthMode = UsageConnection['mode'];

export const KIND_WORDS: Record<UsageSourceKind, { label: string; hint: string }> = {
  token_flex: { label: 'Token Flex usage', hint: 'For enterprise Token Flex contracts: daily token use by person and product.' },
  usage_insights: { label: 'Usage insights', hint: "For Autodesk's Business Success Plan: daily seat and Flex use by person and product." },
};

export const MODE_WORDS: Record<AuthMode, { label: string; hint: string }> = {
  three_legged: { label: "An Autodesk admin's consent (recommended)", hint: 'An admin of your Autodesk account signs in at Autodesk and allows Credit Desk to read usage.' },
  two_legged: { label: 'Client ID and secret', hint: 'Only by arrangement with Autodesk: the ID and secret of an app your firm registered with Autodesk Platform Services.' },
};

/** What IT reads when Autodesk stopped accepting the connection, and what to do about it. */
export const DISCONNECTED_FIX =
  'Autodesk no longer accepts this connection: the consent was withdrawn at Autodesk, the admin who gave it lost their rights, or it ran out. Usage is not pulled until you connect again.';

/** Said before the Connect button while the tenant counts Cloud Credits: pulled usage would all be refused. */
export const FLEX_TOKENS_FIRST =
  "Autodesk's usage APIs count Flex tokens: switch Credit Desk to Flex tokens in Settings first (Unit, under Policy, then Save). Usage counted in Flex tokens cannot be posted as Cloud Credits.";
