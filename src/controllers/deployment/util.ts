// Pure helpers of the deployment controller, after pkg/controller/deployment/util: defaults, the
// RollingUpdate fenceposts, the pod-template-hash, revision and replica annotations, conditions
// and the proportional-scaling arithmetic.
import { deepCopy, type Deployment, type DeploymentStatus, type IntOrString, type PodTemplateSpec, type ReplicaSet } from '../../api/index.js';
import { canonicalJson, parseTime } from '../_meta.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Upper bound of the revision-history annotation (maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_CHARS = 2000;

// Condition reasons (deployment_util.go).
export const REASON = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export type DeploymentCondition = NonNullable<DeploymentStatus['conditions']>[number];

/** A Deployment with apps/v1 defaults applied (SetDefaults_Deployment): what the controller acts on. */
export type DefaultedDeployment = Deployment & {
  spec: Deployment['spec'] & { replicas: number; revisionHistoryLimit: number; progressDeadlineSeconds: number; minReadySeconds: number };
};

export function withDefaults(d: Deployment): DefaultedDeployment {
  const c = deepCopy(d);
  const spec = c.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.minReadySeconds ??= 0;
  return c as DefaultedDeployment;
}

/** An IntOrString that is not an integer or a percentage. */
export class IntOrPercentError extends Error {}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is; `"N%"` of `total`, rounded up or down.
 */
export function scaledValue(v: IntOrString, o: { total: number; roundUp: boolean }): number {
  const { total, roundUp } = o;
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new IntOrPercentError(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const s = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(s)) throw new IntOrPercentError(`invalid value for IntOrString: invalid value "${v}"`);
  const x = (Number(s) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down; if both come out 0,
 * maxUnavailable becomes 1 so a rollout can always make progress.
 */
export function resolveFenceposts(o: { maxSurge: IntOrString | undefined; maxUnavailable: IntOrString | undefined; desired: number }): { surge: number; unavailable: number } {
  const surge = scaledValue(o.maxSurge ?? 0, { total: o.desired, roundUp: true });
  let unavailable = scaledValue(o.maxUnavailable ?? 0, { total: o.desired, roundUp: false });
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const isRollingUpdate = (d: DefaultedDeployment) => d.spec.strategy?.type === 'RollingUpdate';

export function maxUnavailable(d: DefaultedDeployment): number {
  if (!isRollingUpdate(d) || d.spec.replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts({ maxSurge: ru?.maxSurge, maxUnavailable: ru?.maxUnavailable, desired: d.spec.replicas });
  return Math.min(unavailable, d.spec.replicas);
}

export function maxSurge(d: DefaultedDeployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts({ maxSurge: ru?.maxSurge, maxUnavailable: ru?.maxUnavailable, desired: d.spec.replicas }).surge;
}

// ---------------------------------------------------------------- pod-template-hash

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character mapped into an alphabet that never spells words. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHANUMS[(ch.codePointAt(0) ?? 0) % SAFE_ALPHANUMS.length];
  return out;
}

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * controller.ComputeHash: FNV-32a over the template, then the collision count as 8 bytes
 * (uint32 little-endian and zero padding), printed in decimal and safe-encoded. Upstream hashes
 * a spew dump of the Go struct; here the template's canonical JSON is hashed, so the value has
 * the same shape and stability but not the same digits as a real cluster's.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is dropped from both. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    if (!t) return null;
    const c = deepCopy(t);
    if (c.metadata?.labels) {
      delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    if (c.metadata && Object.keys(c.metadata).length === 0) delete c.metadata;
    return c;
  };
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

// ---------------------------------------------------------------- replica sets

export const rsReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 1;
export const rsStatus = (rs: ReplicaSet) => ({
  replicas: rs.status?.replicas ?? 0,
  ready: rs.status?.readyReplicas ?? 0,
  available: rs.status?.availableReplicas ?? 0,
});

/** Revision of an object (0 when unannotated, NaN when unparsable). */
export function revisionOf(o: { metadata: { annotations?: Record<string, string> } }): number {
  const v = o.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^\d+$/.test(v) ? Number(v) : Number.NaN;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** LastRevision: the second highest revision. */
export function lastRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  let sec = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (Number.isNaN(v)) continue;
    if (v >= max) {
      sec = max;
      max = v;
    } else if (v > sec) sec = v;
  }
  return sec;
}

const ANNOTATIONS_TO_SKIP = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO]);

export const skipCopyAnnotation = (k: string) => ANNOTATIONS_TO_SKIP.has(k);

/** Copies the Deployment's annotations (but the controller's own) onto the RS; true if any changed. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || rs.metadata.annotations[k] === v) continue;
    rs.metadata.annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true if either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, o: { desired: number; max: number }): boolean {
  const { desired, max } = o;
  rs.metadata.annotations ??= {};
  let changed = false;
  if (rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (rs.metadata.annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    rs.metadata.annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, o: { desired: number; max: number }): boolean {
  const { desired, max } = o;
  const a = rs.metadata.annotations;
  return a?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a?.[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision to
 * `newRevision` (keeping the old one in revision-history when rolling back to this RS), and on
 * creation record the replica annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: DefaultedDeployment,
  o: { replicaSet: ReplicaSet; revision: number; exists: boolean; historyLimit?: number },
): boolean {
  const { replicaSet: rs, revision: newRevision, exists } = o;
  const historyLimit = o.historyLimit ?? MAX_REV_HISTORY_CHARS;
  let changed = copyDeploymentAnnotations(d, rs);
  const ann = (rs.metadata.annotations ??= {});
  const oldText = ann[REVISION_ANNOTATION];
  const had = oldText !== undefined;
  let oldRev = 0;
  if (oldText !== undefined && oldText !== '') {
    if (!/^\d+$/.test(oldText)) return false;
    oldRev = Number(oldText);
  }
  if (oldRev < newRevision) {
    ann[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
  }
  if (had && oldRev < newRevision) {
    const history = ann[REVISION_HISTORY_ANNOTATION] ?? '';
    const olds = history.split(',');
    if (olds[0] === '') ann[REVISION_HISTORY_ANNOTATION] = oldText ?? '';
    else {
      let total = history.length + (oldText ?? '').length + 1;
      let start = 0;
      while (total > historyLimit && start < olds.length) {
        total -= (olds[start] ?? '').length + 1;
        start++;
      }
      if (total <= historyLimit) ann[REVISION_HISTORY_ANNOTATION] = [...olds.slice(start), oldText ?? ''].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, { desired: d.spec.replicas, max: d.spec.replicas + maxSurge(d) })) changed = true;
  return changed;
}

// ---------------------------------------------------------------- sorting and finding

const creation = (rs: ReplicaSet) => parseTime(rs.metadata.creationTimestamp) ?? 0;

/** ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = creation(a) - creation(b);
  if (d !== 0) return d;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: largest first, ties oldest first. */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number => rsReplicas(b) - rsReplicas(a) || byCreation(a, b);
/** ReplicaSetsBySizeNewer: largest first, ties newest first. */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number => rsReplicas(b) - rsReplicas(a) || byCreation(b, a);
/** ReplicaSetsByRevision: lowest revision first, ties by creation. */
export const byRevision = (a: ReplicaSet, b: ReplicaSet): number => {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  return ra === rb || Number.isNaN(ra) || Number.isNaN(rb) ? byCreation(a, b) : ra - rb;
};

export const filterActive = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] => rss.filter((rs): rs is ReplicaSet => !!rs && rsReplicas(rs) > 0);

/** FindNewReplicaSet: the oldest RS whose template equals the Deployment's (ignoring the hash). */
export function findNewReplicaSet<T extends ReplicaSet>(d: Deployment, rss: readonly T[]): T | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** FindOldReplicaSets: every other RS (all), and those of them with replicas (required). */
export function findOldReplicaSets<T extends ReplicaSet>(d: Deployment, rss: readonly T[]): { required: T[]; all: T[] } {
  const n = findNewReplicaSet(d, rss);
  const all = rss.filter((rs) => rs !== n);
  return { required: all.filter((rs) => rsReplicas(rs) !== 0), all };
}

export const replicaCount = (rss: readonly (ReplicaSet | undefined)[]) => rss.reduce((n, rs) => n + (rs ? rsReplicas(rs) : 0), 0);
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => rss.reduce((n, rs) => n + (rs ? rsStatus(rs).replicas : 0), 0);
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => rss.reduce((n, rs) => n + (rs ? rsStatus(rs).ready : 0), 0);
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => rss.reduce((n, rs) => n + (rs ? rsStatus(rs).available : 0), 0);

/** FindActiveOrLatest: the only active RS, the newest when none is active, else undefined. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** NewRSNewReplicas: how far the new RS may grow now (surge-limited for RollingUpdate). */
export function newRSNewReplicas(d: DefaultedDeployment, o: { allRSs: readonly ReplicaSet[]; newRS: ReplicaSet }): number {
  const { allRSs, newRS } = o;
  if (d.spec.strategy?.type === 'Recreate') return d.spec.replicas;
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, { total: d.spec.replicas, roundUp: true });
  const current = replicaCount(allRSs);
  const maxTotal = d.spec.replicas + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const up = Math.min(maxTotal - current, d.spec.replicas - rsReplicas(newRS));
  return rsReplicas(newRS) + up;
}

/** IsSaturated: the new RS holds, and has available, every desired replica. */
export function isSaturated(d: DefaultedDeployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  if (desired === undefined || !/^-?\d+$/.test(desired)) return false;
  return rsReplicas(rs) === d.spec.replicas && Number(desired) === d.spec.replicas && rsStatus(rs).available === d.spec.replicas;
}

function annotationInt(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** GetProportion: the share of a scaling event this RS takes (bounded by what is left). */
export function getProportion(rs: ReplicaSet, o: { deployment: DefaultedDeployment; toAdd: number; added: number }): number {
  const { deployment: d, toAdd, added } = o;
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: DefaultedDeployment): number {
  if (d.spec.replicas === 0) return -rsReplicas(rs);
  const deploymentReplicas = d.spec.replicas + maxSurge(d);
  const annotated = annotationInt(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  const size = (rsReplicas(rs) * deploymentReplicas) / annotated;
  return goRound(size) - rsReplicas(rs);
}

/** integer.RoundToInt32: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

// ---------------------------------------------------------------- status and conditions

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function newCondition(c: { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string; now: string }): DeploymentCondition {
  return { type: c.type, status: c.status, lastUpdateTime: c.now, lastTransitionTime: c.now, reason: c.reason, message: c.message };
}

/**
 * SetDeploymentCondition: no change when status and reason are the same; keeps the transition
 * time when only the reason changes; otherwise replaces the condition (moving it last).
 */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = { ...c };
  if (cur && cur.status === c.status && cur.lastTransitionTime) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const l = (status.conditions ?? []).filter((x) => x.type !== type);
  if (l.length) status.conditions = l;
  else delete status.conditions;
}

export const hasProgressDeadline = (d: DefaultedDeployment) => d.spec.progressDeadlineSeconds !== 2147483647;
export const hasRevisionHistoryLimit = (d: DefaultedDeployment) => d.spec.revisionHistoryLimit !== 2147483647;

/** DeploymentComplete: every desired replica updated and available, nothing old left, spec observed. */
export function deploymentComplete(d: DefaultedDeployment, s: DeploymentStatus): boolean {
  return (
    (s.updatedReplicas ?? 0) === d.spec.replicas &&
    (s.replicas ?? 0) === d.spec.replicas &&
    (s.availableReplicas ?? 0) === d.spec.replicas &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the Progressing condition has not moved for progressDeadlineSeconds. */
export function deploymentTimedOut(d: DefaultedDeployment, o: { status: DeploymentStatus; now: number }): boolean {
  const { status: s, now: nowMs } = o;
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === REASON.newRSAvailable) return false;
  if (c.reason === REASON.timedOut) return true;
  const from = parseTime(c.lastUpdateTime);
  if (from === undefined) return false;
  return from + d.spec.progressDeadlineSeconds * 1000 < nowMs;
}
