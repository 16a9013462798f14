// The shared conformance suite, forwarding in this process and in two worker processes.
import { dataPlaneConformance } from '../conformance.js';
import { userspaceDataPlane } from './index.js';

dataPlaneConformance({ name: 'userspace, 1 worker (in process)', factory: userspaceDataPlane({ dialTimeoutMs: 1000, workers: 1 }) });
dataPlaneConformance({ name: 'userspace, 2 workers', factory: userspaceDataPlane({ dialTimeoutMs: 1000, workers: 2 }), base: 230, serviceNet: 14 });
