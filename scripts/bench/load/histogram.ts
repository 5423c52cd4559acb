// Latency percentiles for every scenario: HdrHistogram in microseconds, 1 µs to 1 hour,
// 3 significant digits, summarised in milliseconds.
import * as hdr from "hdr-histogram-js";

export type Histogram = hdr.Histogram;

export interface LatencySummary {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export function newHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export function toMicros(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}

export function summarise(histogram: hdr.Histogram): LatencySummary {
  if (histogram.totalCount === 0)
    return { p50: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN };
  return {
    p50: histogram.getValueAtPercentile(50) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    p999: histogram.getValueAtPercentile(99.9) / 1000,
    max: histogram.maxValue / 1000,
  };
}
