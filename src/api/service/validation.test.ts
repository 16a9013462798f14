import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service, ServiceSpec } from '../core.js';
import { invalid } from '../errors.js';
import { errorString } from '../field.js';
import { defaultService } from './defaults.js';
import { validateService, validateServiceMeta, validateServiceUpdate } from './validation.js';

// A Service as it reaches validation on create: defaulted and allocated.
function svc(spec: Partial<ServiceSpec> = {}, meta: Service['metadata'] = {}): Service {
  return defaultService({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: {
      ports: [{ port: 80 }],
      selector: { app: 'web' },
      clusterIP: '127.96.0.11',
      clusterIPs: ['127.96.0.11'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ...spec,
    },
  });
}

const nodePortSvc = (spec: Partial<ServiceSpec> = {}) => svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }], ...spec });
const lbSvc = (spec: Partial<ServiceSpec> = {}) => svc({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }], ...spec });

const errs = (s: Service) => validateService(s).map(errorString);

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('validateService', () => {
  it('accepts a defaulted, allocated ClusterIP, NodePort, LoadBalancer, headless and ExternalName Service', () => {
    assert.deepEqual(errs(svc()), []);
    assert.deepEqual(errs(nodePortSvc()), []);
    assert.deepEqual(errs(lbSvc()), []);
    assert.deepEqual(errs(svc({ clusterIP: 'None', clusterIPs: ['None'], ports: [] })), []);
    assert.deepEqual(errs(defaultService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'foo.example.com.' } })), []);
  });

  describe('metadata.name', () => {
    it('(50g) rejects My_Svc and 1svc as DNS-1035 labels, with the double space of RegexError', () => {
      const metaErrs = (s: Service) => validateServiceMeta(s).map(errorString);
      assert.deepEqual(metaErrs(svc({}, { name: 'My_Svc' })), [`metadata.name: Invalid value: "My_Svc": ${DNS1035}`]);
      assert.deepEqual(metaErrs(svc({}, { name: '1svc' })), [`metadata.name: Invalid value: "1svc": ${DNS1035}`]);
      assert.deepEqual(errs(svc({}, { name: 'My_Svc' })), [], 'validateService leaves metadata to the registry');
    });

    it('renders example A of the reference as a 422 Status', () => {
      const st = invalid({ group: '', kind: 'Service' }, 'My_Svc', validateServiceMeta(svc({}, { name: 'My_Svc' }))).status;
      assert.equal(st.code, 422);
      assert.equal(st.message, `Service "My_Svc" is invalid: metadata.name: Invalid value: "My_Svc": ${DNS1035}`);
      assert.deepEqual(st.details?.causes, [{ reason: 'FieldValueInvalid', message: `Invalid value: "My_Svc": ${DNS1035}`, field: 'metadata.name' }]);
    });

    it('requires a name or generateName, and limits names to 63 characters', () => {
      const errs = (s: Service) => validateServiceMeta(s).map(errorString);
      assert.deepEqual(errs(svc({}, { name: '' })), ['metadata.name: Required value: name or generateName is required']);
      const long = 'a'.repeat(64);
      assert.deepEqual(errs(svc({}, { name: long })), [`metadata.name: Invalid value: "${long}": must be no more than 63 characters`]);
    });

    it('checks generateName with its trailing dash masked', () => {
      const errs = (s: Service) => validateServiceMeta(s).map(errorString);
      assert.deepEqual(errs(svc({}, { name: 'web-abcde', generateName: 'web-' })), []);
      assert.deepEqual(errs(svc({}, { name: 'x', generateName: '9web-' })), [`metadata.generateName: Invalid value: "9web-": ${DNS1035}`]);
    });
  });

  describe('spec.ports', () => {
    it('are required unless headless or ExternalName', () => {
      assert.deepEqual(errs(svc({ ports: [] })), ['spec.ports: Required value']);
    });

    it('(50e) two unnamed ports each report Required, as example B', () => {
      const e = validateService(svc({ ports: [{ port: 80 }, { port: 81 }] }));
      assert.equal(
        invalid({ group: '', kind: 'Service' }, 'web', e).status.message,
        'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]',
      );
      assert.deepEqual(
        invalid({ group: '', kind: 'Service' }, 'web', e).status.details?.causes,
        [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' },
        ],
      );
    });

    it('names must be DNS-1123 labels and unique', () => {
      assert.deepEqual(errs(svc({ ports: [{ port: 80, name: 'HTTP' }] })), [`spec.ports[0].name: Invalid value: "HTTP": ${DNS1123_LABEL}`]);
      assert.deepEqual(errs(svc({ ports: [{ port: 80, name: 'http' }, { port: 81, name: 'http' }] })), ['spec.ports[1].name: Duplicate value: "http"']);
    });

    it('port must be 1..65535', () => {
      assert.deepEqual(errs(svc({ ports: [{ port: 0, targetPort: 80 }] })), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
      assert.deepEqual(errs(svc({ ports: [{ port: 65536, targetPort: 80 }] })), ['spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive']);
    });

    it('protocol is required and one of SCTP, TCP, UDP', () => {
      const noProto = svc();
      noProto.spec.ports = [{ port: 80, targetPort: 80 }];
      assert.deepEqual(errs(noProto), ['spec.ports[0].protocol: Required value']);
      const http = svc();
      http.spec.ports = [{ port: 80, targetPort: 80, protocol: 'HTTP' as 'TCP' }];
      assert.deepEqual(errs(http), ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']);
      assert.deepEqual(errs(svc({ ports: [{ port: 80, protocol: 'SCTP' }] })), []);
    });

    it('targetPort is a port number or an IANA service name', () => {
      const zero = svc();
      zero.spec.ports = [{ port: 80, protocol: 'TCP', targetPort: 0 }];
      assert.deepEqual(errs(zero), ['spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive']);
      const named = (targetPort: string) => errs(svc({ ports: [{ port: 80, targetPort }] }));
      assert.deepEqual(named('http-alt'), []);
      assert.deepEqual(named('this-name-is-too-long'), ['spec.ports[0].targetPort: Invalid value: "this-name-is-too-long": must be no more than 15 characters']);
      assert.deepEqual(named('Http'), ['spec.ports[0].targetPort: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
      assert.deepEqual(named('123'), ['spec.ports[0].targetPort: Invalid value: "123": must contain at least one letter (a-z)']);
      assert.deepEqual(named('a--b'), ['spec.ports[0].targetPort: Invalid value: "a--b": must not contain consecutive hyphens']);
      assert.deepEqual(named('-ab'), ['spec.ports[0].targetPort: Invalid value: "-ab": must not begin or end with a hyphen']);
    });

    it('appProtocol must be a qualified name', () => {
      assert.deepEqual(errs(svc({ ports: [{ port: 80, appProtocol: 'kubernetes.io/h2c' }] })), []);
      assert.deepEqual(errs(svc({ ports: [{ port: 80, appProtocol: 'bad proto' }] })), [`spec.ports[0].appProtocol: Invalid value: "bad proto": ${QUALIFIED_NAME}`]);
    });

    it('a duplicate (protocol, port) prints the Go core.ServicePort key; TCP and UDP may share a number', () => {
      const e = validateService(svc({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80, targetPort: 8080 }] }));
      assert.deepEqual(e.map(errorString), [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ]);
      assert.equal(e[0]?.type, 'FieldValueDuplicate');
      assert.deepEqual(errs(svc({ ports: [{ name: 'dns', port: 53 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }] })), []);
    });

    it('nodePort is forbidden for ClusterIP', () => {
      assert.deepEqual(errs(svc({ ports: [{ port: 80, nodePort: 30080 }] })), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    });

    it('a nodePort may repeat across protocols but not within one', () => {
      const twice = nodePortSvc({ ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }] });
      assert.deepEqual(errs(twice), ['spec.ports[1].nodePort: Duplicate value: 30080']);
      const shared = nodePortSvc({ ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 80, protocol: 'UDP', nodePort: 30080 }] });
      assert.deepEqual(errs(shared), []);
    });

    it('a LoadBalancer may not expose the kubelet port', () => {
      assert.deepEqual(errs(lbSvc({ ports: [{ port: 10250, nodePort: 30080 }] })), [
        'spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet',
      ]);
    });
  });

  describe('spec.type', () => {
    it('is required and one of the four types, listed sorted', () => {
      const none = svc();
      delete none.spec.type;
      assert.deepEqual(errs(none), ['spec.type: Required value']);
      const foo = svc();
      foo.spec.type = 'Foo' as 'ClusterIP';
      assert.deepEqual(errs(foo), ['spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']);
    });

    it("(50f) clusterIP None is rejected for NodePort and LoadBalancer", () => {
      const headless = { clusterIP: 'None', clusterIPs: ['None'] };
      assert.deepEqual(errs(nodePortSvc(headless)), ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services']);
      assert.deepEqual(errs(lbSvc(headless)), ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services']);
    });
  });

  describe('ExternalName', () => {
    const ext = (spec: Partial<ServiceSpec>) =>
      defaultService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', ...spec } });

    it('forbids clusterIPs, ipFamilies and ipFamilyPolicy', () => {
      assert.deepEqual(errs(ext({ externalName: 'a.b', clusterIP: '127.96.0.11', clusterIPs: ['127.96.0.11'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })), [
        'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
        'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
        'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
      ]);
    });

    it('requires externalName, a DNS-1123 subdomain after one trailing dot', () => {
      assert.deepEqual(errs(ext({})), ['spec.externalName: Required value']);
      assert.deepEqual(errs(ext({ externalName: '.' })), ['spec.externalName: Required value']);
      assert.deepEqual(errs(ext({ externalName: 'Bad_Name' })), [`spec.externalName: Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN}`]);
      assert.deepEqual(errs(ext({ externalName: 'externalsvc.ns.svc.cluster.local.' })), []);
    });
  });

  it('spec.selector keys and values follow label syntax', () => {
    assert.deepEqual(errs(svc({ selector: { 'bad key': 'x' } })), [`spec.selector: Invalid value: "bad key": ${QUALIFIED_NAME}`]);
    assert.deepEqual(errs(svc({ selector: { app: '-bad' } })), [`spec.selector: Invalid value: "-bad": ${LABEL_VALUE}`]);
  });

  describe('session affinity', () => {
    it('is required and one of ClientIP, None', () => {
      const none = svc();
      delete none.spec.sessionAffinity;
      assert.deepEqual(errs(none), ['spec.sessionAffinity: Required value']);
      const sticky = svc();
      sticky.spec.sessionAffinity = 'Sticky' as 'None';
      assert.deepEqual(errs(sticky), ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']);
    });

    it('ClientIP requires config, clientIP and timeoutSeconds', () => {
      const s = svc({ sessionAffinity: 'ClientIP' });
      delete s.spec.sessionAffinityConfig;
      assert.deepEqual(errs(s), ['spec.sessionAffinityConfig: Required value: when session affinity type is ClientIP']);
      s.spec.sessionAffinityConfig = {};
      assert.deepEqual(errs(s), ['spec.sessionAffinityConfig.clientIP: Required value: when session affinity type is ClientIP']);
      s.spec.sessionAffinityConfig = { clientIP: {} };
      assert.deepEqual(errs(s), ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Required value: when session affinity type is ClientIP']);
    });

    it('(50d) timeoutSeconds 0 and 86401 are rejected, 1 and 86400 accepted', () => {
      const t = (timeoutSeconds: number) => errs(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds } } }));
      assert.deepEqual(t(0), ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400']);
      assert.deepEqual(t(86401), ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400']);
      assert.deepEqual(t(1), []);
      assert.deepEqual(t(86400), []);
    });

    it('config is forbidden with None', () => {
      const s = svc();
      s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10 } };
      assert.deepEqual(errs(s), ['spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None']);
    });
  });

  describe('clusterIP and clusterIPs', () => {
    it('clusterIPs[0] must match clusterIP, and be empty without it', () => {
      assert.deepEqual(errs(svc({ clusterIPs: [] })), ['spec.clusterIPs: Required value']);
      assert.deepEqual(errs(svc({ clusterIPs: ['127.96.0.12'] })), ['spec.clusterIPs: Invalid value: []string{"127.96.0.12"}: first value must match `clusterIP`']);
      assert.deepEqual(errs(svc({ clusterIP: '' })), ['spec.clusterIPs: Invalid value: []string{"127.96.0.11"}: must be empty when `clusterIP` is not specified']);
    });

    it('each IP must be valid, None only alone, at most two, one per family', () => {
      assert.deepEqual(errs(svc({ clusterIP: '300.1.1.1', clusterIPs: ['300.1.1.1'] })), [
        'spec.clusterIPs[0]: Invalid value: "300.1.1.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ]);
      assert.deepEqual(errs(svc({ clusterIP: 'None', clusterIPs: ['None', '127.96.0.1'] })), [
        'spec.clusterIPs: Invalid value: []string{"None", "127.96.0.1"}: \'None\' must be the first and only value',
      ]);
      const two = errs(svc({ clusterIP: '127.96.0.1', clusterIPs: ['127.96.0.1', '127.96.0.2'], ipFamilyPolicy: 'RequireDualStack' }));
      assert.deepEqual(two, ['spec.clusterIPs: Invalid value: []string{"127.96.0.1", "127.96.0.2"}: may specify no more than one IP for each IP family']);
      const three = errs(svc({ clusterIP: '127.96.0.1', clusterIPs: ['127.96.0.1', 'fd00::1', '127.96.0.2'], ipFamilyPolicy: 'RequireDualStack' }));
      assert.deepEqual(three, ['spec.clusterIPs: Invalid value: []string{"127.96.0.1", "fd00::1", "127.96.0.2"}: may only hold up to 2 values']);
    });

    it('IPs must match the family listed at the same index', () => {
      assert.deepEqual(errs(svc({ ipFamilies: ['IPv6'] })), ['spec.clusterIPs[0]: Invalid value: "127.96.0.11": expected an IPv6 value as indicated by `ipFamilies[0]`']);
    });

    it('ipFamilies and ipFamilyPolicy take only known values, families once each', () => {
      assert.deepEqual(errs(svc({ ipFamilies: ['IPv5' as 'IPv4'] })), ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"']);
      assert.deepEqual(errs(svc({ ipFamilies: ['IPv4', 'IPv4'] })), ['spec.ipFamilies[1]: Duplicate value: "IPv4"']);
      assert.deepEqual(errs(svc({ ipFamilyPolicy: 'Both' as 'SingleStack' })), [
        'spec.ipFamilyPolicy: Unsupported value: "Both": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
      ]);
    });
  });

  it('externalIPs must be valid, non-special IPs', () => {
    const e = (ip: string) => errs(svc({ externalIPs: [ip] }));
    assert.deepEqual(e('203.0.113.250'), []);
    assert.deepEqual(e('1.2.3'), ['spec.externalIPs[0]: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
    assert.deepEqual(e('0.0.0.0'), ['spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']);
    assert.deepEqual(e('127.0.0.1'), ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    assert.deepEqual(e('169.254.1.1'), ['spec.externalIPs[0]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    assert.deepEqual(e('fe80::1'), ['spec.externalIPs[0]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    assert.deepEqual(e('224.0.0.5'), ['spec.externalIPs[0]: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
  });

  describe('LoadBalancer-only fields', () => {
    it('loadBalancerSourceRanges: LoadBalancer only (upstream capitalizes the path), each a CIDR, padding tolerated', () => {
      assert.deepEqual(errs(svc({ loadBalancerSourceRanges: ['10.0.0.0/8'] })), ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"]);
      assert.deepEqual(errs(lbSvc({ loadBalancerSourceRanges: [' 10.0.0.0/8 ', '10.0.0.0/33'] })), [
        'spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ]);
    });

    it('the source-ranges annotation is checked the same way', () => {
      const key = 'service.beta.kubernetes.io/load-balancer-source-ranges';
      const s = svc({}, { annotations: { [key]: '10.0.0.0/8,bogus' } });
      assert.deepEqual(errs(s), [
        `metadata.annotations[${key}]: Forbidden: may only be used when \`type\` is 'LoadBalancer'`,
        `metadata.annotations[${key}]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
      ]);
    });

    it('allocateLoadBalancerNodePorts: forbidden elsewhere, required (at a root path) for LoadBalancer', () => {
      assert.deepEqual(errs(svc({ allocateLoadBalancerNodePorts: true })), ["spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"]);
      const lb = lbSvc();
      delete lb.spec.allocateLoadBalancerNodePorts;
      assert.deepEqual(errs(lb), ['allocateLoadBalancerNodePorts: Required value']);
    });

    it('loadBalancerClass: forbidden elsewhere, a qualified name for LoadBalancer', () => {
      assert.deepEqual(errs(svc({ loadBalancerClass: 'example.com/internal-vip' })), ["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"]);
      assert.deepEqual(errs(lbSvc({ loadBalancerClass: 'example.com/internal-vip' })), []);
      assert.deepEqual(errs(lbSvc({ loadBalancerClass: 'example.com/bad class' })), [`spec.loadBalancerClass: Invalid value: "example.com/bad class": ${QUALIFIED_NAME}`]);
    });
  });

  describe('traffic policies', () => {
    it('externalTrafficPolicy only for externally accessible Services, then required and Cluster or Local', () => {
      assert.deepEqual(errs(svc({ externalTrafficPolicy: 'Local' })), ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']);
      const np = nodePortSvc();
      delete np.spec.externalTrafficPolicy;
      assert.deepEqual(errs(np), ['spec.externalTrafficPolicy: Required value']);
      assert.deepEqual(errs(nodePortSvc({ externalTrafficPolicy: 'Foo' as 'Local' })), ['spec.externalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", "Local"']);
    });

    it('healthCheckNodePort only for LoadBalancer with Local, then required and a port number', () => {
      assert.deepEqual(errs(nodePortSvc({ healthCheckNodePort: 30001 })), [
        "spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ]);
      assert.deepEqual(errs(lbSvc({ externalTrafficPolicy: 'Local' })), ['spec.healthCheckNodePort: Required value']);
      assert.deepEqual(errs(lbSvc({ externalTrafficPolicy: 'Local', healthCheckNodePort: 70000 })), [
        'spec.healthCheckNodePort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ]);
      assert.deepEqual(errs(lbSvc({ externalTrafficPolicy: 'Local', healthCheckNodePort: 30001 })), []);
    });

    it('internalTrafficPolicy is required for ClusterIP, NodePort, LoadBalancer and is Cluster or Local', () => {
      const s = svc();
      delete s.spec.internalTrafficPolicy;
      assert.deepEqual(errs(s), ['spec.internalTrafficPolicy: Required value']);
      assert.deepEqual(errs(svc({ internalTrafficPolicy: 'Node' as 'Local' })), ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"']);
    });

    it('trafficDistribution is only PreferClose', () => {
      assert.deepEqual(errs(svc({ trafficDistribution: 'PreferClose' })), []);
      assert.deepEqual(errs(svc({ trafficDistribution: 'Nearest' })), ['spec.trafficDistribution: Unsupported value: "Nearest": supported values: "PreferClose"']);
    });

    it('the topology-mode annotation must agree with the deprecated topology-aware-hints one', () => {
      const s = svc({}, { annotations: { 'service.kubernetes.io/topology-mode': 'Auto', 'service.kubernetes.io/topology-aware-hints': 'auto' } });
      assert.deepEqual(errs(s), [
        'metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
      ]);
    });
  });
});

describe('validateServiceUpdate', () => {
  const upd = (next: Service, prev: Service) => validateServiceUpdate(next, prev).map(errorString);

  it('(50b) a changed clusterIP may not change once set, printed as the new []string', () => {
    const prev = svc({ clusterIP: '127.96.0.10', clusterIPs: ['127.96.0.10'] });
    const next = svc({ clusterIP: '127.96.5.5', clusterIPs: ['127.96.5.5'] });
    assert.deepEqual(upd(next, prev), ['spec.clusterIPs[0]: Invalid value: []string{"127.96.5.5"}: may not change once set']);
  });

  it('turning a ClusterIP Service headless is a change of clusterIP too', () => {
    const next = svc({ clusterIP: 'None', clusterIPs: ['None'] });
    assert.deepEqual(upd(next, svc()), ['spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set']);
  });

  it('changing to or from ExternalName is exempt from the clusterIP rules', () => {
    const ext = defaultService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'a.example.com' } });
    assert.deepEqual(upd(ext, svc()), []);
    assert.deepEqual(upd(svc({ clusterIP: '127.96.0.99', clusterIPs: ['127.96.0.99'] }), ext), []);
  });

  it('the primary IP family may not change', () => {
    const prev = svc({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'] });
    const next = svc({ clusterIP: '127.96.0.11', clusterIPs: ['127.96.0.11'], ipFamilies: ['IPv4'] });
    // headless → headful is a clusterIP change; families stay.
    assert.deepEqual(upd(next, prev), ['spec.clusterIPs[0]: Invalid value: []string{"127.96.0.11"}: may not change once set']);
    const v6 = svc({ clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ipFamilies: ['IPv6'] });
    assert.deepEqual(upd(v6, svc({ clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ipFamilies: ['IPv4'] })), [
      'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6"}: may not change once set',
    ]);
  });

  it('dropping the secondary clusterIP requires SingleStack; a nil policy prints as "null"', () => {
    const prev = svc({ clusterIP: '127.96.0.11', clusterIPs: ['127.96.0.11', 'fd00::11'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
    const next = svc({ ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
    assert.deepEqual(upd(next, prev), [
      "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": must be set to 'SingleStack' when releasing the secondary clusterIP",
    ]);
    delete next.spec.ipFamilyPolicy;
    assert.equal(upd(next, prev)[0], "spec.ipFamilyPolicy: Invalid value: \"null\": must be set to 'SingleStack' when releasing the secondary clusterIP");
  });

  it('loadBalancerClass may not change on a LoadBalancer', () => {
    const prev = lbSvc({ loadBalancerClass: 'a.io/x' });
    assert.deepEqual(upd(lbSvc({ loadBalancerClass: 'b.io/y' }), prev), ['spec.loadBalancerClass: Invalid value: "b.io/y": may not change once set']);
    assert.deepEqual(upd(lbSvc(), prev), ['spec.loadBalancerClass: Invalid value: "null": may not change once set']);
  });

  it('healthCheckNodePort is immutable while needed', () => {
    const prev = lbSvc({ externalTrafficPolicy: 'Local', healthCheckNodePort: 30001 });
    assert.deepEqual(upd(lbSvc({ externalTrafficPolicy: 'Local', healthCheckNodePort: 30002 }), prev), ['spec.healthCheckNodePort: Forbidden: field is immutable']);
  });

  it('also applies every create rule to the new object', () => {
    assert.deepEqual(upd(svc({ ports: [] }), svc()), ['spec.ports: Required value']);
  });
});
