// The proxy's own view of Services and endpoints: API objects shrunk to what the data plane needs
// (STYLE.md: minimal records at the boundary). Every stage after config/ speaks these types.
import type { Protocol, TrafficPolicy } from '../api/index.js';

/** One node this proxy serves. In loopback mode every node lives in this process. */
export interface NodeInfo {
  name: string;
  /** Addresses NodePorts and health-check ports are served on; a source address equal to one of
   * them identifies a client on this node. */
  ips: string[];
  /** IPv4 CIDR of the node's pods (e.g. 127.244.1.0/24); a source inside it is a pod of this node. */
  podCIDR: string;
}

/** A reference to the owning Service, for Events. */
export interface ServiceRef {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
}

/** One port of one Service, as upstream's ServicePort: everything that decides where traffic may go. */
export interface ServicePortInfo {
  /** `namespace/name:portName/PROTOCOL` (portName may be empty): the key of the port everywhere. */
  id: string;
  /** `namespace/name` */
  serviceKey: string;
  service: ServiceRef;
  portName: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  /** 0 when the port has none. */
  nodePort: number;
  externalIPs: string[];
  /** IPs from status.loadBalancer.ingress. */
  loadBalancerIPs: string[];
  /** ClientIP affinity timeout in seconds, or 0 for `sessionAffinity: None`. */
  affinityTimeoutSeconds: number;
  internalTrafficPolicy: TrafficPolicy;
  externalTrafficPolicy: TrafficPolicy;
  /** 0 when the Service has none. */
  healthCheckNodePort: number;
}

/** One endpoint of one service port (an EndpointSlice endpoint × the slice port of that name). */
export interface EndpointInfo {
  ip: string;
  port: number;
  nodeName: string;
  /** Conditions with upstream's nil rules applied: ready/serving default true, terminating false. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** `ip:port`, the identity of an endpoint within a service port. */
export const endpointKey = (e: { ip: string; port: number }): string => `${e.ip}:${e.port}`;

/** `namespace/name:portName/PROTOCOL` */
export const servicePortId = (namespace: string, name: string, portName: string, protocol: Protocol): string =>
  `${namespace}/${name}:${portName}/${protocol}`;
