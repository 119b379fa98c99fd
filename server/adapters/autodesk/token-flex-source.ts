/**
 * The Token Flex Usage Data API as a `UsageSource` (enterprise Token Flex contracts):
 *
 *   GET  /tokenflex/v1/contract                                   the contracts the admin sees (discovery)
 *   POST /tokenflex/v1/export/{contract}/requests                 a CSV export of chosen fields and metrics
 *   GET  /tokenflex/v1/export/{contract}/requests/{requestKey}    its status: Requested, then Download
 *                                                                 (with a pre-signed downloadUrl) or Error
 *
 * The export asks for the columns of the importer's `token_flex_api` shape, so a pulled file and an
 * uploaded one give a row the same identity; `chargedItemID` keeps each charge apart.
 *
 * Assumed where Autodesk's pages say nothing: the `where` clause compares `usageDate` with quoted ISO
 * dates (`usageDate >= '2026-11-01' AND …`, in the documented syntax of its examples); the consumption
 * categories may be mixed in one export with these fields; the file's columns come in the order asked
 * (fields, then metrics).
 */
import type { DayWindow, PullProgress, UsageExport, UsageSource } from '../../ports/usage-source.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import type { ApsApiOptions } from './aps-http.js';
import { ApsSession } from './aps-http.js';
import { checkWindow, pollExport } from './export-job.js';

/** The export's columns, in the importer's `token_flex_api` names (fields first, then the metric). */
export const TOKEN_FLEX_FIELDS = ['usageDate', 'userName', 'productName', 'chargedItemID'] as const;
export const TOKEN_FLEX_METRICS = ['tokensConsumed'] as const;
/** What people consumed; manual adjustments (corrections, possibly negative) are left to IT. */
export const TOKEN_FLEX_CATEGORIES = ['PRODUCT_CONSUMPTION', 'CLOUD_CONSUMPTION', 'CLOUD_PRODUCT_CONSUMPTION', 'MANUAL_CONSUMPTION'] as const;

export interface TokenFlexContract {
  contractNumber: string;
  contractName: string;
  contractStartDate: string;
  contractEndDate: string;
  isActive: boolean;
}

interface ExportRequest {
  requestKey: string;
  requestStatus: string;
  downloadUrl?: string;
  downloadFileName?: string;
}

/**
 * The contract the connected admin manages: the active one (the first if several), else the latest.
 * None: `no_contract` (the account is no Token Flex administrator, or has no contract).
 */
export async function discoverContract(options: ApsApiOptions, signal?: AbortSignal): Promise<TokenFlexContract> {
  const contracts = await new ApsSession(options, signal).json<TokenFlexContract[]>('GET', '/tokenflex/v1/contract');
  if (!Array.isArray(contracts) || contracts.length === 0) {
    throw new UsageSourceError('no_contract', 'Autodesk shows no Token Flex contract to the connected account: connect with a Token Flex administrator of the contract.');
  }
  const active = contracts.find((c) => c.isActive);
  return active ?? [...contracts].sort((a, b) => b.contractEndDate.localeCompare(a.contractEndDate))[0]!;
}

export interface TokenFlexSourceOptions extends ApsApiOptions {
  /** The contract found at connection; without it, each pull discovers it. */
  contractNumber?: string | null;
  /** The contract a pull discovered (none given): kept with the connection, so IT sees it and later pulls skip the look-up. */
  onContractFound?: (contractNumber: string) => Promise<void>;
}

export class TokenFlexSource implements UsageSource {
  readonly kind = 'token_flex' as const;

  constructor(private readonly options: TokenFlexSourceOptions) {}

  private async discover(signal: AbortSignal | undefined): Promise<string> {
    const { contractNumber } = await discoverContract(this.options, signal);
    await this.options.onContractFound?.(contractNumber);
    return contractNumber;
  }

  async exportUsage(window: DayWindow, options: { signal?: AbortSignal; onProgress?: (progress: PullProgress) => void } = {}): Promise<UsageExport> {
    checkWindow(window);
    const session = new ApsSession(this.options, options.signal);
    const contract = this.options.contractNumber ?? (await this.discover(options.signal));
    const base = `/tokenflex/v1/export/${encodeURIComponent(contract)}/requests`;
    const fileName = `autodesk-token-flex-${window.from}-to-${window.to}.csv`;
    const created = await session.json<ExportRequest>('POST', base, {
      fields: TOKEN_FLEX_FIELDS,
      metrics: TOKEN_FLEX_METRICS,
      usageCategory: TOKEN_FLEX_CATEGORIES,
      where: `usageDate >= '${window.from}' AND usageDate <= '${window.to}'`,
      downloadFileName: fileName.replace(/\.csv$/, ''),
    });
    if (typeof created?.requestKey !== 'string') throw new UsageSourceError('unavailable', 'Autodesk accepted the export request without a request key.');
    const url = await pollExport(session, options.onProgress, async () => {
      const status = await session.json<ExportRequest>('GET', `${base}/${encodeURIComponent(created.requestKey)}`);
      if (status.requestStatus === 'Error') return { failed: 'Autodesk reported that the Token Flex export failed.' };
      if (status.requestStatus === 'Download' && status.downloadUrl) return { url: status.downloadUrl };
      return null;
    });
    return { fileName, body: await session.download(url), window };
  }
}
