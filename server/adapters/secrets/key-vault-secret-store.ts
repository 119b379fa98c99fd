import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { SecretStore } from '../../ports/secret-store.js';

const statusOf = (error: unknown) => (typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined);

/**
 * Secrets in Azure Key Vault (RBAC mode; the Functions app's managed identity is a Key Vault Secrets
 * Officer there). The vault soft-deletes: a deleted name is kept for its retention days, and writing it
 * again answers 409 until it is recovered, so a reconnect after a disconnect recovers it first and then
 * writes the new value over it.
 */
export class KeyVaultSecretStore implements SecretStore {
  constructor(private readonly client: SecretClient) {}

  /** `clientId`: the user-assigned managed identity to sign in as (DefaultAzureCredential otherwise picks the system one). */
  static at(vaultUrl: string, clientId?: string, credential?: TokenCredential): KeyVaultSecretStore {
    return new KeyVaultSecretStore(new SecretClient(vaultUrl, credential ?? new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {})));
  }

  async get(name: string): Promise<string | undefined> {
    try {
      return (await this.client.getSecret(name)).value;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async set(name: string, value: string): Promise<void> {
    try {
      await this.client.setSecret(name, value);
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      await (await this.client.beginRecoverDeletedSecret(name)).pollUntilDone();
      await this.client.setSecret(name, value);
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await (await this.client.beginDeleteSecret(name)).pollUntilDone();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}
