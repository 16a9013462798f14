// Services, as printers.go printService with the server's Wide option on (so LoadBalancer
// ingress lists are never clipped to 16 characters).
import type { Service, ServicePort } from '../core.js';
import type { KubeObject } from '../objects.js';
import { formatLabels } from '../labels.js';
import { NAME, CREATION_TIMESTAMP, SERVICE } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

/** `makePortString`: `80/TCP`, or `80:30080/TCP` with a node port. */
export function makePortString(ports: readonly ServicePort[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

/** `loadBalancerStatusStringer` (wide): ingress IPs, else hostnames, deduplicated and sorted. */
function loadBalancerIngress(svc: Service): string {
  const set = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  return [...set].sort().join(',');
}

/** `getServiceExternalIP`. */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const servicePrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME, { format: 'name' }),
    column('Type', 'string', SERVICE.type),
    column('Cluster-IP', 'string', SERVICE.clusterIP),
    column('External-IP', 'string', SERVICE.externalIPs),
    column('Port(s)', 'string', SERVICE.ports),
    column('Age', 'string', CREATION_TIMESTAMP),
    column('Selector', 'string', SERVICE.selector, { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const svc = obj as Service;
    // Stored services always carry clusterIPs; clusterIP is the fallback for hand-built objects.
    const internalIP = svc.spec?.clusterIPs?.[0] ?? (svc.spec?.clusterIP || '<none>');
    return [
      svc.metadata.name ?? '',
      svc.spec?.type ?? '',
      internalIP,
      serviceExternalIP(svc),
      makePortString(svc.spec?.ports) || '<none>',
      translateTimestampSince(svc.metadata.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};
