/**
 * Matcher benchmark (issue #12): gallery search per face, exact (GalleryIndex) against the
 * approximate path (HybridGalleryIndex on usearch HNSW, re-ranked exactly), on seeded synthetic
 * galleries of 5 references per person:
 *  - clustered: like face-api descriptors, references of a person ~0.35 apart, people ~1.25 apart;
 *  - uniform: independent random unit-ish vectors, the worst case for an approximate index.
 * 2 % of references are down-weighted (0.5) and 1 % disabled (weight 0), as outlier handling does.
 * Queries alternate a noisy sighting of an enrolled person and a stranger.
 *
 * Prints one JSON document; per kind and size: ms per face (p50/p95) for search(k=1) and
 * bestPerPerson(k=2) (what the matcher calls), recall of the nearest person (recall@1) and of the
 * runner-up person (what the margin rule needs) against exact search, agreement of decideMatch,
 * build time and the longest event-loop stall during the build, and memory per reference (RSS
 * growth after gc: run with --expose-gc, else it is noisier).
 *
 * Usage: npm run build && node --expose-gc dist/bench/matcher.js [--sizes 10000,100000,1000000]
 *        [--kinds clustered,uniform] [--queries 200] [--seed 12]
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import {
  decideMatch,
  DEFAULT_ANN_MIN_REFERENCES,
  DEFAULT_CANDIDATES,
  DEFAULT_MATCH_POLICY,
  DEFAULT_MAX_CANDIDATES,
  GalleryIndex,
  HybridGalleryIndex,
  type Descriptor,
  type PersonHit,
} from '@vigil/domain';
import { loadUsearch, USEARCH_PARAMS } from '@vigil/gallery';
// Test support, deliberately not part of @vigil/domain's public API.
// eslint-disable-next-line no-restricted-imports
import { syntheticGallery, type SyntheticKind, type SyntheticQuery } from '../libs/domain/src/testing/synthetic-gallery';
import { percentile } from './percentile';

const REFS_PER_PERSON = 5;
const DOWN_WEIGHTED = 0.02;
const DISABLED = 0.01;

function listArg(name: string, fallback: string): string[] {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? process.argv[i + 1] ?? '' : fallback).split(',').filter((s) => s !== '');
}

function intArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function rssAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}

function timings(samples: number[]): { p50: number; p95: number } {
  return { p50: round(percentile(samples, 0.5) ?? 0), p95: round(percentile(samples, 0.95) ?? 0) };
}

/** Times fn over every query (after one untimed warm-up call); returns the results and ms per face. */
function timed<T>(queries: SyntheticQuery[], fn: (q: Descriptor) => T): { results: T[]; ms: { p50: number; p95: number } } {
  fn(queries[0].descriptor);
  const samples: number[] = [];
  const results = queries.map(({ descriptor }) => {
    const t0 = performance.now();
    const r = fn(descriptor);
    samples.push(performance.now() - t0);
    return r;
  });
  return { results, ms: timings(samples) };
}

interface Agreement {
  recallAt1: number;
  runnerUpRecall: number;
  decisionAgreement: number;
}

/**
 * What decideMatch concluded and what acts on it: match (whom) or unknown (why). Not the margin's
 * value (a different far runner-up changes it) nor an unknown's nearest person (shown to
 * reviewers only; recallAt1 counts it).
 */
function outcome(candidates: PersonHit[]): string {
  const d = decideMatch(candidates, DEFAULT_MATCH_POLICY);
  return d.kind === 'match' ? `match ${d.personId}` : `unknown ${d.reason}`;
}

/** Share of queries where the approximate nearest person / runner-up / decision equals the exact one. */
function agreement(queries: SyntheticQuery[], exact: PersonHit[][], approx: PersonHit[][], only?: SyntheticQuery['kind']): Agreement {
  let n = 0;
  let top = 0;
  let second = 0;
  let decisions = 0;
  queries.forEach((q, i) => {
    if (only && q.kind !== only) return;
    n++;
    const [e, a] = [exact[i], approx[i]];
    if (a[0]?.personId === e[0]?.personId) top++;
    if (a[1]?.personId === e[1]?.personId) second++;
    if (outcome(a) === outcome(e)) decisions++;
  });
  return { recallAt1: round(top / n, 4), runnerUpRecall: round(second / n, 4), decisionAgreement: round(decisions / n, 4) };
}

async function measure(kind: SyntheticKind, references: number, queryCount: number, seed: number, factory: Parameters<typeof hybridOf>[0]) {
  const persons = Math.ceil(references / REFS_PER_PERSON);
  const { refs, queries } = syntheticGallery({ kind, persons, refsPerPerson: REFS_PER_PERSON, queries: queryCount, downWeighted: DOWN_WEIGHTED, disabled: DISABLED, seed });
  const n = refs.length;

  const rss0 = rssAfterGc();
  let t0 = performance.now();
  const exact = new GalleryIndex();
  exact.replaceAll(refs);
  const exactLoadMs = performance.now() - t0;
  const rss1 = rssAfterGc();
  const exactSearch = timed(queries, (q) => exact.search(q, 1));
  const exactBest = timed(queries, (q) => exact.bestPerPerson(q, 2));

  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  const hybrid = hybridOf(factory);
  hybrid.replaceAll(refs); // synchronous, as the exact load always was; the HNSW build follows in slices
  const loadMs = performance.now() - t0;
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  await hybrid.whenIndexed();
  const buildSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stalls.disable();
  const rss2 = rssAfterGc();
  const stats0 = hybrid.stats();
  const approxSearch = timed(queries, (q) => hybrid.search(q, 1));
  const approxBest = timed(queries, (q) => hybrid.bestPerPerson(q, 2));
  const stats = hybrid.stats();

  return {
    kind,
    references: n,
    persons,
    queries: queries.length,
    productionMode: n >= DEFAULT_ANN_MIN_REFERENCES ? 'approximate' : 'exact',
    exact: {
      loadMs: Math.round(exactLoadMs),
      searchMs: exactSearch.ms,
      bestPerPersonMs: exactBest.ms,
      bytesPerReference: Math.round((rss1 - rss0) / n),
    },
    approximate: {
      loadMs: Math.round(loadMs),
      buildSeconds: round(buildSeconds, 1),
      buildCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      /** Inside the library's add calls; the rest of buildSeconds is the pauses that let matching run. */
      buildInsideAddSeconds: round(stats0.buildMs / 1000, 1),
      /** While the index was built in the background: how long a face could wait for the event loop. */
      eventLoopDelayMs: { p99: round(stalls.percentile(99) / 1e6, 1), max: round(stalls.max / 1e6, 1) },
      searchMs: approxSearch.ms,
      bestPerPersonMs: approxBest.ms,
      ...agreement(queries, exactBest.results, approxBest.results),
      byQuery: {
        enrolled: agreement(queries, exactBest.results, approxBest.results, 'enrolled'),
        stranger: agreement(queries, exactBest.results, approxBest.results, 'stranger'),
      },
      nearestReferenceRecall: round(approxSearch.results.filter((a, i) => a[0]?.referenceId === exactSearch.results[i][0]?.referenceId).length / queries.length, 4),
      widenedSearches: stats.widenedSearches,
      exactFallbacks: stats.exactFallbacks,
      /** The exact copy (persons, weights, float32 vectors for the re-rank) plus the HNSW index. */
      bytesPerReference: Math.round((rss2 - rss1) / n),
      indexOnlyBytesPerReference: Math.round((rss2 - rss1 - (rss1 - rss0)) / n),
    },
  };
}

function hybridOf(factory: NonNullable<ConstructorParameters<typeof HybridGalleryIndex>[0]>['createNeighbourIndex']): HybridGalleryIndex {
  return new HybridGalleryIndex({ annMinReferences: 0, createNeighbourIndex: factory });
}

function usearchVersion(): string {
  try {
    const pkg = path.join(path.dirname(require.resolve('usearch')), '..', '..', '..', 'package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const sizes = listArg('sizes', '10000,100000,1000000').map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < REFS_PER_PERSON)) throw new Error(`--sizes must be integers >= ${REFS_PER_PERSON}`);
  const kinds = listArg('kinds', 'clustered,uniform');
  if (kinds.some((k) => k !== 'clustered' && k !== 'uniform')) throw new Error('--kinds may only contain clustered and uniform');
  const queries = intArg('queries', 200);
  const seed = intArg('seed', 12);
  const usearch = loadUsearch();
  if (!usearch.ok) throw new Error(`usearch does not load here: ${usearch.reason}`);
  const results = [];
  for (const kind of kinds as SyntheticKind[]) {
    for (const size of sizes) {
      results.push(await measure(kind, size, queries, seed, usearch.factory));
      process.stderr.write(`done: ${kind} ${size}\n`);
    }
  }
  const cpus = os.cpus();
  console.log(
    JSON.stringify(
      {
        machine: { cpuModel: cpus[0]?.model ?? 'unknown', cores: os.availableParallelism(), totalMemMb: Math.round(os.totalmem() / 1e6), node: process.version, platform: `${os.platform()} ${os.release()}`, gcExposed: 'gc' in globalThis },
        params: {
          library: `usearch ${usearchVersion()}`,
          hnsw: USEARCH_PARAMS,
          candidates: DEFAULT_CANDIDATES,
          maxCandidates: DEFAULT_MAX_CANDIDATES,
          annMinReferences: DEFAULT_ANN_MIN_REFERENCES,
        },
        data: { refsPerPerson: REFS_PER_PERSON, downWeighted: DOWN_WEIGHTED, disabled: DISABLED, queries, seed, policy: DEFAULT_MATCH_POLICY },
        results,
      },
      null,
      2,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
