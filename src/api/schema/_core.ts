// core/v1 (k8s.io/api/core/v1): every type reachable from the served core kinds.
// Transcribed from the Kubernetes 1.32 OpenAPI definitions; list types, map keys and patch tags
// from the +listType/+listMapKey/+structType/+mapType markers and patchStrategy/patchMergeKey tags
// of the Go types. Field order is the OpenAPI (alphabetical) order.
import { object, field, list, map, enumOf, named, string, int32, int64, bool, intOrString, quantity, time, microTime, bytes, resourceList } from './_dsl.js';
import { ObjectMeta, LabelSelector, Condition } from './_meta.js';

export const NodeSelectorRequirement = object('io.k8s.api.core.v1.NodeSelectorRequirement', {
  key: field(string, { required: true }),
  operator: field(enumOf(['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn']), { required: true }),
  values: list(string),
});

export const NodeSelectorTerm = object('io.k8s.api.core.v1.NodeSelectorTerm', {
  matchExpressions: list(NodeSelectorRequirement),
  matchFields: list(NodeSelectorRequirement),
}, { atomic: true });

export const PreferredSchedulingTerm = object('io.k8s.api.core.v1.PreferredSchedulingTerm', {
  preference: field(NodeSelectorTerm, { required: true }),
  weight: field(int32, { required: true }),
});

export const NodeSelector = object('io.k8s.api.core.v1.NodeSelector', {
  nodeSelectorTerms: field(list(NodeSelectorTerm), { required: true }),
}, { atomic: true });

export const NodeAffinity = object('io.k8s.api.core.v1.NodeAffinity', {
  preferredDuringSchedulingIgnoredDuringExecution: list(PreferredSchedulingTerm),
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelector,
});

export const PodAffinityTerm = object('io.k8s.api.core.v1.PodAffinityTerm', {
  labelSelector: LabelSelector,
  matchLabelKeys: list(string),
  mismatchLabelKeys: list(string),
  namespaceSelector: LabelSelector,
  namespaces: list(string),
  topologyKey: field(string, { required: true }),
});

export const WeightedPodAffinityTerm = object('io.k8s.api.core.v1.WeightedPodAffinityTerm', {
  podAffinityTerm: field(PodAffinityTerm, { required: true }),
  weight: field(int32, { required: true }),
});

export const PodAffinity = object('io.k8s.api.core.v1.PodAffinity', {
  preferredDuringSchedulingIgnoredDuringExecution: list(WeightedPodAffinityTerm),
  requiredDuringSchedulingIgnoredDuringExecution: list(PodAffinityTerm),
});

export const PodAntiAffinity = object('io.k8s.api.core.v1.PodAntiAffinity', {
  preferredDuringSchedulingIgnoredDuringExecution: list(WeightedPodAffinityTerm),
  requiredDuringSchedulingIgnoredDuringExecution: list(PodAffinityTerm),
});

export const Affinity = object('io.k8s.api.core.v1.Affinity', {
  nodeAffinity: NodeAffinity,
  podAffinity: PodAffinity,
  podAntiAffinity: PodAntiAffinity,
});

export const AppArmorProfile = object('io.k8s.api.core.v1.AppArmorProfile', {
  localhostProfile: string,
  type: field(enumOf(['Localhost', 'RuntimeDefault', 'Unconfined']), { required: true }),
});

export const AttachedVolume = object('io.k8s.api.core.v1.AttachedVolume', {
  devicePath: field(string, { required: true }),
  name: field(string, { required: true }),
});

export const AWSElasticBlockStoreVolumeSource = object('io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource', {
  fsType: string,
  partition: int32,
  readOnly: bool,
  volumeID: field(string, { required: true }),
});

export const AzureDiskVolumeSource = object('io.k8s.api.core.v1.AzureDiskVolumeSource', {
  cachingMode: enumOf(['None', 'ReadOnly', 'ReadWrite']),
  diskName: field(string, { required: true }),
  diskURI: field(string, { required: true }),
  fsType: string,
  kind: enumOf(['Dedicated', 'Managed', 'Shared']),
  readOnly: bool,
});

export const AzureFileVolumeSource = object('io.k8s.api.core.v1.AzureFileVolumeSource', {
  readOnly: bool,
  secretName: field(string, { required: true }),
  shareName: field(string, { required: true }),
});

export const ObjectReference = object('io.k8s.api.core.v1.ObjectReference', {
  apiVersion: string,
  fieldPath: string,
  kind: string,
  name: string,
  namespace: string,
  resourceVersion: string,
  uid: string,
}, { atomic: true });

export const Binding = object('io.k8s.api.core.v1.Binding', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  target: field(ObjectReference, { required: true, zero: 'struct' }),
}, { gvk: { group: '', version: 'v1', kind: 'Binding' } });

export const Capabilities = object('io.k8s.api.core.v1.Capabilities', {
  add: list(string),
  drop: list(string),
});

export const LocalObjectReference = object('io.k8s.api.core.v1.LocalObjectReference', {
  name: string,
}, { atomic: true });

export const CephFSVolumeSource = object('io.k8s.api.core.v1.CephFSVolumeSource', {
  monitors: field(list(string), { required: true }),
  path: string,
  readOnly: bool,
  secretFile: string,
  secretRef: LocalObjectReference,
  user: string,
});

export const CinderVolumeSource = object('io.k8s.api.core.v1.CinderVolumeSource', {
  fsType: string,
  readOnly: bool,
  secretRef: LocalObjectReference,
  volumeID: field(string, { required: true }),
});

export const ClientIPConfig = object('io.k8s.api.core.v1.ClientIPConfig', {
  timeoutSeconds: int32,
});

export const ClusterTrustBundleProjection = object('io.k8s.api.core.v1.ClusterTrustBundleProjection', {
  labelSelector: LabelSelector,
  name: string,
  optional: bool,
  path: field(string, { required: true }),
  signerName: string,
});

export const ConfigMap = object('io.k8s.api.core.v1.ConfigMap', {
  apiVersion: string,
  binaryData: map(bytes),
  data: map(string),
  immutable: bool,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
}, { gvk: { group: '', version: 'v1', kind: 'ConfigMap' } });

export const ConfigMapEnvSource = object('io.k8s.api.core.v1.ConfigMapEnvSource', {
  name: string,
  optional: bool,
}, { atomic: true });

export const ConfigMapKeySelector = object('io.k8s.api.core.v1.ConfigMapKeySelector', {
  key: field(string, { required: true }),
  name: string,
  optional: bool,
}, { atomic: true });

export const ConfigMapNodeConfigSource = object('io.k8s.api.core.v1.ConfigMapNodeConfigSource', {
  kubeletConfigKey: field(string, { required: true }),
  name: field(string, { required: true }),
  namespace: field(string, { required: true }),
  resourceVersion: string,
  uid: string,
});

export const KeyToPath = object('io.k8s.api.core.v1.KeyToPath', {
  key: field(string, { required: true }),
  mode: int32,
  path: field(string, { required: true }),
});

export const ConfigMapProjection = object('io.k8s.api.core.v1.ConfigMapProjection', {
  items: list(KeyToPath),
  name: string,
  optional: bool,
});

export const ConfigMapVolumeSource = object('io.k8s.api.core.v1.ConfigMapVolumeSource', {
  defaultMode: int32,
  items: list(KeyToPath),
  name: string,
  optional: bool,
});

export const ObjectFieldSelector = object('io.k8s.api.core.v1.ObjectFieldSelector', {
  apiVersion: string,
  fieldPath: field(string, { required: true }),
}, { atomic: true });

export const ResourceFieldSelector = object('io.k8s.api.core.v1.ResourceFieldSelector', {
  containerName: string,
  divisor: quantity,
  resource: field(string, { required: true }),
}, { atomic: true });

export const SecretKeySelector = object('io.k8s.api.core.v1.SecretKeySelector', {
  key: field(string, { required: true }),
  name: string,
  optional: bool,
}, { atomic: true });

export const EnvVarSource = object('io.k8s.api.core.v1.EnvVarSource', {
  configMapKeyRef: ConfigMapKeySelector,
  fieldRef: ObjectFieldSelector,
  resourceFieldRef: ResourceFieldSelector,
  secretKeyRef: SecretKeySelector,
});

export const EnvVar = object('io.k8s.api.core.v1.EnvVar', {
  name: field(string, { required: true }),
  value: string,
  valueFrom: EnvVarSource,
});

export const SecretEnvSource = object('io.k8s.api.core.v1.SecretEnvSource', {
  name: string,
  optional: bool,
}, { atomic: true });

export const EnvFromSource = object('io.k8s.api.core.v1.EnvFromSource', {
  configMapRef: ConfigMapEnvSource,
  prefix: string,
  secretRef: SecretEnvSource,
});

export const ExecAction = object('io.k8s.api.core.v1.ExecAction', {
  command: list(string),
});

export const HTTPHeader = object('io.k8s.api.core.v1.HTTPHeader', {
  name: field(string, { required: true }),
  value: field(string, { required: true }),
});

export const HTTPGetAction = object('io.k8s.api.core.v1.HTTPGetAction', {
  host: string,
  httpHeaders: list(HTTPHeader),
  path: string,
  port: field(intOrString, { required: true }),
  scheme: enumOf(['HTTP', 'HTTPS'], 'v1.URIScheme'),
});

export const SleepAction = object('io.k8s.api.core.v1.SleepAction', {
  seconds: field(int64, { required: true }),
});

export const TCPSocketAction = object('io.k8s.api.core.v1.TCPSocketAction', {
  host: string,
  port: field(intOrString, { required: true }),
});

export const LifecycleHandler = object('io.k8s.api.core.v1.LifecycleHandler', {
  exec: ExecAction,
  httpGet: HTTPGetAction,
  sleep: SleepAction,
  tcpSocket: TCPSocketAction,
});

export const Lifecycle = object('io.k8s.api.core.v1.Lifecycle', {
  postStart: LifecycleHandler,
  preStop: LifecycleHandler,
});

export const GRPCAction = object('io.k8s.api.core.v1.GRPCAction', {
  port: field(int32, { required: true }),
  service: string,
});

export const Probe = object('io.k8s.api.core.v1.Probe', {
  exec: ExecAction,
  failureThreshold: int32,
  grpc: GRPCAction,
  httpGet: HTTPGetAction,
  initialDelaySeconds: int32,
  periodSeconds: int32,
  successThreshold: int32,
  tcpSocket: TCPSocketAction,
  terminationGracePeriodSeconds: int64,
  timeoutSeconds: int32,
});

export const ContainerPort = object('io.k8s.api.core.v1.ContainerPort', {
  containerPort: field(int32, { required: true }),
  hostIP: string,
  hostPort: int32,
  name: string,
  protocol: field(enumOf(['SCTP', 'TCP', 'UDP'], 'v1.Protocol'), { default: 'TCP' }),
});

export const ContainerResizePolicy = object('io.k8s.api.core.v1.ContainerResizePolicy', {
  resourceName: field(string, { required: true }),
  restartPolicy: field(string, { required: true }),
});

export const ResourceClaim = object('io.k8s.api.core.v1.ResourceClaim', {
  name: field(string, { required: true }),
  request: string,
});

export const ResourceRequirements = object('io.k8s.api.core.v1.ResourceRequirements', {
  claims: list(ResourceClaim, { type: 'map', keys: ['name'] }),
  limits: resourceList,
  requests: resourceList,
});

export const SELinuxOptions = object('io.k8s.api.core.v1.SELinuxOptions', {
  level: string,
  role: string,
  type: string,
  user: string,
});

export const SeccompProfile = object('io.k8s.api.core.v1.SeccompProfile', {
  localhostProfile: string,
  type: field(enumOf(['Localhost', 'RuntimeDefault', 'Unconfined']), { required: true }),
});

export const WindowsSecurityContextOptions = object('io.k8s.api.core.v1.WindowsSecurityContextOptions', {
  gmsaCredentialSpec: string,
  gmsaCredentialSpecName: string,
  hostProcess: bool,
  runAsUserName: string,
});

export const SecurityContext = object('io.k8s.api.core.v1.SecurityContext', {
  allowPrivilegeEscalation: bool,
  appArmorProfile: AppArmorProfile,
  capabilities: Capabilities,
  privileged: bool,
  procMount: enumOf(['Default', 'Unmasked']),
  readOnlyRootFilesystem: bool,
  runAsGroup: int64,
  runAsNonRoot: bool,
  runAsUser: int64,
  seLinuxOptions: SELinuxOptions,
  seccompProfile: SeccompProfile,
  windowsOptions: WindowsSecurityContextOptions,
});

export const VolumeDevice = object('io.k8s.api.core.v1.VolumeDevice', {
  devicePath: field(string, { required: true }),
  name: field(string, { required: true }),
});

export const VolumeMount = object('io.k8s.api.core.v1.VolumeMount', {
  mountPath: field(string, { required: true }),
  mountPropagation: enumOf(['Bidirectional', 'HostToContainer', 'None']),
  name: field(string, { required: true }),
  readOnly: bool,
  recursiveReadOnly: string,
  subPath: string,
  subPathExpr: string,
});

export const Container = object('io.k8s.api.core.v1.Container', {
  args: list(string),
  command: list(string),
  env: field(list(EnvVar, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
  envFrom: list(EnvFromSource),
  image: string,
  imagePullPolicy: enumOf(['Always', 'IfNotPresent', 'Never'], 'v1.PullPolicy'),
  lifecycle: Lifecycle,
  livenessProbe: Probe,
  name: field(string, { required: true }),
  ports: field(list(ContainerPort, { type: 'map', keys: ['containerPort', 'protocol'] }), { patchStrategy: 'merge', patchMergeKey: 'containerPort' }),
  readinessProbe: Probe,
  resizePolicy: list(ContainerResizePolicy),
  resources: ResourceRequirements,
  restartPolicy: string,
  securityContext: SecurityContext,
  startupProbe: Probe,
  stdin: bool,
  stdinOnce: bool,
  terminationMessagePath: string,
  terminationMessagePolicy: enumOf(['FallbackToLogsOnError', 'File'], 'v1.TerminationMessagePolicy'),
  tty: bool,
  volumeDevices: field(list(VolumeDevice, { type: 'map', keys: ['devicePath'] }), { patchStrategy: 'merge', patchMergeKey: 'devicePath' }),
  volumeMounts: field(list(VolumeMount, { type: 'map', keys: ['mountPath'] }), { patchStrategy: 'merge', patchMergeKey: 'mountPath' }),
  workingDir: string,
});

export const ContainerImage = object('io.k8s.api.core.v1.ContainerImage', {
  names: list(string),
  sizeBytes: int64,
});

export const ContainerStateRunning = object('io.k8s.api.core.v1.ContainerStateRunning', {
  startedAt: time,
});

export const ContainerStateTerminated = object('io.k8s.api.core.v1.ContainerStateTerminated', {
  containerID: string,
  exitCode: field(int32, { required: true }),
  finishedAt: time,
  message: string,
  reason: string,
  signal: int32,
  startedAt: time,
});

export const ContainerStateWaiting = object('io.k8s.api.core.v1.ContainerStateWaiting', {
  message: string,
  reason: string,
});

export const ContainerState = object('io.k8s.api.core.v1.ContainerState', {
  running: ContainerStateRunning,
  terminated: ContainerStateTerminated,
  waiting: ContainerStateWaiting,
});

export const ResourceHealth = object('io.k8s.api.core.v1.ResourceHealth', {
  health: string,
  message: string,
  resourceID: field(string, { required: true }),
});

export const ResourceStatus = object('io.k8s.api.core.v1.ResourceStatus', {
  name: field(string, { required: true }),
  resources: list(ResourceHealth, { type: 'map', keys: ['resourceID'] }),
});

export const LinuxContainerUser = object('io.k8s.api.core.v1.LinuxContainerUser', {
  gid: field(int64, { required: true }),
  supplementalGroups: list(int64),
  uid: field(int64, { required: true }),
});

export const ContainerUser = object('io.k8s.api.core.v1.ContainerUser', {
  linux: LinuxContainerUser,
});

export const VolumeMountStatus = object('io.k8s.api.core.v1.VolumeMountStatus', {
  mountPath: field(string, { required: true }),
  name: field(string, { required: true }),
  readOnly: bool,
  recursiveReadOnly: string,
});

export const ContainerStatus = object('io.k8s.api.core.v1.ContainerStatus', {
  allocatedResources: resourceList,
  allocatedResourcesStatus: field(list(ResourceStatus, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
  containerID: string,
  image: field(string, { required: true }),
  imageID: field(string, { required: true }),
  lastState: ContainerState,
  name: field(string, { required: true }),
  ready: field(bool, { required: true }),
  resources: ResourceRequirements,
  restartCount: field(int32, { required: true }),
  started: bool,
  state: ContainerState,
  user: ContainerUser,
  volumeMounts: field(list(VolumeMountStatus, { type: 'map', keys: ['mountPath'] }), { patchStrategy: 'merge', patchMergeKey: 'mountPath' }),
});

export const CSIVolumeSource = object('io.k8s.api.core.v1.CSIVolumeSource', {
  driver: field(string, { required: true }),
  fsType: string,
  nodePublishSecretRef: LocalObjectReference,
  readOnly: bool,
  volumeAttributes: map(string),
});

export const DaemonEndpoint = object('io.k8s.api.core.v1.DaemonEndpoint', {
  Port: field(int32, { required: true }),
});

export const DownwardAPIVolumeFile = object('io.k8s.api.core.v1.DownwardAPIVolumeFile', {
  fieldRef: ObjectFieldSelector,
  mode: int32,
  path: field(string, { required: true }),
  resourceFieldRef: ResourceFieldSelector,
});

export const DownwardAPIProjection = object('io.k8s.api.core.v1.DownwardAPIProjection', {
  items: list(DownwardAPIVolumeFile),
});

export const DownwardAPIVolumeSource = object('io.k8s.api.core.v1.DownwardAPIVolumeSource', {
  defaultMode: int32,
  items: list(DownwardAPIVolumeFile),
});

export const EmptyDirVolumeSource = object('io.k8s.api.core.v1.EmptyDirVolumeSource', {
  medium: string,
  sizeLimit: quantity,
});

export const EndpointAddress = object('io.k8s.api.core.v1.EndpointAddress', {
  hostname: string,
  ip: field(string, { required: true }),
  nodeName: string,
  targetRef: ObjectReference,
});

export const EndpointPort = object('io.k8s.api.core.v1.EndpointPort', {
  appProtocol: string,
  name: string,
  port: field(int32, { required: true }),
  protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'v1.Protocol'),
});

export const EndpointSubset = object('io.k8s.api.core.v1.EndpointSubset', {
  addresses: list(EndpointAddress),
  notReadyAddresses: list(EndpointAddress),
  ports: list(EndpointPort),
});

export const Endpoints = object('io.k8s.api.core.v1.Endpoints', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  subsets: list(EndpointSubset),
}, { gvk: { group: '', version: 'v1', kind: 'Endpoints' } });

export const EphemeralContainer = object('io.k8s.api.core.v1.EphemeralContainer', {
  args: list(string),
  command: list(string),
  env: field(list(EnvVar, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
  envFrom: list(EnvFromSource),
  image: string,
  imagePullPolicy: enumOf(['Always', 'IfNotPresent', 'Never'], 'v1.PullPolicy'),
  lifecycle: Lifecycle,
  livenessProbe: Probe,
  name: field(string, { required: true }),
  ports: field(list(ContainerPort, { type: 'map', keys: ['containerPort', 'protocol'] }), { patchStrategy: 'merge', patchMergeKey: 'containerPort' }),
  readinessProbe: Probe,
  resizePolicy: list(ContainerResizePolicy),
  resources: ResourceRequirements,
  restartPolicy: string,
  securityContext: SecurityContext,
  startupProbe: Probe,
  stdin: bool,
  stdinOnce: bool,
  targetContainerName: string,
  terminationMessagePath: string,
  terminationMessagePolicy: enumOf(['FallbackToLogsOnError', 'File'], 'v1.TerminationMessagePolicy'),
  tty: bool,
  volumeDevices: field(list(VolumeDevice, { type: 'map', keys: ['devicePath'] }), { patchStrategy: 'merge', patchMergeKey: 'devicePath' }),
  volumeMounts: field(list(VolumeMount, { type: 'map', keys: ['mountPath'] }), { patchStrategy: 'merge', patchMergeKey: 'mountPath' }),
  workingDir: string,
});

export const TypedLocalObjectReference = object('io.k8s.api.core.v1.TypedLocalObjectReference', {
  apiGroup: string,
  kind: field(string, { required: true }),
  name: field(string, { required: true }),
}, { atomic: true });

export const TypedObjectReference = object('io.k8s.api.core.v1.TypedObjectReference', {
  apiGroup: string,
  kind: field(string, { required: true }),
  name: field(string, { required: true }),
  namespace: string,
});

export const VolumeResourceRequirements = object('io.k8s.api.core.v1.VolumeResourceRequirements', {
  limits: resourceList,
  requests: resourceList,
});

export const PersistentVolumeClaimSpec = object('io.k8s.api.core.v1.PersistentVolumeClaimSpec', {
  accessModes: list(enumOf(['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'])),
  dataSource: TypedLocalObjectReference,
  dataSourceRef: TypedObjectReference,
  resources: VolumeResourceRequirements,
  selector: LabelSelector,
  storageClassName: string,
  volumeAttributesClassName: string,
  volumeMode: enumOf(['Block', 'Filesystem']),
  volumeName: string,
});

export const PersistentVolumeClaimTemplate = object('io.k8s.api.core.v1.PersistentVolumeClaimTemplate', {
  metadata: ObjectMeta,
  spec: field(PersistentVolumeClaimSpec, { required: true }),
});

export const EphemeralVolumeSource = object('io.k8s.api.core.v1.EphemeralVolumeSource', {
  volumeClaimTemplate: PersistentVolumeClaimTemplate,
});

export const EventSeries = object('io.k8s.api.core.v1.EventSeries', {
  count: int32,
  lastObservedTime: microTime,
});

export const EventSource = object('io.k8s.api.core.v1.EventSource', {
  component: string,
  host: string,
});

export const Event = object('io.k8s.api.core.v1.Event', {
  action: string,
  apiVersion: string,
  count: int32,
  eventTime: microTime,
  firstTimestamp: time,
  involvedObject: field(ObjectReference, { required: true, zero: 'struct' }),
  kind: string,
  lastTimestamp: time,
  message: string,
  metadata: field(ObjectMeta, { required: true, zero: 'struct' }),
  reason: string,
  related: ObjectReference,
  reportingComponent: string,
  reportingInstance: string,
  series: EventSeries,
  source: field(EventSource, { zero: 'struct' }),
  type: string,
}, { gvk: { group: '', version: 'v1', kind: 'Event' } });

export const FCVolumeSource = object('io.k8s.api.core.v1.FCVolumeSource', {
  fsType: string,
  lun: int32,
  readOnly: bool,
  targetWWNs: list(string),
  wwids: list(string),
});

export const FlexVolumeSource = object('io.k8s.api.core.v1.FlexVolumeSource', {
  driver: field(string, { required: true }),
  fsType: string,
  options: map(string),
  readOnly: bool,
  secretRef: LocalObjectReference,
});

export const FlockerVolumeSource = object('io.k8s.api.core.v1.FlockerVolumeSource', {
  datasetName: string,
  datasetUUID: string,
});

export const GCEPersistentDiskVolumeSource = object('io.k8s.api.core.v1.GCEPersistentDiskVolumeSource', {
  fsType: string,
  partition: int32,
  pdName: field(string, { required: true }),
  readOnly: bool,
});

export const GitRepoVolumeSource = object('io.k8s.api.core.v1.GitRepoVolumeSource', {
  directory: string,
  repository: field(string, { required: true }),
  revision: string,
});

export const GlusterfsVolumeSource = object('io.k8s.api.core.v1.GlusterfsVolumeSource', {
  endpoints: field(string, { required: true }),
  path: field(string, { required: true }),
  readOnly: bool,
});

export const HostAlias = object('io.k8s.api.core.v1.HostAlias', {
  hostnames: list(string),
  ip: field(string, { required: true }),
});

export const HostIP = object('io.k8s.api.core.v1.HostIP', {
  ip: field(string, { required: true }),
});

export const HostPathVolumeSource = object('io.k8s.api.core.v1.HostPathVolumeSource', {
  path: field(string, { required: true }),
  type: enumOf(['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket']),
});

export const ImageVolumeSource = object('io.k8s.api.core.v1.ImageVolumeSource', {
  pullPolicy: enumOf(['Always', 'IfNotPresent', 'Never']),
  reference: string,
});

export const ISCSIVolumeSource = object('io.k8s.api.core.v1.ISCSIVolumeSource', {
  chapAuthDiscovery: bool,
  chapAuthSession: bool,
  fsType: string,
  initiatorName: string,
  iqn: field(string, { required: true }),
  iscsiInterface: string,
  lun: field(int32, { required: true }),
  portals: list(string),
  readOnly: bool,
  secretRef: LocalObjectReference,
  targetPortal: field(string, { required: true }),
});

export const PortStatus = object('io.k8s.api.core.v1.PortStatus', {
  error: string,
  port: field(int32, { required: true }),
  protocol: field(enumOf(['SCTP', 'TCP', 'UDP'], 'v1.Protocol'), { required: true }),
});

export const LoadBalancerIngress = object('io.k8s.api.core.v1.LoadBalancerIngress', {
  hostname: string,
  ip: string,
  ipMode: string,
  ports: list(PortStatus),
});

export const LoadBalancerStatus = object('io.k8s.api.core.v1.LoadBalancerStatus', {
  ingress: list(LoadBalancerIngress),
});

export const NamespaceSpec = object('io.k8s.api.core.v1.NamespaceSpec', {
  finalizers: list(string),
});

export const NamespaceCondition = object('io.k8s.api.core.v1.NamespaceCondition', {
  lastTransitionTime: time,
  message: string,
  reason: string,
  status: field(named('v1.ConditionStatus'), { required: true }),
  type: field(named('v1.NamespaceConditionType'), { required: true }),
});

export const NamespaceStatus = object('io.k8s.api.core.v1.NamespaceStatus', {
  conditions: field(list(NamespaceCondition, { type: 'map', keys: ['type'] }), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  phase: enumOf(['Active', 'Terminating'], 'v1.NamespacePhase'),
});

export const Namespace = object('io.k8s.api.core.v1.Namespace', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(NamespaceSpec, { zero: 'struct' }),
  status: field(NamespaceStatus, { zero: 'struct' }),
}, { gvk: { group: '', version: 'v1', kind: 'Namespace' } });

export const NFSVolumeSource = object('io.k8s.api.core.v1.NFSVolumeSource', {
  path: field(string, { required: true }),
  readOnly: bool,
  server: field(string, { required: true }),
});

export const NodeConfigSource = object('io.k8s.api.core.v1.NodeConfigSource', {
  configMap: ConfigMapNodeConfigSource,
});

export const Taint = object('io.k8s.api.core.v1.Taint', {
  effect: field(enumOf(['NoExecute', 'NoSchedule', 'PreferNoSchedule'], 'v1.TaintEffect'), { required: true }),
  key: field(string, { required: true }),
  timeAdded: time,
  value: string,
});

export const NodeSpec = object('io.k8s.api.core.v1.NodeSpec', {
  configSource: NodeConfigSource,
  externalID: string,
  podCIDR: string,
  podCIDRs: field(list(string, { type: 'set' }), { patchStrategy: 'merge' }),
  providerID: string,
  taints: list(Taint),
  unschedulable: bool,
});

export const NodeAddress = object('io.k8s.api.core.v1.NodeAddress', {
  address: field(string, { required: true }),
  type: field(named('v1.NodeAddressType'), { required: true }),
});

export const NodeCondition = object('io.k8s.api.core.v1.NodeCondition', {
  lastHeartbeatTime: time,
  lastTransitionTime: time,
  message: string,
  reason: string,
  status: field(named('v1.ConditionStatus'), { required: true }),
  type: field(named('v1.NodeConditionType'), { required: true }),
});

export const NodeConfigStatus = object('io.k8s.api.core.v1.NodeConfigStatus', {
  active: NodeConfigSource,
  assigned: NodeConfigSource,
  error: string,
  lastKnownGood: NodeConfigSource,
});

export const NodeDaemonEndpoints = object('io.k8s.api.core.v1.NodeDaemonEndpoints', {
  kubeletEndpoint: field(DaemonEndpoint, { zero: 'struct' }),
});

export const NodeFeatures = object('io.k8s.api.core.v1.NodeFeatures', {
  supplementalGroupsPolicy: bool,
});

export const NodeSystemInfo = object('io.k8s.api.core.v1.NodeSystemInfo', {
  architecture: field(string, { required: true }),
  bootID: field(string, { required: true }),
  containerRuntimeVersion: field(string, { required: true }),
  kernelVersion: field(string, { required: true }),
  kubeProxyVersion: field(string, { required: true }),
  kubeletVersion: field(string, { required: true }),
  machineID: field(string, { required: true }),
  operatingSystem: field(string, { required: true }),
  osImage: field(string, { required: true }),
  systemUUID: field(string, { required: true }),
});

export const NodeRuntimeHandlerFeatures = object('io.k8s.api.core.v1.NodeRuntimeHandlerFeatures', {
  recursiveReadOnlyMounts: bool,
  userNamespaces: bool,
});

export const NodeRuntimeHandler = object('io.k8s.api.core.v1.NodeRuntimeHandler', {
  features: NodeRuntimeHandlerFeatures,
  name: string,
});

export const NodeStatus = object('io.k8s.api.core.v1.NodeStatus', {
  addresses: field(list(NodeAddress, { type: 'map', keys: ['type'] }), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  allocatable: resourceList,
  capacity: resourceList,
  conditions: field(list(NodeCondition, { type: 'map', keys: ['type'] }), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  config: NodeConfigStatus,
  daemonEndpoints: field(NodeDaemonEndpoints, { zero: 'struct' }),
  features: NodeFeatures,
  images: list(ContainerImage),
  nodeInfo: field(NodeSystemInfo, { zero: 'struct' }),
  phase: enumOf(['Pending', 'Running', 'Terminated'], 'v1.NodePhase'),
  runtimeHandlers: list(NodeRuntimeHandler),
  volumesAttached: list(AttachedVolume),
  volumesInUse: list(string),
});

export const Node = object('io.k8s.api.core.v1.Node', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(NodeSpec, { zero: 'struct' }),
  status: field(NodeStatus, { zero: 'struct' }),
}, { gvk: { group: '', version: 'v1', kind: 'Node' } });

export const PersistentVolumeClaimVolumeSource = object('io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource', {
  claimName: field(string, { required: true }),
  readOnly: bool,
});

export const PhotonPersistentDiskVolumeSource = object('io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource', {
  fsType: string,
  pdID: field(string, { required: true }),
});

export const PodDNSConfigOption = object('io.k8s.api.core.v1.PodDNSConfigOption', {
  name: string,
  value: string,
});

export const PodDNSConfig = object('io.k8s.api.core.v1.PodDNSConfig', {
  nameservers: list(string),
  options: list(PodDNSConfigOption),
  searches: list(string),
});

export const PodOS = object('io.k8s.api.core.v1.PodOS', {
  name: field(string, { required: true }),
});

export const PodReadinessGate = object('io.k8s.api.core.v1.PodReadinessGate', {
  conditionType: field(string, { required: true }),
});

export const PodResourceClaim = object('io.k8s.api.core.v1.PodResourceClaim', {
  name: field(string, { required: true }),
  resourceClaimName: string,
  resourceClaimTemplateName: string,
});

export const PodSchedulingGate = object('io.k8s.api.core.v1.PodSchedulingGate', {
  name: field(string, { required: true }),
});

export const Sysctl = object('io.k8s.api.core.v1.Sysctl', {
  name: field(string, { required: true }),
  value: field(string, { required: true }),
});

export const PodSecurityContext = object('io.k8s.api.core.v1.PodSecurityContext', {
  appArmorProfile: AppArmorProfile,
  fsGroup: int64,
  fsGroupChangePolicy: enumOf(['Always', 'OnRootMismatch']),
  runAsGroup: int64,
  runAsNonRoot: bool,
  runAsUser: int64,
  seLinuxChangePolicy: string,
  seLinuxOptions: SELinuxOptions,
  seccompProfile: SeccompProfile,
  supplementalGroups: list(int64),
  supplementalGroupsPolicy: enumOf(['Merge', 'Strict']),
  sysctls: list(Sysctl),
  windowsOptions: WindowsSecurityContextOptions,
});

export const Toleration = object('io.k8s.api.core.v1.Toleration', {
  effect: enumOf(['NoExecute', 'NoSchedule', 'PreferNoSchedule'], 'v1.TaintEffect'),
  key: string,
  operator: enumOf(['Equal', 'Exists', 'Gt', 'Lt'], 'v1.TolerationOperator'),
  tolerationSeconds: int64,
  value: string,
});

export const TopologySpreadConstraint = object('io.k8s.api.core.v1.TopologySpreadConstraint', {
  labelSelector: LabelSelector,
  matchLabelKeys: list(string),
  maxSkew: field(int32, { required: true }),
  minDomains: int32,
  nodeAffinityPolicy: enumOf(['Honor', 'Ignore']),
  nodeTaintsPolicy: enumOf(['Honor', 'Ignore']),
  topologyKey: field(string, { required: true }),
  whenUnsatisfiable: field(enumOf(['DoNotSchedule', 'ScheduleAnyway']), { required: true }),
});

export const PortworxVolumeSource = object('io.k8s.api.core.v1.PortworxVolumeSource', {
  fsType: string,
  readOnly: bool,
  volumeID: field(string, { required: true }),
});

export const SecretProjection = object('io.k8s.api.core.v1.SecretProjection', {
  items: list(KeyToPath),
  name: string,
  optional: bool,
});

export const ServiceAccountTokenProjection = object('io.k8s.api.core.v1.ServiceAccountTokenProjection', {
  audience: string,
  expirationSeconds: int64,
  path: field(string, { required: true }),
});

export const VolumeProjection = object('io.k8s.api.core.v1.VolumeProjection', {
  clusterTrustBundle: ClusterTrustBundleProjection,
  configMap: ConfigMapProjection,
  downwardAPI: DownwardAPIProjection,
  secret: SecretProjection,
  serviceAccountToken: ServiceAccountTokenProjection,
});

export const ProjectedVolumeSource = object('io.k8s.api.core.v1.ProjectedVolumeSource', {
  defaultMode: int32,
  sources: list(VolumeProjection),
});

export const QuobyteVolumeSource = object('io.k8s.api.core.v1.QuobyteVolumeSource', {
  group: string,
  readOnly: bool,
  registry: field(string, { required: true }),
  tenant: string,
  user: string,
  volume: field(string, { required: true }),
});

export const RBDVolumeSource = object('io.k8s.api.core.v1.RBDVolumeSource', {
  fsType: string,
  image: field(string, { required: true }),
  keyring: string,
  monitors: field(list(string), { required: true }),
  pool: string,
  readOnly: bool,
  secretRef: LocalObjectReference,
  user: string,
});

export const ScaleIOVolumeSource = object('io.k8s.api.core.v1.ScaleIOVolumeSource', {
  fsType: string,
  gateway: field(string, { required: true }),
  protectionDomain: string,
  readOnly: bool,
  secretRef: field(LocalObjectReference, { required: true }),
  sslEnabled: bool,
  storageMode: string,
  storagePool: string,
  system: field(string, { required: true }),
  volumeName: string,
});

export const SecretVolumeSource = object('io.k8s.api.core.v1.SecretVolumeSource', {
  defaultMode: int32,
  items: list(KeyToPath),
  optional: bool,
  secretName: string,
});

export const StorageOSVolumeSource = object('io.k8s.api.core.v1.StorageOSVolumeSource', {
  fsType: string,
  readOnly: bool,
  secretRef: LocalObjectReference,
  volumeName: string,
  volumeNamespace: string,
});

export const VsphereVirtualDiskVolumeSource = object('io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource', {
  fsType: string,
  storagePolicyID: string,
  storagePolicyName: string,
  volumePath: field(string, { required: true }),
});

export const Volume = object('io.k8s.api.core.v1.Volume', {
  awsElasticBlockStore: AWSElasticBlockStoreVolumeSource,
  azureDisk: AzureDiskVolumeSource,
  azureFile: AzureFileVolumeSource,
  cephfs: CephFSVolumeSource,
  cinder: CinderVolumeSource,
  configMap: ConfigMapVolumeSource,
  csi: CSIVolumeSource,
  downwardAPI: DownwardAPIVolumeSource,
  emptyDir: EmptyDirVolumeSource,
  ephemeral: EphemeralVolumeSource,
  fc: FCVolumeSource,
  flexVolume: FlexVolumeSource,
  flocker: FlockerVolumeSource,
  gcePersistentDisk: GCEPersistentDiskVolumeSource,
  gitRepo: GitRepoVolumeSource,
  glusterfs: GlusterfsVolumeSource,
  hostPath: HostPathVolumeSource,
  image: ImageVolumeSource,
  iscsi: ISCSIVolumeSource,
  name: field(string, { required: true }),
  nfs: NFSVolumeSource,
  persistentVolumeClaim: PersistentVolumeClaimVolumeSource,
  photonPersistentDisk: PhotonPersistentDiskVolumeSource,
  portworxVolume: PortworxVolumeSource,
  projected: ProjectedVolumeSource,
  quobyte: QuobyteVolumeSource,
  rbd: RBDVolumeSource,
  scaleIO: ScaleIOVolumeSource,
  secret: SecretVolumeSource,
  storageos: StorageOSVolumeSource,
  vsphereVolume: VsphereVirtualDiskVolumeSource,
});

export const PodSpec = object('io.k8s.api.core.v1.PodSpec', {
  activeDeadlineSeconds: int64,
  affinity: Affinity,
  automountServiceAccountToken: bool,
  containers: field(list(Container, { type: 'map', keys: ['name'] }), { required: true, patchStrategy: 'merge', patchMergeKey: 'name', zero: 'null' }),
  dnsConfig: PodDNSConfig,
  dnsPolicy: enumOf(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], 'v1.DNSPolicy'),
  enableServiceLinks: bool,
  ephemeralContainers: field(list(EphemeralContainer, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
  hostAliases: field(list(HostAlias, { type: 'map', keys: ['ip'] }), { patchStrategy: 'merge', patchMergeKey: 'ip' }),
  hostIPC: bool,
  hostNetwork: bool,
  hostPID: bool,
  hostUsers: bool,
  hostname: string,
  imagePullSecrets: field(list(LocalObjectReference, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
  initContainers: field(list(Container, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
  nodeName: string,
  nodeSelector: map(string),
  os: PodOS,
  overhead: resourceList,
  preemptionPolicy: enumOf(['Never', 'PreemptLowerPriority'], 'v1.PreemptionPolicy'),
  priority: int32,
  priorityClassName: string,
  readinessGates: list(PodReadinessGate),
  resourceClaims: field(list(PodResourceClaim, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
  resources: ResourceRequirements,
  restartPolicy: enumOf(['Always', 'Never', 'OnFailure'], 'v1.RestartPolicy'),
  runtimeClassName: string,
  schedulerName: string,
  schedulingGates: field(list(PodSchedulingGate, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
  securityContext: PodSecurityContext,
  serviceAccount: string,
  serviceAccountName: string,
  setHostnameAsFQDN: bool,
  shareProcessNamespace: bool,
  subdomain: string,
  terminationGracePeriodSeconds: int64,
  tolerations: list(Toleration),
  topologySpreadConstraints: field(list(TopologySpreadConstraint, { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] }), { patchStrategy: 'merge', patchMergeKey: 'topologyKey' }),
  volumes: field(list(Volume, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
});

export const PodCondition = object('io.k8s.api.core.v1.PodCondition', {
  lastProbeTime: time,
  lastTransitionTime: time,
  message: string,
  reason: string,
  status: field(named('v1.ConditionStatus'), { required: true }),
  type: field(named('v1.PodConditionType'), { required: true }),
});

export const PodIP = object('io.k8s.api.core.v1.PodIP', {
  ip: field(string, { required: true }),
});

export const PodResourceClaimStatus = object('io.k8s.api.core.v1.PodResourceClaimStatus', {
  name: field(string, { required: true }),
  resourceClaimName: string,
});

export const PodStatus = object('io.k8s.api.core.v1.PodStatus', {
  allocatedResources: resourceList,
  conditions: field(list(PodCondition, { type: 'map', keys: ['type'] }), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  containerStatuses: list(ContainerStatus),
  ephemeralContainerStatuses: list(ContainerStatus),
  hostIP: string,
  hostIPs: field(list(HostIP, { type: 'map', keys: ['ip'] }), { patchStrategy: 'merge', patchMergeKey: 'ip' }),
  initContainerStatuses: list(ContainerStatus),
  message: string,
  nominatedNodeName: string,
  phase: enumOf(['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], 'v1.PodPhase'),
  podIP: string,
  podIPs: field(list(PodIP, { type: 'map', keys: ['ip'] }), { patchStrategy: 'merge', patchMergeKey: 'ip' }),
  qosClass: enumOf(['BestEffort', 'Burstable', 'Guaranteed'], 'v1.PodQOSClass'),
  reason: string,
  resize: string,
  resourceClaimStatuses: field(list(PodResourceClaimStatus, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
  resources: ResourceRequirements,
  startTime: time,
});

export const Pod = object('io.k8s.api.core.v1.Pod', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(PodSpec, { zero: 'struct' }),
  status: field(PodStatus, { zero: 'struct' }),
}, { gvk: { group: '', version: 'v1', kind: 'Pod' } });

export const PodTemplateSpec = object('io.k8s.api.core.v1.PodTemplateSpec', {
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(PodSpec, { zero: 'struct' }),
});

export const Secret = object('io.k8s.api.core.v1.Secret', {
  apiVersion: string,
  data: map(bytes),
  immutable: bool,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  stringData: map(string),
  type: named('v1.SecretType'),
}, { gvk: { group: '', version: 'v1', kind: 'Secret' } });

export const ServicePort = object('io.k8s.api.core.v1.ServicePort', {
  appProtocol: string,
  name: string,
  nodePort: int32,
  port: field(int32, { required: true }),
  protocol: field(enumOf(['SCTP', 'TCP', 'UDP'], 'v1.Protocol'), { default: 'TCP' }),
  targetPort: intOrString,
});

export const SessionAffinityConfig = object('io.k8s.api.core.v1.SessionAffinityConfig', {
  clientIP: ClientIPConfig,
});

export const ServiceSpec = object('io.k8s.api.core.v1.ServiceSpec', {
  allocateLoadBalancerNodePorts: bool,
  clusterIP: string,
  clusterIPs: list(string),
  externalIPs: list(string),
  externalName: string,
  externalTrafficPolicy: enumOf(['Cluster', 'Local'], 'v1.ServiceExternalTrafficPolicy'),
  healthCheckNodePort: int32,
  internalTrafficPolicy: enumOf(['Cluster', 'Local'], 'v1.ServiceInternalTrafficPolicy'),
  ipFamilies: list(enumOf(['', 'IPv4', 'IPv6'])),
  ipFamilyPolicy: enumOf(['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'v1.IPFamilyPolicy'),
  loadBalancerClass: string,
  loadBalancerIP: string,
  loadBalancerSourceRanges: list(string),
  ports: field(list(ServicePort, { type: 'map', keys: ['port', 'protocol'] }), { patchStrategy: 'merge', patchMergeKey: 'port' }),
  publishNotReadyAddresses: bool,
  selector: map(string, { atomic: true }),
  sessionAffinity: enumOf(['ClientIP', 'None'], 'v1.ServiceAffinity'),
  sessionAffinityConfig: SessionAffinityConfig,
  trafficDistribution: string,
  type: enumOf(['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'], 'v1.ServiceType'),
});

export const ServiceStatus = object('io.k8s.api.core.v1.ServiceStatus', {
  conditions: field(list(Condition, { type: 'map', keys: ['type'] }), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  loadBalancer: field(LoadBalancerStatus, { zero: 'struct' }),
});

export const Service = object('io.k8s.api.core.v1.Service', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(ServiceSpec, { zero: 'struct' }),
  status: field(ServiceStatus, { zero: 'struct' }),
}, { gvk: { group: '', version: 'v1', kind: 'Service' } });

export const ServiceAccount = object('io.k8s.api.core.v1.ServiceAccount', {
  apiVersion: string,
  automountServiceAccountToken: bool,
  imagePullSecrets: list(LocalObjectReference),
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  secrets: field(list(ObjectReference, { type: 'map', keys: ['name'] }), { patchStrategy: 'merge', patchMergeKey: 'name' }),
}, { gvk: { group: '', version: 'v1', kind: 'ServiceAccount' } });
