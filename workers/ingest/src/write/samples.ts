import type { WriteSeries } from "../remotewrite/batch";

/** The float columns every ingest decoder produces (remote write, OTLP, exposition): series plus shared columns. */
export interface DecodedSeriesColumns {
  series: readonly WriteSeries[];
  timestamps: Float64Array;
  values: Float64Array;
}
