// What tells two ledger addresses apart, for the commands that take several (overview, repeats).
import { realpathSync } from 'node:fs';
import { isServerAddress, parseServerAddress } from '../store/postgres/address.js';

/** A server's host, port, database and schema (whoever logs in, however the scheme is spelled),
 *  a file's real path (links and .. resolved). */
export function ledgerKey(address: string, env: NodeJS.ProcessEnv): string {
  if (isServerAddress(address)) {
    const a = parseServerAddress(address, env);
    return 'bad' in a ? address : `pg:${a.host.toLowerCase()}:${a.port}/${a.database}/${a.schema}`;
  }
  try {
    return `file:${realpathSync(address)}`;
  } catch {
    return `file:${address}`;
  }
}
