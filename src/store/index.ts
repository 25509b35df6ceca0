export type { OpenStoreOptions } from './open-store.js';
export { DEFAULT_STORE_URL, openStore } from './open-store.js';
export type {
  AppendEventsResult,
  AuditEntry,
  AuditPage,
  AuditQuery,
  ChangeMeta,
  EventFilter,
  EventPage,
  EventQuery,
  FeatureArchiveChange,
  FeatureUpdateChange,
  GetFeatureOptions,
  ListFeaturesOptions,
  NewAuditEntry,
  Store,
  StoredFeature,
  StoreKind,
  StreamEventsOptions,
} from './store.js';
