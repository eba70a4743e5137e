/** The JSON content of `<dataDir>/bosun.lock`. */
export interface LockInfo {
  pid: number;
  hostname: string;
  /** What holds the store, as a user would type it: "bosun serve". */
  command: string;
  startedAt: string;
  /** Set by a server once it listens, so the CLI can talk to it instead. */
  serverUrl?: string;
}
