/**
 * The event history kept across visits, in the browser's IndexedDB: a returning visitor reads only the blocks
 * mined since. One record per chain, vault and deployment block; the deployment block's hash is stored with it,
 * so a chain restarted under the same vault address (a new devnet) is recognised and its record dropped.
 */

/** A vault log as the node returned it, plus its block time: enough to decode it again. */
export interface StoredLog {
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: number;
  index: number;
  address: string;
  topics: string[];
  data: string;
  timestamp: number;
}

export interface StoredHistory {
  /** The hash of the vault's deployment block when the record was written. */
  deploymentBlockHash: string;
  /** Every log up to and including this block is in `logs`. */
  readThrough: number;
  logs: StoredLog[];
  /** Gas of the transactions already shown: hash to [gasUsed, effective gas price], decimal strings. */
  gas: Record<string, [string, string]>;
}

export interface HistoryStore {
  read(key: string): Promise<StoredHistory | null>;
  write(key: string, history: StoredHistory): Promise<void>;
}

const DB_NAME = "open-index-vault";
const STORE = "history";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

/**
 * The browser's IndexedDB store, or one that keeps nothing where IndexedDB is missing or refused (a private
 * window, a storage quota): the history is then read from the chain each visit, as on a first visit.
 */
export function browserHistoryStore(): HistoryStore {
  let db: Promise<IDBDatabase | null> | null = null;
  const open = () => {
    db ??= (async () => {
      if (typeof indexedDB === "undefined") return null;
      const opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
      return request(opening).catch(() => null);
    })();
    return db;
  };
  return {
    read: async (key) => {
      const d = await open();
      if (d === null) return null;
      const value = (await request(d.transaction(STORE, "readonly").objectStore(STORE).get(key)).catch(() => undefined)) as StoredHistory | undefined;
      return value ?? null;
    },
    write: async (key, history) => {
      const d = await open();
      if (d === null) return;
      await request(d.transaction(STORE, "readwrite").objectStore(STORE).put(history, key)).catch(() => undefined);
    },
  };
}
