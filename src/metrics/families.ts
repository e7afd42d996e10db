/**
 * Labelled counters, gauges and histograms for the per-monitor series, with
 * a text rendering built for many series. prom-client's own classes keep a
 * labels object and a bucket object per series and format every label on
 * every scrape. At 10,000 monitors that took seconds and gigabytes. These
 * families keep each series' label text, formatted once when the series is
 * created, and the series' lines as last rendered, so a scrape renders only
 * the series updated since the previous one and joins the rest.
 *
 * A scrape walks every series of a family in one flat array, in the order
 * the series were created, with a cursor rather than a generator. It copies
 * their cached text into a few reused buffers. At 10,000 monitors the Map
 * iteration, the generator's resumptions and the garbage of 64 MiB of chunk
 * strings per scrape cost more than the copying itself.
 *
 * They register on a prom-client Registry like its own metrics, and `get()`
 * returns prom-client's metric object, so `registry.metrics()`,
 * `getSingleMetricAsString()` and `getMetricsAsJSON()` keep working.
 * MetricsRegistry below renders them through the fast path, whole or in
 * chunks.
 */
import { Buffer } from 'node:buffer';
import { Registry, type LabelValues, type Metric, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';

type Labels = LabelValues<string>;
type MetricType = 'counter' | 'gauge' | 'histogram';

export interface FamilyConfiguration {
  name: string;
  help: string;
  labelNames?: readonly string[];
  registers?: Registry[];
  /**
   * Leading labels that group series, for example namespace and monitor, so
   * that removeGroup drops all series of one monitor without a scan.
   */
  groupBy?: readonly string[];
}

interface Series {
  /** The values of the labels after the group's, which identify the series within its group. */
  key: string;
  /** The series' labels in exposition format without braces, for example `namespace="a",monitor="b"`; empty without labels. */
  labelText: string;
  /** The series' lines as last rendered, each starting with a newline; undefined after an update. */
  text: string | undefined;
  /** The value of a counter or gauge, or the count of a histogram. */
  value: number;
  /** Histograms only: the count of each bucket, not cumulative, then of +Inf. */
  counts?: number[];
  /** Histograms only: the sum of the observed values. */
  sum?: number;
  /** Set when the series is removed, so that a scrape walking the flat array skips it until the array is compacted. */
  removed: boolean;
}

/** The separator of label values in series keys; label values are free text, so the key is never parsed back. */
const keySeparator = '\u0000';
/** A label left out of a series, which differs from every string value including the empty one. */
const absentLabel = '\u0001';

export abstract class Family {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: MetricType;
  /**
   * Series by group (see FamilyConfiguration.groupBy). A group contains few
   * series, so an array with a linear search costs less memory than a Map.
   * A Map per monitor and family was half of the heap at 10,000 monitors.
   */
  private readonly groups = new Map<string, Series[]>();
  /**
   * Every series in the order they were created, for scrapes. Removed
   * series stay until the next scrape compacts the array into a new one,
   * so that a scrape in progress keeps walking the array it started with.
   */
  private ordered: Series[] = [];
  private removedSinceCompaction = 0;
  private readonly restLabels: readonly string[];
  private seriesCount = 0;
  private readonly groupBy: readonly string[];
  private readonly knownLabels: ReadonlySet<string>;
  private header: string | undefined;

  constructor(configuration: FamilyConfiguration) {
    this.name = configuration.name;
    this.help = configuration.help;
    this.labelNames = configuration.labelNames ?? [];
    this.groupBy = configuration.groupBy ?? [];
    if (this.groupBy.some((name, index) => this.labelNames[index] !== name)) {
      throw new Error(`metric ${this.name}: groupBy (${this.groupBy.join(', ')}) must be the first of its labels (${this.labelNames.join(', ')})`);
    }
    this.restLabels = this.labelNames.slice(this.groupBy.length);
    this.knownLabels = new Set(this.labelNames);
    for (const registry of configuration.registers ?? []) registry.registerMetric(this as unknown as Metric);
  }

  /** Removes the series with exactly these labels; unknown series are ignored. */
  remove(labels: Labels): void {
    const groupKey = this.keyOf(this.groupBy, labels);
    const group = this.groups.get(groupKey);
    if (group === undefined) return;
    const index = indexOfKey(group, this.keyOf(this.restLabels, labels));
    if (index < 0) return;
    this.markRemoved(group.splice(index, 1));
    this.seriesCount -= 1;
    if (group.length === 0) this.groups.delete(groupKey);
  }

  /** Removes every series whose group labels have these values, for example every series of one monitor. */
  removeGroup(groupLabels: Labels): void {
    const groupKey = this.keyOf(this.groupBy, groupLabels);
    const group = this.groups.get(groupKey);
    if (group === undefined) return;
    this.markRemoved(group);
    this.seriesCount -= group.length;
    this.groups.delete(groupKey);
  }

  /** Removes the series of the group in `match` whose labels all equal those in `match`, except the series with exactly the labels in `keep`. */
  removeMatching(match: Labels, keep?: Labels): void {
    const groupKey = this.keyOf(this.groupBy, match);
    const group = this.groups.get(groupKey);
    if (group === undefined) return;
    const keepKey = keep === undefined ? undefined : this.keyOf(this.restLabels, keep);
    const remaining = group.filter((series) => {
      if (series.key === keepKey) return true;
      const labels = parseLabelText(series.labelText);
      return !Object.entries(match).every(([name, value]) => labels[name] === String(value));
    });
    this.markRemoved(group.filter((series) => !remaining.includes(series)));
    this.seriesCount -= group.length - remaining.length;
    if (remaining.length === 0) this.groups.delete(groupKey);
    else this.groups.set(groupKey, remaining);
  }

  /**
   * Renders the text of the group's updated series now rather than at the
   * next scrape, for callers that update a group's series together, as a
   * monitor's run does: the work moves out of the scrape, which then only
   * copies text.
   */
  renderGroup(groupLabels: Labels): void {
    const group = this.groups.get(this.keyOf(this.groupBy, groupLabels));
    if (group === undefined) return;
    for (const series of group) series.text ??= this.renderSeries(series);
  }

  /** Returns whether a series with exactly these labels exists. */
  has(labels: Labels): boolean {
    const group = this.groups.get(this.keyOf(this.groupBy, labels));
    return group !== undefined && indexOfKey(group, this.keyOf(this.restLabels, labels)) >= 0;
  }

  /** Removes every series. */
  reset(): void {
    this.markRemoved(this.ordered);
    this.groups.clear();
    this.ordered = [];
    this.removedSinceCompaction = 0;
    this.seriesCount = 0;
  }

  /** Number of series. */
  get size(): number {
    return this.seriesCount;
  }

  /** Renders the family in the Prometheus text format 0.0.4, without a trailing newline, as prom-client's Registry.getMetricsAsString does. */
  render(): string {
    const parts: string[] = [];
    const cursor = this.cursor();
    for (let piece = cursor.next(); piece !== undefined; piece = cursor.next()) parts.push(piece);
    return parts.join('');
  }

  /** Returns a cursor over the text of render() in pieces: the header, then each series' lines. */
  cursor(): FamilyCursor {
    // The type is a field of the subclass, so the header is built on first use rather than in the constructor.
    this.header ??= `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}`;
    if (this.removedSinceCompaction > 0) this.compact();
    return new FamilyCursor(this.header, this.ordered, (series) => this.renderSeries(series));
  }

  /** Returns the family as prom-client's metric object, for registry APIs that read values rather than text. */
  async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: MetricValueWithName<string>[] = [];
    for (const series of this.ordered) {
      if (!series.removed) values.push(...this.valuesOf(series, parseLabelText(series.labelText)));
    }
    return { name: this.name, help: this.help, type: this.type as never, aggregator: 'sum', collect: () => undefined, values };
  }

  // Counters and gauges have one value per series; HistogramFamily overrides these three.
  protected createSeries(key: string, labelText: string): Series {
    return { key, labelText, text: undefined, value: 0, removed: false };
  }

  /** Returns the series' lines, each starting with a newline, as one flat string. */
  protected renderSeries(series: Series): string {
    return renderLine(this.name, series.labelText, series.value);
  }

  protected valuesOf(series: Series, labels: Labels): MetricValueWithName<string>[] {
    return [{ labels, value: series.value, metricName: this.name }];
  }

  /** Returns the series with these labels, created at zero if it is new, marked for rendering again because the caller updates it. */
  protected seriesFor(labels: Labels): Series {
    const groupKey = this.keyOf(this.groupBy, labels);
    let group = this.groups.get(groupKey);
    const key = this.keyOf(this.restLabels, labels);
    let series = group === undefined ? undefined : group[indexOfKey(group, key)];
    if (series === undefined) {
      this.checkLabels(labels);
      series = this.createSeries(key, formatLabels(this.labelNames, labels));
      if (group === undefined) {
        group = [];
        this.groups.set(groupKey, group);
      }
      group.push(series);
      this.ordered.push(series);
      this.seriesCount += 1;
    }
    series.text = undefined;
    return series;
  }

  private markRemoved(removed: readonly Series[]): void {
    for (const series of removed) series.removed = true;
    this.removedSinceCompaction += removed.length;
    // Scrapes compact too. This bounds the array when nothing scrapes while monitors come and go.
    if (this.removedSinceCompaction > 1024 && this.removedSinceCompaction > this.ordered.length / 2) this.compact();
  }

  /** Replaces the flat array with one without removed series. A scrape in progress keeps the array it has. */
  private compact(): void {
    this.ordered = this.ordered.filter((series) => !series.removed);
    this.removedSinceCompaction = 0;
  }

  /** Returns the key of these labels' values; joined rather than concatenated, so a stored key is one flat string, not a tree of pieces. */
  private keyOf(names: readonly string[], labels: Labels): string {
    const values: string[] = [];
    for (const name of names) {
      const value = labels[name];
      values.push(value === undefined ? absentLabel : String(value));
    }
    return values.join(keySeparator);
  }

  private checkLabels(labels: Labels): void {
    for (const name of Object.keys(labels)) {
      if (!this.knownLabels.has(name)) throw new Error(`label "${name}" is not a label of metric ${this.name}; its labels are ${this.labelNames.join(', ')}`);
    }
  }
}

export class CounterFamily extends Family {
  readonly type = 'counter';

  /** Adds value (1 by default) to the series; 0 creates the series at zero. */
  inc(labels: Labels, value = 1): void {
    if (!(value >= 0)) throw new Error(`counter ${this.name} cannot change by ${value}: counters only increase`);
    this.seriesFor(labels).value += value;
  }
}

export class GaugeFamily extends Family {
  readonly type = 'gauge';

  set(labels: Labels, value: number): void {
    this.seriesFor(labels).value = value;
  }
}

export class HistogramFamily extends Family {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  private readonly bucketName: string;
  private readonly sumName: string;
  private readonly countName: string;
  /** `\nname_bucket{`, the start of every bucket line. */
  private readonly bucketStart: string;
  /** `le="0.05"} ` and so on, the end of each bucket line before its value, +Inf last; with a leading comma in commaBucketEnds. */
  private readonly bucketEnds: readonly string[];
  private readonly commaBucketEnds: readonly string[];

  constructor(configuration: FamilyConfiguration & { buckets: readonly number[] }) {
    super(configuration);
    if (this.labelNames.includes('le')) throw new Error(`histogram ${this.name} cannot have a label named le`);
    this.buckets = [...configuration.buckets].sort((a, b) => a - b);
    this.bucketName = `${this.name}_bucket`;
    this.sumName = `${this.name}_sum`;
    this.countName = `${this.name}_count`;
    this.bucketStart = `\n${this.bucketName}{`;
    this.bucketEnds = [...this.buckets.map((bound) => `le="${formatValue(bound)}"} `), 'le="+Inf"} '];
    this.commaBucketEnds = this.bucketEnds.map((end) => `,${end}`);
  }

  observe(labels: Labels, value: number): void {
    const series = this.seriesFor(labels);
    const counts = series.counts as number[];
    const buckets = this.buckets;
    let index = 0;
    while (index < buckets.length && value > (buckets[index] as number)) index += 1;
    counts[index] = (counts[index] ?? 0) + 1;
    series.sum = (series.sum ?? 0) + value;
    series.value += 1;
  }

  protected override createSeries(key: string, labelText: string): Series {
    return { key, labelText, text: undefined, value: 0, counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, removed: false };
  }

  protected override renderSeries(series: Series): string {
    const { labelText } = series;
    const counts = series.counts ?? [];
    const ends = labelText === '' ? this.bucketEnds : this.commaBucketEnds;
    // One array joined once gives a flat string in one copy; += would build a tree of pieces to flatten later.
    const parts: string[] = [];
    let cumulative = 0;
    for (let index = 0; index < ends.length; index += 1) {
      cumulative += counts[index] ?? 0;
      parts.push(this.bucketStart, labelText, ends[index] as string, formatValue(cumulative));
    }
    pushLine(parts, this.sumName, labelText, series.sum ?? 0);
    pushLine(parts, this.countName, labelText, series.value);
    return parts.join('');
  }

  protected override valuesOf(series: Series, labels: Labels): MetricValueWithName<string>[] {
    const values: MetricValueWithName<string>[] = [];
    const counts = series.counts ?? [];
    let cumulative = 0;
    const bounds: (number | string)[] = [...this.buckets, '+Inf'];
    bounds.forEach((bound, index) => {
      cumulative += counts[index] ?? 0;
      values.push({ labels: { ...labels, le: bound }, value: cumulative, metricName: this.bucketName });
    });
    values.push({ labels, value: series.sum ?? 0, metricName: this.sumName });
    values.push({ labels, value: series.value, metricName: this.countName });
    return values;
  }
}

/**
 * A prom-client Registry that renders the families above through their fast
 * path and everything else (process metrics, the operator's own metrics) as
 * prom-client does. The output is the Prometheus text format either way.
 */
export class MetricsRegistry extends Registry {
  override async metrics(): Promise<string> {
    if (this.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) return super.metrics();
    const parts = await Promise.all(this.getMetricsAsArray().map((metric) => this.getSingleMetricAsString(metric.name)));
    return `${parts.join('\n\n')}\n`;
  }

  override async getSingleMetricAsString(name: string): Promise<string> {
    const metric = this.getSingleMetric(name) as unknown;
    if (metric instanceof Family && this.contentType === Registry.PROMETHEUS_CONTENT_TYPE) return metric.render();
    return super.getSingleMetricAsString(name);
  }

  /**
   * Writes the same text as metrics() to `sink` as UTF-8, in chunks copied
   * into a few buffers that are reused once the sink is done with them. A
   * scrape of 10,000 monitors (64 MiB) is then never in memory whole, and it
   * allocates no strings for its chunks. Resolves when everything is
   * written, or early once `signal` aborts.
   */
  async writeTo(sink: ScrapeSink, signal?: AbortSignal, options: { bufferBytes?: number; buffers?: number } = {}): Promise<void> {
    if (this.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) {
      const text = await super.metrics();
      sink.start();
      if (signal?.aborted !== true) sink.write(Buffer.from(text, 'utf8'), () => {});
      return;
    }
    const writer = new PooledWriter(sink, options.bufferBytes ?? 256 * 1024, options.buffers ?? 4, signal);
    try {
      let separator = '';
      for (const metric of this.getMetricsAsArray()) {
        const candidate = metric as unknown;
        const written = candidate instanceof Family
          ? await writeFamily(writer, separator, candidate)
          : await writer.put(separator + (await super.getSingleMetricAsString(metric.name)));
        if (!written) return;
        separator = '\n\n';
      }
      if (await writer.put('\n')) await writer.flush({ takeNext: false });
    } finally {
      writer.release();
    }
  }
}

/** Writes a family's text after the separator; resolves false once the scrape was stopped. */
async function writeFamily(writer: PooledWriter, separator: string, family: Family): Promise<boolean> {
  const cursor = family.cursor();
  if (!(await writer.put(separator))) return false;
  for (let piece = cursor.next(); piece !== undefined; piece = cursor.next()) {
    // The fast path is synchronous: a scrape awaits only when a buffer is full.
    if (writer.fits(piece)) writer.copy(piece);
    else if (!(await writer.put(piece))) return false;
  }
  return true;
}

/** The destination of MetricsRegistry.writeTo, for example an HTTP response. */
export interface ScrapeSink {
  /** Called once, before the first chunk; after an error thrown before it, nothing has been sent. */
  start(): void;
  /** Sends a chunk and calls `done` once its memory may be reused, also when sending failed. */
  write(chunk: Uint8Array, done: () => void): void;
}

/**
 * Fills reused buffers with text and hands each full one to a sink. A
 * buffer is free again when the sink calls done, and a scrape waits for
 * one when all are out, which bounds its memory.
 */
class PooledWriter {
  private readonly free: Buffer[] = [];
  private readonly waiting: (() => void)[] = [];
  private buffer: Buffer | undefined;
  private offset = 0;
  private started = false;

  constructor(
    private readonly sink: ScrapeSink,
    private readonly bufferBytes: number,
    buffers: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    for (let index = 0; index < buffers; index += 1) this.free.push(Buffer.allocUnsafeSlow(bufferBytes));
    this.buffer = this.free.pop();
    signal?.addEventListener('abort', () => this.wakeAll(), { once: true });
  }

  /** Returns whether the text surely fits in the current buffer: UTF-8 takes at most 3 bytes for each UTF-16 code unit. */
  fits(text: string): boolean {
    return this.offset + text.length * 3 <= this.bufferBytes;
  }

  /** Copies text that fits() into the current buffer. */
  copy(text: string): void {
    this.offset += (this.buffer as Buffer).write(text, this.offset);
  }

  /** Writes text, flushing first if it does not fit; resolves false once the signal aborted. */
  async put(text: string): Promise<boolean> {
    if (text === '') return this.signal?.aborted !== true;
    if (!this.fits(text)) {
      if (!(await this.flush())) return false;
      if (!this.fits(text)) {
        // Longer than a buffer can surely hold: sent as a buffer of its own.
        this.send(Buffer.from(text, 'utf8'), () => {});
        return this.signal?.aborted !== true;
      }
    }
    this.copy(text);
    return true;
  }

  /**
   * Sends the current buffer if it contains anything, then takes a free one
   * unless this is the last flush of the scrape. Resolves false once the
   * signal aborted.
   */
  async flush(options: { takeNext: boolean } = { takeNext: true }): Promise<boolean> {
    if (this.offset > 0) {
      const full = this.buffer as Buffer;
      this.buffer = undefined;
      this.send(full.subarray(0, this.offset), () => this.giveBack(full));
      this.offset = 0;
    }
    while (options.takeNext && this.buffer === undefined) {
      if (this.signal?.aborted === true) return false;
      const next = this.free.pop();
      if (next !== undefined) this.buffer = next;
      else await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return this.signal?.aborted !== true;
  }

  /** Wakes anything still waiting for a buffer; called when the scrape ends, however it ends. */
  release(): void {
    this.wakeAll();
  }

  private send(chunk: Uint8Array, done: () => void): void {
    if (!this.started) {
      this.started = true;
      this.sink.start();
    }
    if (this.signal?.aborted === true) done();
    else this.sink.write(chunk, done);
  }

  private giveBack(buffer: Buffer): void {
    this.free.push(buffer);
    this.waiting.shift()?.();
  }

  private wakeAll(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/**
 * Walks the series of a family for one scrape. Series created during the
 * scrape are left out, because a series removed and created again with the
 * same labels would otherwise appear twice. Removed series are skipped.
 */
export class FamilyCursor {
  private index = 0;
  private header: string | undefined;
  /** The length of the array when the scrape started; series appended later belong to the next scrape. */
  private readonly end: number;

  constructor(
    header: string,
    private readonly series: readonly Series[],
    private readonly renderSeries: (series: Series) => string,
  ) {
    this.header = header;
    this.end = series.length;
  }

  /** Returns the header, then the lines of each series in turn, then undefined. */
  next(): string | undefined {
    const header = this.header;
    if (header !== undefined) {
      this.header = undefined;
      return header;
    }
    const all = this.series;
    while (this.index < this.end) {
      const series = all[this.index] as Series;
      this.index += 1;
      if (series.removed) continue;
      // A monitor runs once per interval but Prometheus scrapes more often, so most series are unchanged since the last scrape.
      return (series.text ??= this.renderSeries(series));
    }
    return undefined;
  }
}

function indexOfKey(group: readonly Series[], key: string): number {
  for (let index = 0; index < group.length; index += 1) {
    if ((group[index] as Series).key === key) return index;
  }
  return -1;
}

/** Returns one sample line as a flat string: joined, not concatenated, because V8 keeps a concatenation as a tree of pieces. */
function renderLine(name: string, labelText: string, value: number): string {
  const parts: string[] = [];
  pushLine(parts, name, labelText, value);
  return parts.join('');
}

function pushLine(parts: string[], name: string, labelText: string, value: number): void {
  if (labelText === '') parts.push('\n', name, ' ', formatValue(value));
  else parts.push('\n', name, '{', labelText, '} ', formatValue(value));
}

/** Formats a sample value as prom-client does: Nan, +Inf and -Inf, else JavaScript's shortest round-trip form. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return `${value}`;
}

function formatLabels(labelNames: readonly string[], labels: Labels): string {
  const parts: string[] = [];
  for (const name of labelNames) {
    const value = labels[name];
    if (value === undefined) continue;
    parts.push(`${name}="${escapeLabelValue(String(value))}"`);
  }
  return parts.join(',');
}

/** Parses label text made by formatLabels back into labels; the series keep only the text, to save memory. */
function parseLabelText(labelText: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return labels;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
