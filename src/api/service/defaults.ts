// Static defaults applied when a Service is decoded (pkg/apis/core/v1/defaults.go
// SetDefaults_Service). Allocation-time defaults (clusterIP, ipFamilies, nodePorts) are the
// allocator's (src/apiserver/allocator); these never depend on cluster configuration.
import type { Service } from '../core.js';
import { deepCopy } from '../objects.js';
import { externallyAccessible } from './predicates.js';

/** `DefaultClientIPServiceAffinitySeconds`: three hours. */
export const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

/** Returns a defaulted copy; the input is not modified. Applying it twice changes nothing. */
export function defaultService(svc: Service): Service {
  const out = deepCopy(svc);
  const spec = out.spec;

  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') {
    delete spec.sessionAffinityConfig;
  } else if (spec.sessionAffinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (timeout === undefined || timeout === null) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } };
    }
  }

  if (!spec.type) spec.type = 'ClusterIP';

  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    // An omitted targetPort decodes as int 0; "" is the string zero value. Both mean "same as port".
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') {
      port.targetPort = port.port;
    }
  }

  if (externallyAccessible(out) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';

  if (spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') {
      spec.internalTrafficPolicy = 'Cluster';
    }
  }

  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null) {
      spec.allocateLoadBalancerNodePorts = true;
    }
    // LoadBalancerIPMode (on by default since 1.30): an ingress IP without a mode is a VIP.
    for (const ing of out.status?.loadBalancer?.ingress ?? []) {
      if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
    }
  }
  return out;
}
