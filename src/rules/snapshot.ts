// What decisions see: plain data read from the store, never a live connection.

export interface LabelSnapshot {
  name: string;
  color?: string;
}

export interface RepositorySnapshot {
  /** `owner/name`. */
  fullName: string;
  /** False until the first full sync has stored it: a rule must not act on what it has not seen. */
  synced: boolean;
  labels: LabelSnapshot[];
}

export interface Snapshot {
  repositories: RepositorySnapshot[];
}
