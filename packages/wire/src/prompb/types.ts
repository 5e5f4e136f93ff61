// Plain-object shapes of the `prometheus.*` remote-read messages (prompb remote.proto / types.proto). Labels and
// matchers use the project's shared structural shapes, so storage types pass straight through.

export interface Label {
  name: string;
  value: string;
}

export interface LabelMatcher {
  type: "=" | "!=" | "=~" | "!~";
  name: string;
  value: string;
}

/** `prometheus.ReadHints`: what the querying Prometheus is about to compute; advisory only. */
export interface ReadHints {
  stepMs: number;
  func: string;
  startMs: number;
  endMs: number;
  grouping: string[];
  by: boolean;
  rangeMs: number;
}

/** `prometheus.Query`: one selector over an inclusive millisecond range. */
export interface ReadQuery {
  startTimestampMs: number;
  endTimestampMs: number;
  matchers: LabelMatcher[];
  hints?: ReadHints;
}

/** `prometheus.ReadRequest.ResponseType`. */
export const ReadResponseType = {
  Samples: 0,
  StreamedXorChunks: 1,
} as const;

export interface ReadRequest {
  queries: ReadQuery[];
  /** In the client's order of preference; empty means SAMPLES. Unknown values are kept as sent. */
  acceptedResponseTypes: number[];
}

export type CounterResetHint = "unknown" | "counterReset" | "notCounterReset" | "gauge";

export interface BucketSpan {
  offset: number;
  length: number;
}

/** `prometheus.Histogram` with absolute bucket counts (the integer form's deltas are summed up on decode). */
export interface RemoteHistogram {
  timestamp: number;
  /** Integer counts travel as count_int / zero_count_int / *_deltas, float counts as *_float / *_counts. */
  isFloat: boolean;
  counterResetHint: CounterResetHint;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: BucketSpan[];
  positiveBuckets: number[];
  negativeSpans: BucketSpan[];
  negativeBuckets: number[];
  customValues: number[];
}

/**
 * `prometheus.TimeSeries` as remote read answers it. Samples are columns: `v` is a Float64Array so a stale
 * marker's NaN payload (0x7ff0000000000002) survives encoding and decoding bit for bit.
 */
export interface RemoteTimeSeries {
  labels: Label[];
  samples: { t: ArrayLike<number>; v: Float64Array };
  histograms: RemoteHistogram[];
}

/** `prometheus.QueryResult`: the series of one query. */
export interface QueryResult {
  timeseries: RemoteTimeSeries[];
}

export interface ReadResponse {
  results: QueryResult[];
}

/** `prometheus.Chunk.Encoding`: 1 XOR, 2 histogram, 3 float histogram (Prometheus's chunkenc ids). */
export interface RemoteChunk {
  minTimeMs: number;
  maxTimeMs: number;
  type: number;
  data: Uint8Array;
}

export interface ChunkedSeries {
  labels: Label[];
  chunks: RemoteChunk[];
}

export interface ChunkedReadResponse {
  chunkedSeries: ChunkedSeries[];
  queryIndex: number;
}
