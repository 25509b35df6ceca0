import type { FeatureConfigInput } from '../../core/feature-config.js';
import { parseFeature } from '../../core/validate-feature.js';
import { DEFAULT_STORE_URL, openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { type Privacy, requireUnitIdMode } from '../../store/unit-pseudonyms.js';
import { createRemoteEventSink } from '../remote/event-sink.js';
import { createRemoteFeatureRegistry } from '../remote/remote-feature-registry.js';
import { createServerApi } from '../remote/server-api.js';
import type { TelemetrySink } from '../telemetry/telemetry-writer.js';
import { bootstrapFeatures } from './bootstrap-features.js';
import type { AssignmentBackend } from './experiment-assignments.js';
import { createFeatureRegistry, type FeatureRegistry } from './feature-registry.js';

/** Tuning of the connection to a Switchyard server (remote mode). */
export interface RemoteOptions {
  /** Bound on each request to the server (config, events; the stream until it opens). Default 10 s. */
  requestTimeoutMs?: number;
  /** A config stream silent this long is reopened; default 45 s (the server sends a keep-alive every 15 s). */
  streamIdleTimeoutMs?: number;
  /** First wait before reopening a dropped stream, doubling with jitter up to `reconnectMaxDelayMs`; default 250 ms. */
  reconnectInitialDelayMs?: number;
  /** Longest wait between reconnects; default 10 s. */
  reconnectMaxDelayMs?: number;
}

/** Where a client's features come from and where its telemetry goes: a store, or a Switchyard server. */
export interface FeatureSourceOptions {
  store?: string | Store;
  features?: FeatureConfigInput[];
  refreshIntervalMs?: number;
  server?: string;
  token?: string;
  remote?: RemoteOptions;
  clock: () => number;
  /** How the store this source opens keeps unit ids. */
  privacy?: Privacy | undefined;
  random?: () => number;
  onError: (error: unknown) => void;
}

/** The feature registry and telemetry sink of a client, and what to release when it closes. */
export interface FeatureSource {
  readonly registry: FeatureRegistry;
  readonly sink: TelemetrySink;
  /** Where sticky experiment assignments are read and written. */
  readonly assignments: AssignmentBackend;
  /** The store, in store mode: where preference profiles are kept. */
  readonly store?: Store;
  /** Stops following changes and releases the store it opened; call it after telemetry was flushed. */
  close(): Promise<void>;
}

/**
 * Opens the client's feature source. Store mode (the default): opens the store, applies `features`, and
 * polls the store; telemetry goes to the store. Server mode (`server` and `token`): loads the config from
 * the server and follows its event stream; telemetry goes to `POST /api/events` (docs/decisions/0007).
 */
export async function openFeatureSource(options: FeatureSourceOptions): Promise<FeatureSource> {
  const { onError } = options;
  if (options.server !== undefined && options.token !== undefined) {
    const remote = options.remote ?? {};
    const api = createServerApi({
      server: options.server,
      token: options.token,
      ...(remote.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: remote.requestTimeoutMs }),
    });
    const registry = await createRemoteFeatureRegistry({
      api,
      onError,
      ...(options.random ? { random: options.random } : {}),
      ...(remote.streamIdleTimeoutMs === undefined
        ? {}
        : { streamIdleTimeoutMs: remote.streamIdleTimeoutMs }),
      reconnectDelayMs: {
        initial: remote.reconnectInitialDelayMs ?? 250,
        max: remote.reconnectMaxDelayMs ?? 10_000,
      },
    });
    const sink = createRemoteEventSink({
      api,
      onError,
      ...(options.random ? { random: options.random } : {}),
    });
    return {
      registry,
      sink,
      assignments: {
        find: (experiment, unitId) => api.postAssignment({ experiment, unitId }),
        assignOnce: async (assignment) =>
          (await api.postAssignment({
            experiment: assignment.experiment,
            unitId: assignment.unitId,
            variant: assignment.variant,
            seed: assignment.seed,
          })) ?? assignment,
      },
      close: async () => {
        registry.close();
      },
    };
  }

  const features = (options.features ?? []).map((feature) => parseFeature(feature));
  const ownsStore = typeof options.store !== 'object';
  const store =
    typeof options.store === 'object'
      ? options.store
      : await openStore(options.store ?? DEFAULT_STORE_URL, {
          clock: options.clock,
          ...(options.privacy === undefined ? {} : { privacy: options.privacy }),
        });
  try {
    requireUnitIdMode(store.unitIds, options.privacy);
    await bootstrapFeatures(store, features);
    const registry = await createFeatureRegistry({
      store,
      onError,
      ...(options.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: options.refreshIntervalMs }),
    });
    return {
      registry,
      sink: (events) => store.appendEvents(events),
      store,
      assignments: {
        find: (experiment, unitId) => store.findAssignment(experiment, unitId),
        assignOnce: (assignment) => store.assignOnce(assignment),
      },
      close: async () => {
        registry.close();
        if (ownsStore) await store.close();
      },
    };
  } catch (error) {
    if (ownsStore) await store.close().catch(onError);
    throw error;
  }
}
