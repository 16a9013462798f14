// The public entry of api/: types, errors, selectors, names, resource data. Pure code, no I/O.
export * from './meta.js';
export * from './core.js';
export * from './apps.js';
export * from './discovery.js';
export * from './coordination.js';
export * from './objects.js';
export * from './field.js';
export * from './errors.js';
export * from './labels.js';
export * from './fields.js';
export * from './names.js';
export * from './resources.js';
export * from './validation/index.js';
export * from './defaults/index.js';
export * from './printers/index.js';
