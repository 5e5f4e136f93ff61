import httpPackage from "../package.json";

/** The shape of Prometheus's `/api/v1/status/buildinfo` data. */
export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

export interface BuildInfoBindings {
  EDGEPROM_VERSION?: string;
  EDGEPROM_REVISION?: string;
  EDGEPROM_BRANCH?: string;
  EDGEPROM_BUILD_DATE?: string;
}

/**
 * Build facts come in as Worker variables (`npm run dev` and `npm run deploy` set them from git), so the bundle itself
 * stays reproducible; the version defaults to the release the packages carry. `goVersion` names the runtime instead, since clients only display it.
 */
export function buildInfo(env: BuildInfoBindings | undefined): BuildInfo {
  return {
    version: env?.EDGEPROM_VERSION || httpPackage.version,
    revision: env?.EDGEPROM_REVISION || "unknown",
    branch: env?.EDGEPROM_BRANCH || "unknown",
    buildUser: "edgeprom",
    buildDate: env?.EDGEPROM_BUILD_DATE || "unknown",
    goVersion: "workerd",
  };
}
