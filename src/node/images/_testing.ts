// Helpers for this folder's tests: run a built-in program as a child process and clean it up.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createSocket } from 'node:dgram';
import { builtinProgramPath } from './catalog.js';

export interface Program {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function runProgram(program: 'hello' | 'agnhost', args: readonly string[], env: Record<string, string>): Program {
  const proc = spawn(process.execPath, [builtinProgramPath(program), ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

export async function waitForOutput(p: Program, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    if (pattern.test(p.output())) return;
    if (p.proc.exitCode !== null) throw new Error(`program exited early: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out waiting for ${pattern} in: ${p.output()}`);
}

export function httpGet(url: string, options: { localAddress?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: options.localAddress, timeout: 5000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export function udpAsk(host: string, port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`no UDP answer from ${host}:${port}`));
    }, 5000);
    sock.once('message', (m) => {
      clearTimeout(timer);
      sock.close();
      resolve(m.toString());
    });
    sock.send(message, port, host);
  });
}
