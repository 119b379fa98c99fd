/**
 * Secrets the API keeps for a tenant (Autodesk's refresh token and client secret): Azure Key Vault in
 * Azure, never the table and never the browser (issue 21). Names are Key Vault secret names
 * (letters, digits and dashes).
 */
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  /** Writes a new version; the old one stops being returned. */
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}
