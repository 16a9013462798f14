// Schemas for k8s.io/apimachinery: runtime.Unknown (the envelope), intstr, resource.Quantity and
// the meta/v1 messages embedded in every object. Field numbers and declaration order are copied
// from the upstream generated.proto files (declaration order = Go struct order = JSON key order).
//
// The `(go)` field option records how the Go struct field behaves under encoding/json; see
// _gojson.ts for the vocabulary. Without it a scalar is `json:",omitempty"`, a repeated/map field
// is `omitempty`, and a message field is a pointer (`*T ... omitempty`).

export const RUNTIME_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

export const INTSTR_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;

export const RESOURCE_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`;

export const META_V1_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message MicroTime {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message FieldsV1 {
  optional bytes Raw = 1;
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4;
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  optional string subresource = 8;
}

message OwnerReference {
  optional string apiVersion = 5 [(go) = "req"];
  optional string kind = 1 [(go) = "req"];
  optional string name = 3 [(go) = "req"];
  optional string uid = 4 [(go) = "req"];
  optional bool controller = 6 [(go) = "ptr"];
  optional bool blockOwnerDeletion = 7 [(go) = "ptr"];
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8 [(go) = "struct"];
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10 [(go) = "ptr"];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message LabelSelectorRequirement {
  optional string key = 1 [(go) = "req"];
  optional string operator = 2 [(go) = "req"];
  repeated string values = 3;
}

message Condition {
  optional string type = 1 [(go) = "req"];
  optional string status = 2 [(go) = "req"];
  optional int64 observedGeneration = 3;
  optional Time lastTransitionTime = 4 [(go) = "struct"];
  optional string reason = 5 [(go) = "req"];
  optional string message = 6 [(go) = "req"];
}
`;
