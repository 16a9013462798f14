// client/: how every part talks to the API (STYLE.md, DESIGN.md): one typed client over two
// transports (in-process, HTTPS), informers, a rate-limited work queue, an event recorder, and
// leader election.
export * from './transport.js';
export { InProcessTransport } from './inprocess.js';
export { HttpsTransport, type HttpsTransportOptions } from './https.js';
export { Client, ResourceClient } from './client.js';
export { Informer, byNamespace, type InformerHandlers, type InformerOptions } from './informer.js';
export { WorkQueue, runWorkers, realClock, type Clock, type ReconcileResult, type RunOptions } from './workqueue.js';
export { EventRecorder, type EventRecorderOptions } from './events.js';
export { LeaderElector, type LeaderElectionOptions } from './leaderelection.js';
