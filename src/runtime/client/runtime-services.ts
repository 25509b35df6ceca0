import type { Cache } from '../cache/cache.js';
import type { Counters } from '../counters/counters.js';
import type { Pricing } from '../providers/pricing.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import type { Resilience } from '../resilience/resilience.js';
import type { TelemetryWriter } from '../telemetry/telemetry-writer.js';
import type { VariantHandler } from './run-types.js';

/** A named output guard: returns a message (or false) when the output must be refused. */
export type OutputGuard = (text: string) => string | null | boolean;

/** Everything a run needs, owned by one client instance. */
export interface RuntimeServices {
  /** Wall clock for event timestamps and limit windows (epoch ms). */
  readonly clock: () => number;
  /** Monotonic milliseconds for latencies. */
  readonly elapsed: () => number;
  readonly newId: () => string;
  readonly providers: ProviderRegistry;
  readonly pricing: Pricing;
  readonly cache: Cache;
  readonly counters: Counters;
  readonly resilience: Resilience;
  readonly telemetry: TelemetryWriter;
  readonly handlers: Readonly<Record<string, VariantHandler>>;
  readonly guards: Readonly<Record<string, OutputGuard>>;
  /** The form of a unit id in limit counters' keys: the id, or its pseudonym with hashed unit ids. */
  readonly pseudonymize: (unitId: string) => string;
}
