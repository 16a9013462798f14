// apiserver/openapi: the OpenAPI v3 documents of the served group-versions (GET /openapi/v3...),
// the OpenAPI v2 document in JSON and gnostic protobuf (GET /openapi/v2, for kubectl's client-side
// validation), and the field validation of write requests v3 advertises
// (fieldValidation=Strict|Warn|Ignore). See README.md.
export { openapiRoutes, OPENAPI_V2_PROTOBUF, type OpenApiRoutesOptions } from './routes.js';
export { groupVersionDocument, groupVersionPath, groupVersions, servedStructs, OPENAPI_VERSION, type JsonObject } from './document.js';
export { swaggerDocument, SWAGGER_VERSION } from './swagger.js';
export { encodeSwaggerProto, decodeSwaggerProto, type GnosticMessage } from './gnostic.js';
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
