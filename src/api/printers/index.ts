// Public entry of api/printers: server-side Table printers (columns and cells as Kubernetes 1.32's
// pkg/printers/internalversion/printers.go) and HumanDuration.
export { column, type TablePrinter, type TableRowCondition } from './printer.js';
export { printerFor } from './registry.js';
export { humanDuration, translateTimestampSince, parseTimestamp } from './duration.js';
export { podPrinter, podRow, type PodRow } from './pod.js';
export { nodePrinter, nodeStatus, nodeRoles } from './node.js';
export { namespacePrinter } from './namespace.js';
export { servicePrinter, makePortString, serviceExternalIP } from './service.js';
export { endpointsPrinter, formatEndpoints, joinHostPort } from './endpoints.js';
export { endpointSlicePrinter, formatDiscoveryPorts, formatDiscoveryEndpoints } from './endpointslice.js';
export { eventPrinter, formatEventSource } from './event.js';
export { configMapPrinter, secretPrinter, serviceAccountPrinter } from './config.js';
export { deploymentPrinter, replicaSetPrinter, layoutContainerCells } from './workloads.js';
export { leasePrinter } from './lease.js';
export { fallbackPrinter, formatRFC3339 } from './fallback.js';
