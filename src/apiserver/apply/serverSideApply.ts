// The registry's hook (RegistryOptions.applyConfiguration) bound to a clock.
import type { KubeObject } from '../../api/index.js';
import { applyConfiguration } from './apply.js';

export type ApplyConfigurationFn = (
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: { fieldManager: string; force: boolean; subresource?: string },
) => KubeObject;

/** `applyConfiguration` with the time taken from `clock`, in the shape the registry calls. */
export function serverSideApply(o: { clock?: () => Date } = {}): ApplyConfigurationFn {
  const clock = o.clock ?? (() => new Date());
  return (live, applied, opts) => applyConfiguration(live, applied, { ...opts, now: clock() });
}
