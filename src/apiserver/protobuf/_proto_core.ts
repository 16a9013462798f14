// Schema for the k8s.io/api/core/v1 messages kubeloop decodes: Namespace, Service, ConfigMap,
// Secret, ServiceAccount, Pod, and the PodSpec/PodTemplateSpec tree that apps/v1 and batch/v1
// embed. Field numbers, names and declaration order follow upstream core/v1/generated.proto;
// `(go)` options follow the json tags in core/v1/types.go (see _gojson.ts).
//
// Deliberately left out (their bytes are skipped, as an old Go server skips unknown fields):
// the deprecated in-tree volume plugins (gcePersistentDisk, awsElasticBlockStore, gitRepo, iscsi,
// glusterfs, rbd, flexVolume, cinder, cephfs, flocker, fc, azureFile, vsphereVolume, quobyte,
// azureDisk, photonPersistentDisk, portworxVolume, scaleIO, storageos), ephemeralContainers
// (only writable through the pods/ephemeralcontainers subresource) and the rarest PodStatus parts
// (volume mount status, resource health, extended resource claims).

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const QTY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const INTSTR = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';

export const CORE_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

// ------------------------------------------------------------------ top-level kinds
message Namespace {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional NamespaceSpec spec = 2 [(go) = "struct"];
  optional NamespaceStatus status = 3 [(go) = "struct"];
}

message NamespaceSpec {
  repeated string finalizers = 1;
}

message NamespaceStatus {
  optional string phase = 1;
  repeated NamespaceCondition conditions = 2;
}

message NamespaceCondition {
  optional string type = 1 [(go) = "req"];
  optional string status = 2 [(go) = "req"];
  optional ${META}.Time lastTransitionTime = 4 [(go) = "struct"];
  optional string reason = 5;
  optional string message = 6;
}

message ConfigMap {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional bool immutable = 4 [(go) = "ptr"];
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
}

message Secret {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional bool immutable = 5 [(go) = "ptr"];
  map<string, bytes> data = 2;
  map<string, string> stringData = 4;
  optional string type = 3;
}

message ServiceAccount {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  repeated ObjectReference secrets = 2;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4 [(go) = "ptr"];
}

message ObjectReference {
  optional string kind = 1;
  optional string namespace = 2;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional string resourceVersion = 6;
  optional string fieldPath = 7;
}

message LocalObjectReference {
  optional string name = 1;
}

message TypedLocalObjectReference {
  optional string apiGroup = 1 [(go) = "ptrreq"];
  optional string kind = 2 [(go) = "req"];
  optional string name = 3 [(go) = "req"];
}

message TypedObjectReference {
  optional string apiGroup = 1 [(go) = "ptrreq"];
  optional string kind = 2 [(go) = "req"];
  optional string name = 3 [(go) = "req"];
  optional string namespace = 4 [(go) = "ptr"];
}

// ------------------------------------------------------------------ Service
message Service {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional ServiceSpec spec = 2 [(go) = "struct"];
  optional ServiceStatus status = 3 [(go) = "struct"];
}

message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  optional string clusterIP = 3;
  repeated string clusterIPs = 18;
  optional string type = 4;
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7;
  optional string loadBalancerIP = 8;
  repeated string loadBalancerSourceRanges = 9;
  optional string externalName = 10;
  optional string externalTrafficPolicy = 11;
  optional int32 healthCheckNodePort = 12;
  optional bool publishNotReadyAddresses = 13;
  optional SessionAffinityConfig sessionAffinityConfig = 14;
  repeated string ipFamilies = 19;
  optional string ipFamilyPolicy = 17 [(go) = "ptr"];
  optional bool allocateLoadBalancerNodePorts = 20 [(go) = "ptr"];
  optional string loadBalancerClass = 21 [(go) = "ptr"];
  optional string internalTrafficPolicy = 22 [(go) = "ptr"];
  optional string trafficDistribution = 23 [(go) = "ptr"];
}

message ServicePort {
  optional string name = 1;
  optional string protocol = 2;
  optional string appProtocol = 6 [(go) = "ptr"];
  optional int32 port = 3 [(go) = "req"];
  optional ${INTSTR} targetPort = 4 [(go) = "struct"];
  optional int32 nodePort = 5;
}

message SessionAffinityConfig {
  optional ClientIPConfig clientIP = 1;
}

message ClientIPConfig {
  optional int32 timeoutSeconds = 1 [(go) = "ptr"];
}

message ServiceStatus {
  optional LoadBalancerStatus loadBalancer = 1 [(go) = "struct"];
  repeated ${META}.Condition conditions = 2;
}

message LoadBalancerStatus {
  repeated LoadBalancerIngress ingress = 1;
}

message LoadBalancerIngress {
  optional string ip = 1;
  optional string hostname = 2;
  optional string ipMode = 3 [(go) = "ptr"];
  repeated PortStatus ports = 4;
}

message PortStatus {
  optional int32 port = 1 [(go) = "req"];
  optional string protocol = 2 [(go) = "req"];
  optional string error = 3 [(go) = "ptr"];
}

// ------------------------------------------------------------------ Pod
message Pod {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional PodSpec spec = 2 [(go) = "struct"];
  optional PodStatus status = 3 [(go) = "struct"];
}

message PodTemplateSpec {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional PodSpec spec = 2 [(go) = "struct"];
}

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container initContainers = 20;
  repeated Container containers = 2 [(go) = "req"];
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(go) = "ptr"];
  optional int64 activeDeadlineSeconds = 5 [(go) = "ptr"];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21 [(go) = "ptr"];
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional bool shareProcessNamespace = 27 [(go) = "ptr"];
  optional PodSecurityContext securityContext = 14;
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional Affinity affinity = 18;
  optional string schedulerName = 19;
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(go) = "ptr"];
  optional PodDNSConfig dnsConfig = 26;
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29 [(go) = "ptr"];
  optional bool enableServiceLinks = 30 [(go) = "ptr"];
  optional string preemptionPolicy = 31 [(go) = "ptr"];
  map<string, ${QTY}> overhead = 32;
  repeated TopologySpreadConstraint topologySpreadConstraints = 33;
  optional bool setHostnameAsFQDN = 35 [(go) = "ptr"];
  optional PodOS os = 36;
  optional bool hostUsers = 37 [(go) = "ptr"];
  repeated PodSchedulingGate schedulingGates = 38;
  repeated PodResourceClaim resourceClaims = 39;
  optional ResourceRequirements resources = 40;
  optional string hostnameOverride = 41 [(go) = "ptr"];
  optional WorkloadReference workloadRef = 42;
}

message Container {
  optional string name = 1 [(go) = "req"];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8 [(go) = "struct"];
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(go) = "ptr"];
  repeated ContainerRestartRule restartPolicyRules = 25;
  repeated VolumeMount volumeMounts = 9;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Probe startupProbe = 22;
  optional Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3 [(go) = "req"];
  optional string protocol = 4;
  optional string hostIP = 5;
}

message ContainerResizePolicy {
  optional string resourceName = 1 [(go) = "req"];
  optional string restartPolicy = 2 [(go) = "req"];
}

message ContainerRestartRule {
  optional string action = 1;
  optional ContainerRestartRuleOnExitCodes exitCodes = 2;
}

message ContainerRestartRuleOnExitCodes {
  optional string operator = 1;
  repeated int32 values = 2;
}

message EnvFromSource {
  optional string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2;
  optional SecretEnvSource secretRef = 3;
}

message ConfigMapEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional bool optional = 2 [(go) = "ptr"];
}

message SecretEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional bool optional = 2 [(go) = "ptr"];
}

message EnvVar {
  optional string name = 1 [(go) = "req"];
  optional string value = 2;
  optional EnvVarSource valueFrom = 3;
}

message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1;
  optional ResourceFieldSelector resourceFieldRef = 2;
  optional ConfigMapKeySelector configMapKeyRef = 3;
  optional SecretKeySelector secretKeyRef = 4;
  optional FileKeySelector fileKeyRef = 5;
}

message ObjectFieldSelector {
  optional string apiVersion = 1;
  optional string fieldPath = 2 [(go) = "req"];
}

message ResourceFieldSelector {
  optional string containerName = 1;
  optional string resource = 2 [(go) = "req"];
  optional ${QTY} divisor = 3 [(go) = "struct"];
}

message ConfigMapKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional string key = 2 [(go) = "req"];
  optional bool optional = 3 [(go) = "ptr"];
}

message SecretKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional string key = 2 [(go) = "req"];
  optional bool optional = 3 [(go) = "ptr"];
}

message FileKeySelector {
  optional string volumeName = 1 [(go) = "req"];
  optional string path = 2 [(go) = "req"];
  optional string key = 3 [(go) = "req"];
  optional bool optional = 4 [(go) = "ptr"];
}

message ResourceRequirements {
  map<string, ${QTY}> limits = 1;
  map<string, ${QTY}> requests = 2;
  repeated ResourceClaim claims = 3;
}

message ResourceClaim {
  optional string name = 1 [(go) = "req"];
  optional string request = 2;
}

message VolumeMount {
  optional string name = 1 [(go) = "req"];
  optional bool readOnly = 2;
  optional string recursiveReadOnly = 7 [(go) = "ptr"];
  optional string mountPath = 3 [(go) = "req"];
  optional string subPath = 4;
  optional string mountPropagation = 5 [(go) = "ptr"];
  optional string subPathExpr = 6;
}

message VolumeDevice {
  optional string name = 1 [(go) = "req"];
  optional string devicePath = 2 [(go) = "req"];
}

message Probe {
  optional ProbeHandler handler = 1 [(go) = "inline"];
  optional int32 initialDelaySeconds = 2;
  optional int32 timeoutSeconds = 3;
  optional int32 periodSeconds = 4;
  optional int32 successThreshold = 5;
  optional int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7 [(go) = "ptr"];
}

message ProbeHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional GRPCAction grpc = 4;
}

message ExecAction {
  repeated string command = 1;
}

message HTTPGetAction {
  optional string path = 1;
  optional ${INTSTR} port = 2 [(go) = "struct"];
  optional string host = 3;
  optional string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}

message HTTPHeader {
  optional string name = 1 [(go) = "req"];
  optional string value = 2 [(go) = "req"];
}

message TCPSocketAction {
  optional ${INTSTR} port = 1 [(go) = "struct"];
  optional string host = 2;
}

message GRPCAction {
  optional int32 port = 1 [(go) = "req"];
  optional string service = 2 [(go) = "ptrreq"];
}

message Lifecycle {
  optional LifecycleHandler postStart = 1;
  optional LifecycleHandler preStop = 2;
  optional string stopSignal = 3 [(go) = "ptr"];
}

message LifecycleHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional SleepAction sleep = 4;
}

message SleepAction {
  optional int64 seconds = 1 [(go) = "req"];
}

message SecurityContext {
  optional Capabilities capabilities = 1;
  optional bool privileged = 2 [(go) = "ptr"];
  optional SELinuxOptions seLinuxOptions = 3;
  optional WindowsSecurityContextOptions windowsOptions = 10;
  optional int64 runAsUser = 4 [(go) = "ptr"];
  optional int64 runAsGroup = 8 [(go) = "ptr"];
  optional bool runAsNonRoot = 5 [(go) = "ptr"];
  optional bool readOnlyRootFilesystem = 6 [(go) = "ptr"];
  optional bool allowPrivilegeEscalation = 7 [(go) = "ptr"];
  optional string procMount = 9 [(go) = "ptr"];
  optional SeccompProfile seccompProfile = 11;
  optional AppArmorProfile appArmorProfile = 12;
  repeated Ulimit ulimits = 13;
}

message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}

message SELinuxOptions {
  optional string user = 1;
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}

message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1 [(go) = "ptr"];
  optional string gmsaCredentialSpec = 2 [(go) = "ptr"];
  optional string runAsUserName = 3 [(go) = "ptr"];
  optional bool hostProcess = 4 [(go) = "ptr"];
}

message SeccompProfile {
  optional string type = 1 [(go) = "req"];
  optional string localhostProfile = 2 [(go) = "ptr"];
}

message AppArmorProfile {
  optional string type = 1 [(go) = "req"];
  optional string localhostProfile = 2 [(go) = "ptr"];
}

message Ulimit {
  optional string name = 1 [(go) = "req"];
  optional int64 hard = 2 [(go) = "req"];
  optional int64 soft = 3 [(go) = "req"];
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1;
  optional WindowsSecurityContextOptions windowsOptions = 8;
  optional int64 runAsUser = 2 [(go) = "ptr"];
  optional int64 runAsGroup = 6 [(go) = "ptr"];
  optional bool runAsNonRoot = 3 [(go) = "ptr"];
  repeated int64 supplementalGroups = 4;
  optional string supplementalGroupsPolicy = 12 [(go) = "ptr"];
  optional int64 fsGroup = 5 [(go) = "ptr"];
  repeated Sysctl sysctls = 7;
  optional string fsGroupChangePolicy = 9 [(go) = "ptr"];
  optional SeccompProfile seccompProfile = 10;
  optional AppArmorProfile appArmorProfile = 11;
  optional string seLinuxChangePolicy = 13 [(go) = "ptr"];
}

message Sysctl {
  optional string name = 1 [(go) = "req"];
  optional string value = 2 [(go) = "req"];
}

message Affinity {
  optional NodeAffinity nodeAffinity = 1;
  optional PodAffinity podAffinity = 2;
  optional PodAntiAffinity podAntiAffinity = 3;
}

message NodeAffinity {
  optional NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message NodeSelector {
  repeated NodeSelectorTerm nodeSelectorTerms = 1 [(go) = "req"];
}

message NodeSelectorTerm {
  repeated NodeSelectorRequirement matchExpressions = 1;
  repeated NodeSelectorRequirement matchFields = 2;
}

message NodeSelectorRequirement {
  optional string key = 1 [(go) = "req"];
  optional string operator = 2 [(go) = "req"];
  repeated string values = 3;
}

message PreferredSchedulingTerm {
  optional int32 weight = 1 [(go) = "req"];
  optional NodeSelectorTerm preference = 2 [(go) = "struct"];
}

message PodAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAntiAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAffinityTerm {
  optional ${META}.LabelSelector labelSelector = 1;
  repeated string namespaces = 2;
  optional string topologyKey = 3 [(go) = "req"];
  optional ${META}.LabelSelector namespaceSelector = 4;
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}

message WeightedPodAffinityTerm {
  optional int32 weight = 1 [(go) = "req"];
  optional PodAffinityTerm podAffinityTerm = 2 [(go) = "struct"];
}

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(go) = "ptr"];
}

message HostAlias {
  optional string ip = 1;
  repeated string hostnames = 2;
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}

message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2 [(go) = "ptr"];
}

message PodReadinessGate {
  optional string conditionType = 1 [(go) = "req"];
}

message PodOS {
  optional string name = 1 [(go) = "req"];
}

message PodSchedulingGate {
  optional string name = 1 [(go) = "req"];
}

message PodResourceClaim {
  optional string name = 1 [(go) = "req"];
  optional string resourceClaimName = 3 [(go) = "ptr"];
  optional string resourceClaimTemplateName = 4 [(go) = "ptr"];
}

message TopologySpreadConstraint {
  optional int32 maxSkew = 1 [(go) = "req"];
  optional string topologyKey = 2 [(go) = "req"];
  optional string whenUnsatisfiable = 3 [(go) = "req"];
  optional ${META}.LabelSelector labelSelector = 4;
  optional int32 minDomains = 5 [(go) = "ptr"];
  optional string nodeAffinityPolicy = 6 [(go) = "ptr"];
  optional string nodeTaintsPolicy = 7 [(go) = "ptr"];
  repeated string matchLabelKeys = 8;
}

message WorkloadReference {
  optional string name = 1 [(go) = "req"];
  optional string podGroup = 2 [(go) = "req"];
  optional string podGroupReplicaKey = 3;
}

// ------------------------------------------------------------------ volumes
message Volume {
  optional string name = 1 [(go) = "req"];
  optional VolumeSource volumeSource = 2 [(go) = "inline"];
}

message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional SecretVolumeSource secret = 6;
  optional NFSVolumeSource nfs = 7;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional ConfigMapVolumeSource configMap = 19;
  optional ProjectedVolumeSource projected = 26;
  optional CSIVolumeSource csi = 28;
  optional EphemeralVolumeSource ephemeral = 29;
  optional ImageVolumeSource image = 30;
}

message HostPathVolumeSource {
  optional string path = 1 [(go) = "req"];
  optional string type = 2 [(go) = "ptr"];
}

message EmptyDirVolumeSource {
  optional string medium = 1;
  optional ${QTY} sizeLimit = 2;
}

message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(go) = "ptr"];
  optional bool optional = 4 [(go) = "ptr"];
}

message KeyToPath {
  optional string key = 1 [(go) = "req"];
  optional string path = 2 [(go) = "req"];
  optional int32 mode = 3 [(go) = "ptr"];
}

message NFSVolumeSource {
  optional string server = 1 [(go) = "req"];
  optional string path = 2 [(go) = "req"];
  optional bool readOnly = 3;
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1 [(go) = "req"];
  optional bool readOnly = 2;
}

message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2 [(go) = "ptr"];
}

message DownwardAPIVolumeFile {
  optional string path = 1 [(go) = "req"];
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4 [(go) = "ptr"];
}

message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(go) = "ptr"];
  optional bool optional = 4 [(go) = "ptr"];
}

message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1 [(go) = "req"];
  optional int32 defaultMode = 2 [(go) = "ptr"];
}

message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
  optional ClusterTrustBundleProjection clusterTrustBundle = 5;
}

message SecretProjection {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(go) = "ptr"];
}

message ConfigMapProjection {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(go) = "ptr"];
}

message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}

message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2 [(go) = "ptr"];
  optional string path = 3 [(go) = "req"];
}

message ClusterTrustBundleProjection {
  optional string name = 1 [(go) = "ptr"];
  optional string signerName = 2 [(go) = "ptr"];
  optional ${META}.LabelSelector labelSelector = 3;
  optional bool optional = 5 [(go) = "ptr"];
  optional string path = 4 [(go) = "req"];
}

message CSIVolumeSource {
  optional string driver = 1 [(go) = "req"];
  optional bool readOnly = 2 [(go) = "ptr"];
  optional string fsType = 3 [(go) = "ptr"];
  map<string, string> volumeAttributes = 4;
  optional LocalObjectReference nodePublishSecretRef = 5;
}

message EphemeralVolumeSource {
  optional PersistentVolumeClaimTemplate volumeClaimTemplate = 1;
}

message PersistentVolumeClaimTemplate {
  optional ${META}.ObjectMeta metadata = 1 [(go) = "struct"];
  optional PersistentVolumeClaimSpec spec = 2 [(go) = "struct"];
}

message PersistentVolumeClaimSpec {
  repeated string accessModes = 1;
  optional ${META}.LabelSelector selector = 4;
  optional VolumeResourceRequirements resources = 2 [(go) = "struct"];
  optional string volumeName = 3;
  optional string storageClassName = 5 [(go) = "ptr"];
  optional string volumeMode = 6 [(go) = "ptr"];
  optional TypedLocalObjectReference dataSource = 7;
  optional TypedObjectReference dataSourceRef = 8;
  optional string volumeAttributesClassName = 9 [(go) = "ptr"];
}

message VolumeResourceRequirements {
  map<string, ${QTY}> limits = 1;
  map<string, ${QTY}> requests = 2;
}

message ImageVolumeSource {
  optional string reference = 1;
  optional string pullPolicy = 2;
}

// ------------------------------------------------------------------ PodStatus
message PodStatus {
  optional int64 observedGeneration = 17;
  optional string phase = 1;
  repeated PodCondition conditions = 2;
  optional string message = 3;
  optional string reason = 4;
  optional string nominatedNodeName = 11;
  optional string hostIP = 5;
  repeated HostIP hostIPs = 16;
  optional string podIP = 6;
  repeated PodIP podIPs = 12;
  optional ${META}.Time startTime = 7;
  repeated ContainerStatus initContainerStatuses = 10;
  repeated ContainerStatus containerStatuses = 8;
  optional string qosClass = 9;
  repeated ContainerStatus ephemeralContainerStatuses = 13;
  optional string resize = 14;
  repeated PodResourceClaimStatus resourceClaimStatuses = 15;
  map<string, ${QTY}> allocatedResources = 19;
  optional ResourceRequirements resources = 20;
}

message PodCondition {
  optional string type = 1 [(go) = "req"];
  optional int64 observedGeneration = 7;
  optional string status = 2 [(go) = "req"];
  optional ${META}.Time lastProbeTime = 3 [(go) = "struct"];
  optional ${META}.Time lastTransitionTime = 4 [(go) = "struct"];
  optional string reason = 5;
  optional string message = 6;
}

message HostIP {
  optional string ip = 1;
}

message PodIP {
  optional string ip = 1;
}

message PodResourceClaimStatus {
  optional string name = 1 [(go) = "req"];
  optional string resourceClaimName = 2 [(go) = "ptr"];
}

message ContainerStatus {
  optional string name = 1 [(go) = "req"];
  optional ContainerState state = 2 [(go) = "struct"];
  optional ContainerState lastState = 3 [(go) = "struct"];
  optional bool ready = 4 [(go) = "req"];
  optional int32 restartCount = 5 [(go) = "req"];
  optional string image = 6 [(go) = "req"];
  optional string imageID = 7 [(go) = "req"];
  optional string containerID = 8;
  optional bool started = 9 [(go) = "ptr"];
  map<string, ${QTY}> allocatedResources = 10;
  optional ResourceRequirements resources = 11;
  optional string stopSignal = 15 [(go) = "ptr"];
}

message ContainerState {
  optional ContainerStateWaiting waiting = 1;
  optional ContainerStateRunning running = 2;
  optional ContainerStateTerminated terminated = 3;
}

message ContainerStateWaiting {
  optional string reason = 1;
  optional string message = 2;
}

message ContainerStateRunning {
  optional ${META}.Time startedAt = 1 [(go) = "struct"];
}

message ContainerStateTerminated {
  optional int32 exitCode = 1 [(go) = "req"];
  optional int32 signal = 2;
  optional string reason = 3;
  optional string message = 4;
  optional ${META}.Time startedAt = 5 [(go) = "struct"];
  optional ${META}.Time finishedAt = 6 [(go) = "struct"];
  optional string containerID = 7;
}
`;
