// Building blocks shared by the per-kind strategies.
import { deepCopy, type FieldError, type KubeObject, type Stored } from '../../api/index.js';
import type { Strategy } from '../registry/types.js';

type WithStatus = KubeObject & { status?: unknown; spec?: unknown };

/**
 * The usual spec/status split: the main endpoint ignores status (kept from the stored object,
 * dropped on create); /status keeps everything but status and labels/annotations.
 */
export function specStatusStrategy<T extends KubeObject>(s: Partial<Strategy<T>> & { validate?: Strategy<T>['validate']; validateUpdate?: Strategy<T>['validateUpdate'] }): Strategy<T> {
  return {
    validate: () => [],
    validateUpdate: () => [],
    ...s,
    prepareForCreate(obj, ctx) {
      const o = obj as WithStatus;
      delete o.status;
      s.prepareForCreate?.(obj, ctx);
    },
    prepareForUpdate(obj, old, ctx) {
      const o = obj as WithStatus;
      const prev = old as unknown as WithStatus;
      if (prev.status === undefined) delete o.status;
      else o.status = deepCopy(prev.status);
      s.prepareForUpdate?.(obj, old, ctx);
    },
    prepareForStatusUpdate(obj, old, ctx) {
      const o = obj as WithStatus;
      const status = o.status;
      const labels = obj.metadata.labels;
      const annotations = obj.metadata.annotations;
      const copy = deepCopy(old) as unknown as WithStatus;
      for (const k of Object.keys(o)) delete (o as unknown as Record<string, unknown>)[k];
      Object.assign(o, copy);
      if (status === undefined) delete o.status;
      else o.status = status;
      if (labels) o.metadata.labels = labels;
      else delete o.metadata.labels;
      if (annotations) o.metadata.annotations = annotations;
      else delete o.metadata.annotations;
      s.prepareForStatusUpdate?.(obj, old, ctx);
    },
  };
}

/** Objects without status (ConfigMap, Secret, Event, ...): stored as given. */
export function plainStrategy<T extends KubeObject>(s: Partial<Strategy<T>> = {}): Strategy<T> {
  return { validate: () => [], validateUpdate: () => [], ...s };
}

export const noErrors = (): FieldError[] => [];

export type { Stored };
