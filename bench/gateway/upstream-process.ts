/**
 * The fake LLM upstream of bench/gateway in a process of its own (so its work is not charged to
 * the load client or a gateway): OpenAI chat completions after `--latency-ms` (default 20),
 * nothing recorded per request. Prints `{"url": …}` once listening; stops on SIGTERM.
 */
import { startFakeUpstream } from '../../packages/server/test/support/fake-llm-upstream.ts';

const flag = process.argv.indexOf('--latency-ms');
const latencyMs = flag === -1 ? 20 : Number(process.argv[flag + 1]);
if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('--latency-ms must be a number ≥ 0');

const upstream = await startFakeUpstream({ latencyMs, record: false });
process.stdout.write(`${JSON.stringify({ url: upstream.url })}\n`);
process.once('SIGTERM', () => {
  void upstream.close().then(() => process.exit(0));
});
