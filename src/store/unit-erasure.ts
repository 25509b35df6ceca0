/** What erasing one unit removed. */
export interface UnitErasure {
  /** Events of the unit: its decisions and calls, and every event of the same requests (their feedback). */
  readonly events: number;
  /** Its sticky experiment assignments. */
  readonly assignments: number;
  /** Learned preference entries kept under its id (any profile scope but the global one). */
  readonly preferences: number;
}
