// Pod volume validation (`ValidateVolumes`, `validateVolumeSource`): names, exactly one source,
// and the sources kubeloop can run (emptyDir, hostPath, configMap, secret, persistentVolumeClaim).
// Other sources are counted for the one-source rule but their fields are not checked.
import type { Volume } from '../core.js';
import { field, type FieldPath, type FieldError } from '../field.js';
import { dns1123LabelErrors, localDescendingPathErrors } from './container.js';
import { parseQuantity } from './_quantity.js';

/** Sources in upstream's check order, with the path segment upstream reports for "more than 1". */
const SOURCES: readonly [key: string, reported: string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

function modeErrors(mode: unknown, path: FieldPath): FieldError[] {
  return typeof mode === 'number' && (mode > 0o777 || mode < 0) ? [field.invalid(path, mode, FILE_MODE_ERROR)] : [];
}

function noBacksteps(p: string, path: FieldPath): FieldError[] {
  return p.split(/[\\/]/).includes('..') ? [field.invalid(path, p, "must not contain '..'")] : [];
}

type KeyToPath = { key?: string; path?: string; mode?: number };

function validateItems(items: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(items) ? (items as KeyToPath[]) : []).forEach((kp, i) => {
    const p = path.index(i);
    if (!kp.key) errs.push(field.required(p.child('key')));
    if (!kp.path) errs.push(field.required(p.child('path')));
    else {
      errs.push(...localDescendingPathErrors(kp.path, p.child('path')));
      if (kp.path.startsWith('..')) errs.push(field.invalid(p.child('path'), kp.path, "must not start with '..'"));
    }
    errs.push(...modeErrors(kp.mode, p.child('mode')));
  });
  return errs;
}

type Source = Record<string, unknown>;

function validateSource(key: string, src: Source, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  switch (key) {
    case 'emptyDir': {
      const q = typeof src['sizeLimit'] === 'string' ? parseQuantity(src['sizeLimit']) : undefined;
      if (q && q.nano < 0n) errs.push(field.forbidden(path.child('emptyDir', 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      break;
    }
    case 'hostPath': {
      const p = path.child('hostPath');
      const hp = typeof src['path'] === 'string' ? src['path'] : '';
      if (!hp) return [field.required(p.child('path'))];
      errs.push(...noBacksteps(hp, p.child('path')));
      const t = typeof src['type'] === 'string' ? src['type'] : '';
      if (!HOST_PATH_TYPES.includes(t)) errs.push(field.notSupported(p.child('type'), t, HOST_PATH_TYPES));
      break;
    }
    case 'secret':
    case 'configMap': {
      const p = path.child(key);
      const nameKey = key === 'secret' ? 'secretName' : 'name';
      if (!src[nameKey]) errs.push(field.required(p.child(nameKey)));
      errs.push(...modeErrors(src['defaultMode'], p.child('defaultMode')));
      errs.push(...validateItems(src['items'], p.child('items')));
      break;
    }
    case 'persistentVolumeClaim':
      if (!src['claimName']) errs.push(field.required(path.child('persistentVolumeClaim', 'claimName')));
      break;
    default:
      break;
  }
  return errs;
}

/** `ValidateVolumes`: returns the names of the volumes that validated (mounts may only use those). */
export function validateVolumes(volumes: readonly Volume[] | undefined, path: FieldPath): { names: Set<string>; errors: FieldError[] } {
  const names = new Set<string>();
  const errors: FieldError[] = [];
  (volumes ?? []).forEach((vol, i) => {
    const p = path.index(i);
    const el: FieldError[] = [];
    let n = 0;
    for (const [key, reported] of SOURCES) {
      const src = vol[key];
      if (src === undefined || src === null) continue;
      if (n > 0) {
        el.push(field.forbidden(p.child(reported), 'may not specify more than 1 volume type'));
        continue;
      }
      n++;
      el.push(...validateSource(key, (typeof src === 'object' ? src : {}) as Source, p));
    }
    if (n === 0) el.push(field.required(p, 'must specify a volume type'));
    if (!vol.name) el.push(field.required(p.child('name')));
    else el.push(...dns1123LabelErrors(vol.name, p.child('name')));
    if (names.has(vol.name)) el.push(field.duplicate(p.child('name'), vol.name));
    if (el.length === 0) names.add(vol.name);
    else errors.push(...el);
  });
  return { names, errors };
}
