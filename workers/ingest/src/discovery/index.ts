export {
  DNS_MX_RECORD_TARGET_LABEL,
  DNS_NAME_LABEL,
  DNS_NS_RECORD_TARGET_LABEL,
  DNS_SRV_RECORD_PORT_LABEL,
  DNS_SRV_RECORD_TARGET_LABEL,
  resolveDnsTargetGroups,
} from "./dns-sd";
export { DiscoveryError, type Fetcher, type FetchInit } from "./fetcher";
export { fetchHttpTargetGroups, parseTargetGroupList, URL_LABEL, type HttpSdOptions } from "./http-sd";
export { canonicalIp, joinHostPort } from "./ip-address";
export { discoveryProviders, type DiscoveryDependencies, type DiscoveryProvider } from "./providers";
export { checkTargetAddress, type DiscoveredLabels, type TargetGroup } from "./target-group";
