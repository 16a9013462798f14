// Which printer a resource uses, by its plural (the URL segment).
import { configMapPrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { endpointsPrinter } from './endpoints.js';
import { endpointSlicePrinter } from './endpointslice.js';
import { eventPrinter } from './event.js';
import { fallbackPrinter } from './fallback.js';
import { leasePrinter } from './lease.js';
import { namespacePrinter } from './namespace.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import type { TablePrinter } from './printer.js';
import { servicePrinter } from './service.js';
import { deploymentPrinter, replicaSetPrinter } from './workloads.js';

const printers: Readonly<Record<string, TablePrinter>> = {
  namespaces: namespacePrinter,
  nodes: nodePrinter,
  pods: podPrinter,
  services: servicePrinter,
  endpoints: endpointsPrinter,
  endpointslices: endpointSlicePrinter,
  events: eventPrinter,
  configmaps: configMapPrinter,
  secrets: secretPrinter,
  serviceaccounts: serviceAccountPrinter,
  deployments: deploymentPrinter,
  replicasets: replicaSetPrinter,
  leases: leasePrinter,
};

/** The printer for a resource plural (`pods`); unknown resources get Name / Created At. */
export function printerFor(resourcePlural: string): TablePrinter {
  return Object.prototype.hasOwnProperty.call(printers, resourcePlural) ? printers[resourcePlural]! : fallbackPrinter;
}
