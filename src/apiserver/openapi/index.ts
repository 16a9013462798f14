// apiserver/openapi: the OpenAPI v3 documents of the served group-versions (GET /openapi/v3...),
// and the field validation of write requests they advertise (fieldValidation=Strict|Warn|Ignore).
// See README.md.
export { openapiRoutes, type OpenApiRoutesOptions } from './routes.js';
export { groupVersionDocument, groupVersionPath, groupVersions, OPENAPI_VERSION, type JsonObject } from './document.js';
export {
  fieldValidationOf,
  validateBody,
  validatePatch,
  validateApplyBody,
  warningHeaders,
  type FieldValidation,
  type ValidationResult,
  type Gvk,
} from './fieldValidation.js';
