/** Settings read from the environment; the local host fills in embedded defaults. */
export interface ServerConfig {
  storageConnectionString: string;
  tableName: string;
  devMode: boolean;
  /** Where cards in IT's Teams channel link to: the tab's web address. */
  tabUrl: string;
  auth: { issuer: string; audience: string; jwksUrl: string; allowedTenants: string[] } | undefined;
}

export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(tablePort: number, blobPort?: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/${AZURITE_ACCOUNT};` +
    (blobPort ? `BlobEndpoint=http://127.0.0.1:${blobPort}/${AZURITE_ACCOUNT};` : '')
  );
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const storage = env.CREDIT_DESK_STORAGE ?? env.AzureWebJobsStorage;
  if (!storage) throw new Error('Set CREDIT_DESK_STORAGE (or AzureWebJobsStorage) to a storage connection string.');
  const tenants = (env.CREDIT_DESK_ALLOWED_TENANTS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const auth =
    env.CREDIT_DESK_AUDIENCE && tenants.length > 0
      ? {
          issuer: env.CREDIT_DESK_ISSUER ?? 'https://login.microsoftonline.com/{tenant}/v2.0',
          audience: env.CREDIT_DESK_AUDIENCE,
          jwksUrl: env.CREDIT_DESK_JWKS_URL ?? 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
          allowedTenants: tenants,
        }
      : undefined;
  return {
    storageConnectionString: storage,
    tableName: env.CREDIT_DESK_TABLE ?? 'creditdesk',
    devMode: env.CREDIT_DESK_DEV_MODE === '1',
    tabUrl: env.CREDIT_DESK_TAB_URL ?? 'https://teams.microsoft.com/',
    auth,
  };
}
