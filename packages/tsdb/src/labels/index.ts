export {
  byName,
  compareLabels,
  compareStrings,
  getLabel,
  labelsEqual,
  labelsFromRecord,
  labelsOf,
  metricName,
  METRIC_NAME_LABEL,
  sortLabels,
  withLabel,
  withoutLabels,
  type Label,
  type Labels,
} from "./label";
export { formatLabels, isLegacyLabelName, quoteGoString } from "./format";
export { Fnv1a64, hashLabels, hashModulo, hashToHex, labelsHashHex, shardOf, type LabelsHash } from "./hash";
export { decodeLabels, decodeLabelsAt, encodeLabels, encodedLabelsSize, LabelsDecodeError } from "./encoding";
export {
  DEFAULT_LABEL_LIMITS,
  InvalidLabelsError,
  validateSeriesLabels,
  type InvalidLabelsReason,
  type LabelLimits,
  type ValidateLabelsOptions,
} from "./validate";
export { isValidUtf8String, utf8ByteLength } from "./utf8";
