/** A detected range with its type and the rank of its detector (lower ranks win ties). */
export interface RankedSpan {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly rank: number;
}

/**
 * Merges overlapping spans so the result is sorted and disjoint. Each group of overlapping spans becomes
 * one span covering all of them (a partial overlap never leaves part of a detection unredacted), typed
 * by its winner: the longest member, then the earliest, then the lowest detector rank. Deterministic
 * whatever order the spans come in.
 *
 * @example
 * resolveOverlaps([
 *   { type: 'ip', start: 7, end: 18, rank: 4 },
 *   { type: 'phone', start: 0, end: 9, rank: 5 },
 * ]); // [{ type: 'ip', start: 0, end: 18, rank: 4 }]
 */
export function resolveOverlaps(spans: readonly RankedSpan[]): RankedSpan[] {
  const byStart = [...spans].sort((left, right) => left.start - right.start || right.end - left.end);
  const merged: RankedSpan[] = [];
  let winner: RankedSpan | undefined;
  let start = 0;
  let end = 0;
  for (const span of byStart) {
    if (winner && span.start < end) {
      end = Math.max(end, span.end);
      if (beats(span, winner)) winner = span;
      continue;
    }
    if (winner) merged.push({ type: winner.type, start, end, rank: winner.rank });
    winner = span;
    start = span.start;
    end = span.end;
  }
  if (winner) merged.push({ type: winner.type, start, end, rank: winner.rank });
  return merged;
}

/** Longer first, then earlier, then the detector listed first. */
function beats(challenger: RankedSpan, holder: RankedSpan): boolean {
  const lengthDifference = challenger.end - challenger.start - (holder.end - holder.start);
  if (lengthDifference !== 0) return lengthDifference > 0;
  if (challenger.start !== holder.start) return challenger.start < holder.start;
  return challenger.rank < holder.rank;
}
