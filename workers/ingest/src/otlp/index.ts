export { decodeOtlpJson } from "./decode-json";
export { decodeOtlpProto } from "./decode-proto";
export { OtlpDecodeError, type ExportMetricsRequest } from "./model";
export { prometheusLabelName, prometheusMetricName } from "./names";
export { translateOtlp, type OtlpTranslation } from "./translate";
