// Repeated mapping keys in a YAML document, reported as go-yaml v2's strict decoder reports them
// (sigs.k8s.io/yaml YAMLToJSONStrict, which the apiserver runs on YAML bodies under Strict and
// Warn field validation): `line 10: key "paused" already set in map`, depth first in document
// order, the line being that of the repeated key's value.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

export function findDuplicateYamlKeys(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
  if (doc.errors.length) return [];
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) walk(item);
      return;
    }
    if (!isMap(node)) return;
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      const id = JSON.stringify(key) ?? 'null';
      if (seen.has(id)) {
        const at = (pair.value as YamlNode | null)?.range?.[0] ?? (pair.key as YamlNode | null)?.range?.[0] ?? 0;
        out.push(`line ${lineCounter.linePos(at).line}: key ${goQuoted(key)} already set in map`);
      }
      seen.add(id);
      walk(pair.value);
    }
  };
  walk(doc.contents);
  return out;
}

/** Go's %#v of a decoded YAML key. */
function goQuoted(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (key === null || key === undefined) return '<nil>';
  return String(key);
}
