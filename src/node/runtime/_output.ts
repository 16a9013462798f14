// Fan-out of a process's output to attached readers.
import { PassThrough, type Readable } from 'node:stream';
import type { OutputStream } from './_child.js';

export class OutputHub {
  private readonly sinks = new Set<{ stdout: PassThrough; stderr: PassThrough | undefined }>();
  private ended = false;
  /** Output kept for the first subscriber (see the constructor); undefined once it came. */
  private held: { stream: OutputStream; data: Buffer }[] | undefined;
  private heldBytes = 0;

  /**
   * `holdForFirstSubscriber` keeps what is published before the first subscriber (at most
   * `holdLimit` bytes, the oldest dropped first) and gives it to that subscriber ahead of live
   * output: `kubectl run -i` attaches after the container started, and a fast command would
   * otherwise have printed everything before anyone listened.
   */
  constructor(holdForFirstSubscriber = false, private readonly holdLimit = 1 << 20) {
    if (holdForFirstSubscriber) this.held = [];
  }

  publish(stream: OutputStream, data: Buffer): void {
    if (this.held) {
      this.held.push({ stream, data });
      this.heldBytes += data.length;
      while (this.heldBytes > this.holdLimit && this.held.length > 1) this.heldBytes -= this.held.shift()!.data.length;
      return;
    }
    for (const s of this.sinks) {
      const target = stream === 'stdout' ? s.stdout : (s.stderr ?? s.stdout);
      if (!target.destroyed && !target.writableEnded) target.write(data);
    }
  }

  /** New readers see output from now on (the first one also what was held); `mergeStderr` sends stderr to stdout (terminals). */
  subscribe(mergeStderr: boolean): { stdout: Readable; stderr: Readable | undefined; close(): void } {
    const sink = { stdout: new PassThrough(), stderr: mergeStderr ? undefined : new PassThrough() };
    const close = (): void => {
      this.sinks.delete(sink);
      sink.stdout.end();
      sink.stderr?.end();
    };
    const held = this.held;
    if (held) {
      this.held = undefined;
      this.heldBytes = 0;
      for (const h of held) (h.stream === 'stdout' ? sink.stdout : (sink.stderr ?? sink.stdout)).write(h.data);
    }
    if (this.ended) close();
    else this.sinks.add(sink);
    return { stdout: sink.stdout, stderr: sink.stderr, close };
  }

  end(): void {
    this.ended = true;
    for (const s of [...this.sinks]) {
      this.sinks.delete(s);
      s.stdout.end();
      s.stderr?.end();
    }
  }
}
