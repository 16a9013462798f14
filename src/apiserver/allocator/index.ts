// The public entry of apiserver/allocator: the generic range allocator, its IP and NodePort
// forms, the Service registry's allocation transactions, and the start-up repair pass.
export {
  RangeAllocator,
  AllocationError,
  ipRangeOffset,
  portRangeOffset,
  seededRandom,
  RANGE_FULL,
  type Allocated,
  type AllocationFailure,
  type Random,
  type RangeAllocatorOptions,
  type RangeSnapshot,
} from './range.js';
export { IPAllocator, DEFAULT_SERVICE_CIDR, IP_ALREADY_ALLOCATED, type IPAllocatorOptions } from './ip.js';
export {
  PortAllocator,
  parsePortRange,
  formatPortRange,
  DEFAULT_NODE_PORT_RANGE,
  PORT_ALREADY_ALLOCATED,
  type PortRange,
  type PortAllocatorOptions,
} from './port.js';
export {
  newServiceAllocators,
  allocateCreate,
  allocateUpdate,
  releaseOnDelete,
  normalizeClusterIPs,
  patchAllocatedValues,
  defaultServiceOnRead,
  type ServiceAllocators,
  type ServiceAllocatorsOptions,
  type AllocationResult,
  type ServiceUpdate,
} from './serviceAllocation.js';
export {
  repairAllocators,
  type Reservation,
  type RepairOptions,
  type RepairProblem,
  type RepairProblemKind,
  type RepairReport,
} from './repair.js';
