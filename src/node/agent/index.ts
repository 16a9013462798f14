// node/agent: the node agent (kubelet) of kubeloop. See README.md for what it guarantees.
// The only public entry of the folder.
export { startNodeAgent, routePodStreams } from './agent.js';
export type { NodeAgent, NodeAgentOptions } from './agent.js';
export type { BackoffOptions } from './backoff.js';
export { gatewayOf } from './ipam.js';
export { KUBELET_VERSION, NODE_LEASE_NAMESPACE } from './node.js';
