// An event recorder as client-go's: Events on the involved object, with repeats aggregated into
// one Event whose count and lastTimestamp advance.
import { isNotFound, type Event, type KubeObject, type ObjectReference } from '../api/index.js';
import type { Client } from './client.js';

export interface EventRecorderOptions {
  component: string;
  host?: string;
  clock?: () => Date;
  log?: (line: Record<string, unknown>) => void;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
}

const ts = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly o: EventRecorderOptions,
  ) {}

  /** Records an event; never throws (failures are logged). Returns when the write is done. */
  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const ref: ObjectReference = {
      kind: obj.kind,
      namespace: obj.metadata.namespace ?? 'default',
      name: obj.metadata.name ?? '',
      uid: obj.metadata.uid ?? '',
      apiVersion: obj.apiVersion,
      ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    };
    this.chain = this.chain.then(() => this.write(ref, type, reason, message)).catch((e) => {
      this.o.log?.({ level: 'warn', msg: 'event not recorded', reason, error: e instanceof Error ? e.message : String(e) });
    });
    return this.chain;
  }

  private async write(ref: ObjectReference, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const now = ts((this.o.clock ?? (() => new Date()))());
    const namespace = ref.namespace ?? 'default';
    const key = [ref.uid, ref.kind, ref.name, type, reason, message, this.o.component].join('\u0000');
    const prev = this.seen.get(key);
    const events = this.client.events(namespace);
    if (prev) {
      try {
        await events.patch(prev.name, 'merge', { count: prev.count + 1, lastTimestamp: now });
        prev.count++;
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.seen.delete(key);
      }
    }
    const name = `${ref.name}.${(Date.now() * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ref,
      reason,
      message,
      source: { component: this.o.component, ...(this.o.host ? { host: this.o.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.o.component,
      reportingInstance: this.o.host ?? '',
    };
    await events.create(ev);
    this.seen.set(key, { name, namespace, count: 1, first: now });
    if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value!);
  }
}
