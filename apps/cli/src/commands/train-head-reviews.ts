import type { VigilConfig } from '@vigil/config';
import type { RefreshResultView, RefreshRunView } from '@vigil/contracts';
import { InvalidInputError, UnavailableError } from '@vigil/domain';
import { createProgress } from '../progress';

type Out = (text: string) => void;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)} %`);

/**
 * `vigil train-head --from reviews`: the run happens in the server (where the reviewed crops, the
 * inference pool and the one-run-at-a-time job live: the same path as the console's button); this
 * starts it with VIGIL_ADMIN_TOKEN on the local server (VIGIL_HOST/VIGIL_PORT) and follows it to its
 * end with a progress bar.
 */
export async function trainHeadFromReviews(o: { epochs: number; json: boolean; quiet: boolean }, config: VigilConfig, out: Out, err: Out): Promise<number> {
  if (!config.adminToken) throw new InvalidInputError('train-head --from reviews needs VIGIL_ADMIN_TOKEN (an admin token of the running server).');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/api/model-versions`;
  const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    let res: Response;
    try {
      res = await fetch(url, { method, headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new UnavailableError(`no Vigil server answers at ${base}; start it (or set VIGIL_HOST / VIGIL_PORT) and try again`);
    }
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const started = await call('POST', `${base}/head`, { epochs: o.epochs });
  if (started.status !== 202) {
    err(`${String(started.body.message ?? `the server answered ${started.status}`)}\n`);
    return 2;
  }
  const id = (started.body.run as RefreshRunView).id;
  // One bar per phase that counts (embedding crops, training epochs).
  let bar = createProgress({ label: 'Starting', unit: 'steps', total: 0, quiet: true });
  let phase = '';
  let shown = 0;
  let run: RefreshRunView;
  try {
    for (;;) {
      run = (await call('GET', `${base}/refresh`)).body.run as RefreshRunView;
      if (!run || run.id !== id) throw new UnavailableError('the head run is no longer the latest run; see the console\'s model versions tab');
      if (run.status !== 'running') break;
      const p = run.progress;
      if (p && p.phase !== phase) {
        bar.stop();
        phase = p.phase;
        shown = 0;
        bar = createProgress({ label: phase[0]!.toUpperCase() + phase.slice(1), unit: phase === 'training' ? 'epochs' : 'crops', total: p.total ?? 0, quiet: o.quiet || p.total === undefined });
      }
      if (p?.done !== undefined) {
        bar.tick(p.done - shown);
        shown = p.done;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    bar.stop();
  }
  if (run.status !== 'finished') {
    err(`head run ${run.status}: ${run.error ?? ''}\n`);
    return 2;
  }
  const r = run.result as RefreshResultView;
  if (o.json) {
    out(JSON.stringify(r) + '\n');
    return 0;
  }
  out(
    `${r.candidate.label}: ${r.promoted ? 'PROMOTED (now active)' : 'rejected'} — ${r.reason}\n` +
      `held-out: champion accuracy ${pct(r.before.accuracy)}, FAR ${pct(r.before.far)}, FRR ${pct(r.before.frr)}; ` +
      `candidate accuracy ${pct(r.after.accuracy)}, FAR ${pct(r.after.far)}, FRR ${pct(r.after.frr)}\n`,
  );
  return 0;
}
