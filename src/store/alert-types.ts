/** How urgent an alert is. */
export type AlertSeverity = 'warning' | 'critical';

/** An alert is open while its rule keeps firing and resolved once it stops (or someone resolves it). */
export type AlertStatus = 'open' | 'resolved';

/**
 * What made a rule fire, as its evaluator records it (latest values, sample sizes, p-value or interval,
 * threshold): any JSON object, stored and returned exactly, key order included.
 */
export type AlertEvidence = Record<string, unknown>;

/**
 * One alert: an incident of a guardrail rule on a feature (or one variant of it). A store holds at most one
 * open alert per rule, feature and variant scope; once resolved, the next firing opens a new one.
 */
export interface StoredAlert {
  id: string;
  ruleId: string;
  feature: string;
  /** The experiment the rule watches, or null. */
  experiment: string | null;
  /** The variant the alert is about, or null when it is about the whole feature. */
  variant: string | null;
  metric: string;
  severity: AlertSeverity;
  status: AlertStatus;
  /** What the rule does when it fires (`notify`, `kill`, `rollback`, ...), as its config names it. */
  action: string;
  /** Epoch milliseconds. */
  openedAt: number;
  /** Epoch milliseconds of the last evaluation that found it firing, or of its resolution. */
  updatedAt: number;
  /** Epoch milliseconds, or null while open. */
  resolvedAt: number | null;
  /** The latest evidence. */
  evidence: AlertEvidence;
  /** How many evaluations found the rule firing while this alert was open, the one that opened it included. */
  occurrences: number;
}

/** A firing rule to record with `openAlert`; times are epoch milliseconds passed in by the caller. */
export interface NewAlert {
  /** The id a new alert gets (the caller generates a fresh one); unused when the incident is open already. */
  id: string;
  ruleId: string;
  feature: string;
  experiment?: string | null;
  /** Null or absent for an alert about the whole feature. */
  variant?: string | null;
  metric: string;
  severity: AlertSeverity;
  action: string;
  evidence: AlertEvidence;
  /** When the evaluation found the rule firing. */
  at: number;
}

/** What `openAlert` did: the open alert of the incident, and whether this call opened it. */
export interface OpenAlertResult {
  alert: StoredAlert;
  /** True when no alert of the incident was open and this call inserted one. */
  opened: boolean;
}

/** How `resolveAlert` closes an alert. */
export interface AlertResolution {
  /** Epoch milliseconds. */
  at: number;
  /** Replaces the alert's evidence when given (the values that show it recovered). */
  evidence?: AlertEvidence;
}

/** Filters and keyset pagination for `listAlerts`; every filter is an exact match. */
export interface AlertQuery {
  status?: AlertStatus;
  feature?: string;
  experiment?: string;
  /** Inclusive lower bound on `openedAt` (epoch ms). */
  from?: number;
  /** Exclusive upper bound on `openedAt` (epoch ms). */
  to?: number;
  /** Page size, 1 to 1000; default 100. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of alerts, newest first by (openedAt, id); `nextCursor` is null on the last page. */
export interface AlertPage {
  alerts: StoredAlert[];
  nextCursor: string | null;
}
