import { buildRunReport } from '../report/build.js';
import type { RunReport } from '../report/types.js';
import { Store } from '../store/store.js';

/**
 * Opens the database a command reads (it must exist: a StoreError says how to fix that), hands it
 * to `read`, and closes it whatever happens.
 */
export function withStore<T>(dbPath: string, read: (store: Store) => T): T {
  const store = Store.open(dbPath, { mustExist: true });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/** The report of a stored run, read once the run is over (for the tables that close a command). */
export function storedReport(dbPath: string, runId: number): RunReport {
  return withStore(dbPath, (store) => buildRunReport(store, runId));
}
