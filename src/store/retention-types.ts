/** Where a scrub of stored prompts and outputs got to: the last event it looked at, in (at, id) order. */
export interface ScrubCursor {
  readonly at: number;
  readonly id: string;
}

/** One batch of a scrub: how many events lost their prompt or output, and where the next batch starts. */
export interface ScrubBatch {
  readonly scrubbed: number;
  /** The last event looked at, or null when the batch reached the end of the range. */
  readonly next: ScrubCursor | null;
}
