// Public entry of api/validation: ObjectMeta and per-kind validation returning FieldError[] with
// upstream (Kubernetes 1.32) field paths and messages. Pure code; never throws.
export {
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateLabels,
  validateLabelName,
  validateAnnotations,
  validateOwnerReferences,
  validateFinalizers,
  validateNonnegative,
  validateImmutable,
  semanticEqual,
  IS_NEGATIVE_ERROR_MSG,
  FIELD_IMMUTABLE_ERROR_MSG,
  TOTAL_ANNOTATION_SIZE_LIMIT_B,
  type ObjectMetaOptions,
} from './objectmeta.js';
export { validateLabelSelector, validateLabelSelectorRequirement, type LabelSelectorOptions } from './selector.js';
export { validateContainerPorts, validateEnv, validateEnvFrom, validateResources, type ContainerValidationOptions } from './container.js';
export { validatePodSpec, validatePodTemplateSpec, validateTolerations, type PodValidationOptions } from './podspec.js';
export { validatePod, validatePodUpdate, validatePodStatusUpdate, UPDATABLE_POD_SPEC_FIELDS } from './pod.js';
export { validateNamespace, validateNamespaceUpdate } from './namespace.js';
export { validateNode, validateNodeUpdate, validateNodeTaints } from './node.js';
export { validateConfigMap, validateConfigMapUpdate, MAX_SECRET_SIZE } from './configmap.js';
export { validateSecret, validateSecretUpdate } from './secret.js';
export { validateServiceAccount, validateServiceAccountUpdate } from './serviceaccount.js';
export { validateEndpoints, validateEndpointsUpdate, type EndpointValidationOptions } from './endpoints.js';
export { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice.js';
export { validateEvent, validateEventUpdate } from './event.js';
export { validateLease, validateLeaseUpdate } from './lease.js';
export {
  validateDeployment,
  validateDeploymentSpec,
  validateDeploymentUpdate,
  validateDeploymentStrategy,
  validateDeploymentStatus,
} from './deployment.js';
export {
  validateReplicaSet,
  validateReplicaSetSpec,
  validateReplicaSetUpdate,
  validateReplicaSetStatus,
  validatePodTemplateSpecForReplicaSet,
} from './replicaset.js';
export { validateScale } from './scale.js';
export { validateObject, validateObjectUpdate, type ValidateOptions } from './validate.js';
