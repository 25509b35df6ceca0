export type { OpenStoreOptions } from './open-store.js';
export { DEFAULT_STORE_URL, openStore } from './open-store.js';
export type {
  AuditEntry,
  AuditPage,
  AuditQuery,
  ChangeMeta,
  FeatureArchiveChange,
  FeatureUpdateChange,
  GetFeatureOptions,
  ListFeaturesOptions,
  NewAuditEntry,
  Store,
  StoredFeature,
  StoreKind,
} from './store.js';
