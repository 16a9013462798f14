// apiserver/apply: server-side apply and field ownership (metadata.managedFields) for the served
// kinds, as kube-apiserver's fieldmanager and structured-merge-diff compute them. Pure functions.
// See README.md.
export { applyConfiguration, buildLastApplied, conflictError, LAST_APPLIED_ANNOTATION, type ApplyOptions } from './apply.js';
export { recordUpdate, type UpdateOptions } from './update.js';
export { serverSideApply, type ApplyConfigurationFn } from './serverSideApply.js';
