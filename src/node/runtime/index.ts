// Public entry of the container runtime primitives the node agent builds on.
export { detectRuntime, findHostTools } from './mode.js';
export type { HostTools, RuntimeInfo, RuntimeMode } from './mode.js';
export { createPodSandbox } from './sandbox.js';
export type { PodSandbox, PodSandboxOptions, SandboxMember } from './sandbox.js';
export { startContainer, exitFromSignal } from './container.js';
export type {
  AttachSession,
  ContainerExit,
  ContainerHandle,
  StartContainerOptions,
  StopOptions,
  TerminalSize,
} from './container.js';
export { execInContainer } from './exec.js';
export type { ExecOptions, ExecSession } from './exec.js';
export { RuntimeError } from './errors.js';
export type { RuntimeErrorReason } from './errors.js';
export { openLogWriter, rotatedLogPaths } from './log-writer.js';
export type { LogWriter, LogWriterOptions } from './log-writer.js';
export { LogNotFoundError, containerLogPath, instanceLogPath, readContainerLogs, readLog } from './log-reader.js';
export type { ReadLogOptions } from './log-reader.js';
export { formatRFC3339Nano, parseLogRecord } from './cri-log.js';
export type { LogRecord, LogStream, LogTag } from './cri-log.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { podBindShim, podBindEnv } from './podbind.js';
