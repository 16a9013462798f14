// Go `%#v` renderings of the few non-scalar values that Service errors print.
import { GoValue, goQuote } from '../field.js';

/** `[]string{"a", "b"}`; `[]string(nil)` when absent, `[]string{}` when empty. */
export function goSlice(typeName: string, values: readonly string[] | undefined | null): GoValue {
  if (values === undefined || values === null) return new GoValue(`[]${typeName}(nil)`);
  return new GoValue(`[]${typeName}{${values.map(goQuote).join(', ')}}`);
}

export const goStrings = (values: readonly string[] | undefined | null) => goSlice('string', values);
export const goIPFamilies = (values: readonly string[] | undefined | null) => goSlice('core.IPFamily', values);

/**
 * The key the duplicate-port check builds, `core.ServicePort{Protocol: p, Port: n}`, printed with
 * every field of pkg/apis/core/types.go ServicePort in declaration order.
 */
export function goServicePortKey(protocol: string, port: number): GoValue {
  return new GoValue(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      `TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

/**
 * A nil pointer as a bad value: apimachinery's ErrorBody substitutes the string "null", which
 * is then quoted (`Invalid value: "null"`).
 */
export const GO_NIL = 'null';
