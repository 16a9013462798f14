// Schemas for apps/v1 Deployment and batch/v1 Job and CronJob. Field numbers, names and order
// follow upstream apps/v1 and batch/v1 generated.proto; `(go)` options follow the json tags in
// their types.go (see _gojson.ts).

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const INTSTR = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const CORE = '.k8s.io.api.core.v1';

export const APPS_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.apps.v1;

message Deployment {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional DeploymentSpec spec = 2 [(go) = "struct"];
  optional DeploymentStatus status = 3 [(go) = "struct"];
}

message DeploymentSpec {
  optional int32 replicas = 1 [(go) = "ptr"];
  optional ${META}.LabelSelector selector = 2 [(go) = "ptrreq"];
  optional ${CORE}.PodTemplateSpec template = 3 [(go) = "struct"];
  optional DeploymentStrategy strategy = 4 [(go) = "struct"];
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(go) = "ptr"];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(go) = "ptr"];
  optional string podReplacementPolicy = 10 [(go) = "ptr"];
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2;
}

message RollingUpdateDeployment {
  optional ${INTSTR} maxUnavailable = 1;
  optional ${INTSTR} maxSurge = 2;
}

message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 readyReplicas = 7;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  optional int32 terminatingReplicas = 9 [(go) = "ptr"];
  repeated DeploymentCondition conditions = 6;
  optional int32 collisionCount = 8 [(go) = "ptr"];
}

message DeploymentCondition {
  optional string type = 1 [(go) = "req"];
  optional string status = 2 [(go) = "req"];
  optional ${META}.Time lastUpdateTime = 6 [(go) = "struct"];
  optional ${META}.Time lastTransitionTime = 7 [(go) = "struct"];
  optional string reason = 4;
  optional string message = 5;
}
`;

export const BATCH_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.batch.v1;

message Job {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional JobSpec spec = 2 [(go) = "struct"];
  optional JobStatus status = 3 [(go) = "struct"];
}

message JobSpec {
  optional int32 parallelism = 1 [(go) = "ptr"];
  optional int32 completions = 2 [(go) = "ptr"];
  optional int64 activeDeadlineSeconds = 3 [(go) = "ptr"];
  optional PodFailurePolicy podFailurePolicy = 11;
  optional SuccessPolicy successPolicy = 16;
  optional int32 backoffLimit = 7 [(go) = "ptr"];
  optional int32 backoffLimitPerIndex = 12 [(go) = "ptr"];
  optional int32 maxFailedIndexes = 13 [(go) = "ptr"];
  optional ${META}.LabelSelector selector = 4;
  optional bool manualSelector = 5 [(go) = "ptr"];
  optional ${CORE}.PodTemplateSpec template = 6 [(go) = "struct"];
  optional int32 ttlSecondsAfterFinished = 8 [(go) = "ptr"];
  optional string completionMode = 9 [(go) = "ptr"];
  optional bool suspend = 10 [(go) = "ptr"];
  optional string podReplacementPolicy = 14 [(go) = "ptr"];
  optional string managedBy = 15 [(go) = "ptr"];
}

message JobStatus {
  repeated JobCondition conditions = 1;
  optional ${META}.Time startTime = 2;
  optional ${META}.Time completionTime = 3;
  optional int32 active = 4;
  optional int32 succeeded = 5;
  optional int32 failed = 6;
  optional int32 terminating = 11 [(go) = "ptr"];
  optional string completedIndexes = 7;
  optional string failedIndexes = 10 [(go) = "ptr"];
  optional UncountedTerminatedPods uncountedTerminatedPods = 8;
  optional int32 ready = 9 [(go) = "ptr"];
}

message JobCondition {
  optional string type = 1 [(go) = "req"];
  optional string status = 2 [(go) = "req"];
  optional ${META}.Time lastProbeTime = 3 [(go) = "struct"];
  optional ${META}.Time lastTransitionTime = 4 [(go) = "struct"];
  optional string reason = 5;
  optional string message = 6;
}

message PodFailurePolicy {
  repeated PodFailurePolicyRule rules = 1 [(go) = "req"];
}

message PodFailurePolicyRule {
  optional string action = 1 [(go) = "req"];
  // omitempty in 1.32 (kubectl's own output shows it); newer upstream drops the omitempty.
  optional PodFailurePolicyOnExitCodesRequirement onExitCodes = 2;
  repeated PodFailurePolicyOnPodConditionsPattern onPodConditions = 3;
}

message PodFailurePolicyOnExitCodesRequirement {
  optional string containerName = 1 [(go) = "ptr"];
  optional string operator = 2 [(go) = "req"];
  repeated int32 values = 3 [(go) = "req"];
}

message PodFailurePolicyOnPodConditionsPattern {
  optional string type = 1 [(go) = "req"];
  optional string status = 2 [(go) = "req"];
}

message SuccessPolicy {
  repeated SuccessPolicyRule rules = 1 [(go) = "req"];
}

message SuccessPolicyRule {
  optional string succeededIndexes = 1 [(go) = "ptr"];
  optional int32 succeededCount = 2 [(go) = "ptr"];
}

message UncountedTerminatedPods {
  repeated string succeeded = 1;
  repeated string failed = 2;
}

message CronJob {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional CronJobSpec spec = 2 [(go) = "struct"];
  optional CronJobStatus status = 3 [(go) = "struct"];
}

message CronJobSpec {
  optional string schedule = 1 [(go) = "req"];
  optional string timeZone = 8 [(go) = "ptr"];
  optional int64 startingDeadlineSeconds = 2 [(go) = "ptr"];
  optional string concurrencyPolicy = 3;
  optional bool suspend = 4 [(go) = "ptr"];
  optional JobTemplateSpec jobTemplate = 5 [(go) = "struct"];
  optional int32 successfulJobsHistoryLimit = 6 [(go) = "ptr"];
  optional int32 failedJobsHistoryLimit = 7 [(go) = "ptr"];
}

message JobTemplateSpec {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional JobSpec spec = 2 [(go) = "struct"];
}

message CronJobStatus {
  repeated ${CORE}.ObjectReference active = 1;
  optional ${META}.Time lastScheduleTime = 4;
  optional ${META}.Time lastSuccessfulTime = 5;
}
`;
