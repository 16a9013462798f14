// Fan-out of a process's output to attached readers.
import { PassThrough, type Readable } from 'node:stream';
import type { OutputStream } from './_child.js';

export class OutputHub {
  private readonly sinks = new Set<{ stdout: PassThrough; stderr: PassThrough | undefined }>();
  private ended = false;

  publish(stream: OutputStream, data: Buffer): void {
    for (const s of this.sinks) {
      const target = stream === 'stdout' ? s.stdout : (s.stderr ?? s.stdout);
      if (!target.destroyed && !target.writableEnded) target.write(data);
    }
  }

  /** New readers see output from now on; `mergeStderr` sends stderr to stdout (terminals). */
  subscribe(mergeStderr: boolean): { stdout: Readable; stderr: Readable | undefined; close(): void } {
    const sink = { stdout: new PassThrough(), stderr: mergeStderr ? undefined : new PassThrough() };
    const close = (): void => {
      this.sinks.delete(sink);
      sink.stdout.end();
      sink.stderr?.end();
    };
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
