/** One engine built once for the bench users, deciding the coach-reply variant of the user at an index. */
export interface Decider {
  /** The name printed in the results table. */
  readonly name: string;
  /** The variant (`v1` or `v2`) for the user at `index`; contexts are prebuilt, so only evaluation runs. */
  decide(index: number): string;
  /** Releases timers or handles the engine holds, if any. */
  close?(): void;
}
