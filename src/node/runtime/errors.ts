// Errors of the runtime. `reason` is the Kubernetes container-state reason a node agent reports.

export type RuntimeErrorReason = 'SandboxError' | 'StartError' | 'ExecError';

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(
    readonly reason: RuntimeErrorReason,
    message: string,
  ) {
    super(message);
  }
}
