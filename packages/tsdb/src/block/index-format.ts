/** Constants of Prometheus's index file, format version 2. */
export const INDEX_MAGIC = 0xbaaad700;
export const INDEX_FORMAT_V2 = 2;
/** Magic (4) + version (1). */
export const INDEX_HEADER_SIZE = 5;
/** Six big-endian 64-bit section offsets and a CRC-32C. */
export const INDEX_TOC_SIZE = 6 * 8 + 4;
/** Series entries start at multiples of 16 and a series' reference is its offset / 16. */
export const SERIES_ALIGNMENT = 16;

/** Where each index section starts. */
export interface IndexToc {
  readonly symbols: number;
  readonly series: number;
  readonly labelIndices: number;
  readonly labelIndicesTable: number;
  readonly postings: number;
  readonly postingsTable: number;
}
