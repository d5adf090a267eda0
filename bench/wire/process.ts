import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AccountSizes } from '../synthetic-account';
import type { WireServerStats } from './server';

/** What the wire server process answers (bench/wire/server-main.ts). */
export interface WireProcessConfig {
  readonly seed: number;
  readonly sizes: AccountSizes;
  readonly now: string;
  readonly latencyMs: number;
  readonly throttleRate: number;
  /** `false`: no token buckets. @default the rates of bench/wire/rates.ts */
  readonly rates?: false;
}

export type WireProcessMessage =
  | { readonly kind: 'ready'; readonly port: number }
  | { readonly kind: 'stats'; readonly stats: WireServerStats };

export interface WireProcess {
  readonly port: number;
  stats(): Promise<WireServerStats>;
  stop(): Promise<void>;
}

/** Starts the wire server in a process of its own (`script` is bench/wire/server-main, bundled). */
export function startWireProcess(
  script: string,
  config: WireProcessConfig,
  configFile: string,
): Promise<WireProcess> {
  writeFileSync(configFile, JSON.stringify(config));
  const child = fork(script, [configFile], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: ['--no-warnings'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const next = <K extends WireProcessMessage['kind']>(kind: K) =>
    new Promise<Extract<WireProcessMessage, { kind: K }>>((resolve, reject) => {
      const onMessage = (m: WireProcessMessage) => {
        if (m?.kind !== kind) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as Extract<WireProcessMessage, { kind: K }>);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the wire server exited (${code}) before "${kind}"`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next('ready').then(({ port }) => ({
    port,
    stats: () => {
      const reply = next('stats');
      child.send('stats');
      return reply.then((m) => m.stats);
    },
    stop: () => {
      child.disconnect();
      return exited;
    },
  }));
}
