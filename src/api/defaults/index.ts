// Public entry of api/defaults: upstream (Kubernetes 1.32) defaulting, mutating objects in place.
export { defaultPod, defaultPodSpec, defaultPodTemplateSpec, defaultContainer, defaultVolume, DEFAULT_VOLUME_MODE } from './pod.js';
export { defaultDeployment, defaultReplicaSet } from './workloads.js';
export {
  defaultNamespace,
  defaultSecret,
  defaultEndpoints,
  defaultEndpointSlice,
  defaultNode,
  type NamespaceDefaultOptions,
} from './core.js';
export { defaultPullPolicy, parseImageReference, type ImageReference } from './image.js';
export { defaultObject, type DefaultOptions } from './object.js';
