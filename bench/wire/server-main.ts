/**
 * The wire server as a process of its own, so its CPU time is not the measured collector's. Started by
 * bench/child.ts (`startWireProcess`) with a config file; answers the synthetic account of that config;
 * tells its port, then its statistics when asked, over the IPC channel, and exits when the channel closes.
 */
import { readFileSync } from 'node:fs';
import type { Answers } from '../../cli/demo/offline-clients';
import { seededRandom, SyntheticAccount } from '../synthetic-account';
import type { WireProcessConfig, WireProcessMessage } from './process';
import { startWireServer } from './server';

/** The member role's session (organization mode's AssumeRole), as bench/child.ts answers it offline. */
const assumeRole = () => ({
  Credentials: {
    AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    SecretAccessKey: 'offline-bench-not-a-secret',
    SessionToken: 'offline-bench-session',
    Expiration: new Date(Date.now() + 3600_000),
  },
});

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as WireProcessConfig;
  const account = new SyntheticAccount(config.seed, config.sizes, new Date(config.now));
  const answers: Answers = { ...account.answers(), 'STS:AssumeRole': assumeRole };
  const server = await startWireServer({
    answers,
    latencyMs: config.latencyMs,
    throttleRate: config.throttleRate,
    random: seededRandom(config.seed ^ 0x5bd1e995),
    ...(config.rates === false ? { rates: false } : {}),
  });
  const send = (m: WireProcessMessage) => process.send?.(m);
  process.on('message', (m: unknown) => {
    if (m === 'stats') send({ kind: 'stats', stats: server.stats() });
  });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
  send({ kind: 'ready', port: server.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`wire server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
