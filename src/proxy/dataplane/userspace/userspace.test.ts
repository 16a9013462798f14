import { dataPlaneConformance } from '../conformance.js';
import { userspaceDataPlane } from './index.js';

dataPlaneConformance({ name: 'userspace', factory: userspaceDataPlane({ dialTimeoutMs: 1000 }) });
