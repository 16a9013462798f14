// The contract between the generic registry and each resource: a strategy with fixed hooks
// (STYLE.md 6). The generic code has no per-kind `if`; everything kind-specific is here.
import type { DeleteOptions, FieldError, KubeObject, ResourceType, Stored } from '../../api/index.js';

export interface RequestContext {
  now: Date;
  dryRun: boolean;
  fieldManager?: string;
  /** The write is a server-side apply (which records its own managedFields). */
  applied?: boolean;
}

/** Work a hook did before persisting (e.g. an allocation) that must be undone if the write fails. */
export interface Transaction {
  commit(): void;
  revert(): void;
}

export interface DeleteDecision {
  /** Mark the object (deletionTimestamp) instead of removing it now. */
  graceful: boolean;
  /** deletionGracePeriodSeconds to record when graceful. */
  gracePeriodSeconds?: number;
}

export interface Strategy<T extends KubeObject = KubeObject> {
  /** Static defaults (v1 defaults.go), applied to every incoming object before anything else. */
  defaults?(obj: T, opts: { forCreate: boolean }): void;
  /** Create: drop what clients may not set (status, server fields). */
  prepareForCreate?(obj: T, ctx: RequestContext): void;
  /** Update: keep what this endpoint may not change (e.g. status on the main resource). */
  prepareForUpdate?(obj: T, old: Stored<T>, ctx: RequestContext): void;
  /** Create validation, metadata included (as upstream's Validate<Kind> calls ValidateObjectMeta). */
  validate(obj: T, ctx: RequestContext): FieldError[];
  /** Update validation, metadata included; `obj.metadata.resourceVersion` is set. */
  validateUpdate(obj: T, old: Stored<T>, ctx: RequestContext): FieldError[];
  /** Normalization after validation (e.g. sorting), before storing. */
  canonicalize?(obj: T): void;
  /** Allocation before validation (Services); the returned transaction is reverted on failure. */
  beginCreate?(obj: T, ctx: RequestContext): Transaction | undefined;
  beginUpdate?(obj: T, old: Stored<T>, ctx: RequestContext): Transaction | undefined;
  /** Release what the object held, after it is gone. */
  afterDelete?(obj: Stored<T>, ctx: RequestContext): void | Promise<void>;
  afterCreate?(obj: Stored<T>, ctx: RequestContext): void | Promise<void>;
  /** How a delete request proceeds (pods: graceful while on a node; namespaces: finalize first). */
  decideDelete?(obj: Stored<T>, opts: DeleteOptions, ctx: RequestContext): DeleteDecision;
  /** Status subresource: start from the old object and take only what /status may change. */
  prepareForStatusUpdate?(obj: T, old: Stored<T>, ctx: RequestContext): void;
  validateStatusUpdate?(obj: T, old: Stored<T>, ctx: RequestContext): FieldError[];
  /** Fields for field selectors beyond metadata.name/metadata.namespace. */
  selectableFields?(obj: Stored<T>): Record<string, string>;
  /** Whether metadata.generation is kept (bumped on spec change). */
  tracksGeneration?: boolean;
  /** Whether PUT on a missing object creates it. */
  allowCreateOnUpdate?: boolean;
  /** Whether the object is removed once its spec-level finalizers (namespaces) are gone. */
  hasSpecFinalizers?(obj: Stored<T>): boolean;
}

/** A served resource: discovery data plus the strategy. */
export interface ResourceDef<T extends KubeObject = KubeObject> {
  type: ResourceType;
  strategy: Strategy<T>;
}
