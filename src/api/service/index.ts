// The public entry of api/service: the pure rules of the Service object (defaults, validation,
// the strategy's prepare hooks, the predicates the registry asks). No I/O, no cluster state.
export { defaultService, DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } from './defaults.js';
export {
  validateService,
  validateServiceUpdate,
  validateServiceMeta,
  validateServiceClusterIPsRelatedFields,
  isValidPortName,
  KUBELET_PORT,
  MAX_CLIENT_IP_TIMEOUT_SECONDS,
} from './validation.js';
export { prepareForCreate, prepareForUpdate, dropTypeDependentFields } from './strategy.js';
export {
  isHeadlessService,
  externallyAccessible,
  requestsOnlyLocalTraffic,
  needsHealthCheck,
  needsClusterIP,
  needsNodePort,
} from './predicates.js';
export { parseIP, parseCIDR, ipFamilyOf, formatIPv4, ipv4ToNumber, type ParsedIP, type ParsedCIDR } from './ip.js';
export { goStrings, goIPFamilies, goServicePortKey, GO_NIL } from './_gofmt.js';
