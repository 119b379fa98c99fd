import type { UsageSourceFactory } from '../../ports/usage-source.js';
import type { ApsApiOptions } from './aps-http.js';
import { TokenFlexSource } from './token-flex-source.js';
import { UsageInsightsSource } from './usage-insights-source.js';

/** Builds each connected API's client: Token Flex with the contract found at connection, usage insights for every team the admin manages. */
export function autodeskUsageSources(endpoint: Omit<ApsApiOptions, 'accessToken'> = {}): UsageSourceFactory {
  return (kind, connection, accessToken, recordContract) =>
    kind === 'token_flex'
      ? new TokenFlexSource({ ...endpoint, accessToken, contractNumber: connection.contractNumber, onContractFound: recordContract })
      : new UsageInsightsSource({ ...endpoint, accessToken });
}
