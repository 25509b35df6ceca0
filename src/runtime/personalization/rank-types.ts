import type { DecisionReason } from '../../core/decision.js';

/** An attribute value an item may carry: what profiles learn affinities for. */
export type ItemAttributeValue = string | number | boolean;

/** One candidate `rank()` orders: an id unique in the request and the attributes profiles learn from. */
export interface RankItem {
  readonly id: string;
  readonly attributes?: Readonly<Record<string, ItemAttributeValue>>;
}

/** What `rank()` orders: the items in the caller's order (the control's order) and how many to return. */
export interface RankRequest<I extends RankItem = RankItem> {
  readonly items: readonly I[];
  /** Return only the first `limit` items of the order; default all. */
  readonly limit?: number;
}

/** An item in the served order with its score (see `RankResult.items`). */
export type RankedItem<I extends RankItem = RankItem> = I & { readonly score: number | null };

/** The answer of `rank()`. */
export interface RankResult<I extends RankItem = RankItem> {
  /** Feedback on this ranking names it: `sy.feedback(requestId, { accepted: true, itemId })`. */
  readonly requestId: string;
  /**
   * The served order, each item as given plus `score`: for a personalized order the number it was sorted by
   * (a Thompson draw of the item's learned affinity, or its mean with `explore: none`); for the caller's order
   * the affinity's posterior mean, so observe mode shows what the profiles learned; null when the feature
   * learns nothing.
   */
  readonly items: readonly RankedItem<I>[];
  /** The decided ranker variant. */
  readonly variant: string;
  readonly reason: DecisionReason;
  /** `personalized` when the order came from the profiles, `original` when it is the caller's. */
  readonly strategy: 'original' | 'personalized';
  /** `observe`: the feature learns from every unit but serves the caller's order. */
  readonly mode: 'serve' | 'observe';
}
