import { parseArgs } from 'node:util';
import { RestoreError } from '../app/backup.js';
import { composeBackup } from '../compose-backup.js';
import { azuriteConnectionString } from '../config.js';
import { isMain } from './cli.js';
import { DEMO_TENANT } from './demo-users.js';

const USAGE = `Credit Desk backups: list them, take one now, or rebuild a tenant from one.

  npm run restore -- --tenant <id> --list
  npm run restore -- --tenant <id> --export
  npm run restore -- --tenant <id> --backup <name | latest> [--table <name>]

  --tenant <id>        the tenant (Entra tenant id; the local demo's is ${DEMO_TENANT})
  --list               the tenant's backups, oldest first, with rows, size and checksum
  --export             back the tenant up now (as the nightly timer does, retention included)
  --backup <name>      restore this backup (a name from --list, with or without "<tenant>/") or "latest"
  --storage <conn>     storage connection string (default: CREDIT_DESK_STORAGE, else AzureWebJobsStorage,
                       else the local Azurite of npm start on 127.0.0.1:10002 and :10000)
  --table <name>       the table to restore into (default: CREDIT_DESK_TABLE, else creditdesk); the tenant's
                       partition in it must be empty
  --container <name>   the blob container of the backups (default: backups)

A restore checks the backup's SHA-256 and row count before writing, refuses a table that already holds
rows of the tenant, writes the rows exactly as they were in transactions of up to 100, then runs the
ledger's invariant checker. Progress goes to stderr; the exit code is 0 only when all of it succeeded.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        tenant: { type: 'string' },
        backup: { type: 'string' },
        list: { type: 'boolean' },
        export: { type: 'boolean' },
        storage: { type: 'string' },
        table: { type: 'string' },
        container: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const modes = [args.list, args.export, args.backup !== undefined].filter(Boolean).length;
  if (!args.tenant || modes !== 1) {
    console.error(`Give --tenant and exactly one of --list, --export or --backup.\n\n${USAGE}`);
    return 2;
  }
  const tenant = args.tenant;
  const storageConnectionString = args.storage ?? env.CREDIT_DESK_STORAGE ?? env.AzureWebJobsStorage ?? azuriteConnectionString(10002, 10000);
  const tableName = args.table ?? env.CREDIT_DESK_TABLE ?? 'creditdesk';
  const retentionDays = env.CREDIT_DESK_BACKUP_RETENTION_DAYS ? Number(env.CREDIT_DESK_BACKUP_RETENTION_DAYS) : undefined;
  const service = composeBackup({ storageConnectionString, tableName, containerName: args.container, retentionDays, log: (line) => console.error(line) });

  try {
    if (args.list) {
      const backups = await service.list(tenant);
      if (backups.length === 0) console.log(`No backups of tenant ${tenant}.`);
      for (const b of backups) {
        const facts = b.facts ? `${String(b.facts.rows).padStart(7)} rows  sha256 ${b.facts.sha256}` : '   unfinished (no checksum: not restorable)';
        console.log(`${b.name}  ${String(b.size).padStart(10)} bytes ${facts}`);
      }
      return 0;
    }
    if (args.export) {
      const report = await service.backup(tenant);
      console.log(`${report.name}: ${report.rows} rows, ${report.bytes} bytes, sha256 ${report.sha256}${report.deleted.length ? `; deleted ${report.deleted.join(', ')}` : ''}`);
      return 0;
    }
    console.error(`Restoring tenant ${tenant} from ${args.backup} into table ${tableName}…`);
    const report = await service.restore(tenant, args.backup!);
    console.log(`Restored ${report.rows} rows of ${tenant} from ${report.name} into table ${tableName} (${report.transactions} transactions).`);
    if (report.violations.length === 0) {
      console.log('Ledger invariants: ok.');
      return 0;
    }
    console.log(`Ledger invariants: ${report.violations.length} violation(s). The backup was taken while the ledger changed, or the ledger was already unsound:`);
    for (const v of report.violations) console.log(`  ${v.rule}: ${v.message}`);
    return 1;
  } catch (error) {
    console.error(error instanceof RestoreError ? `Refused: ${error.message}` : `Failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
