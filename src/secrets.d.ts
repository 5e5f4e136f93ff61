// Worker secrets (`wrangler secret put`, or `.dev.vars` locally) and the variables `npm run dev` and `npm run deploy`
// pass with --var. `wrangler types` only sees what wrangler.toml declares, so these are declared by hand.
declare namespace Cloudflare {
  interface Env {
    EDGEPROM_READ_TOKEN?: string;
    EDGEPROM_WRITE_TOKEN?: string;
    EDGEPROM_ADMIN_TOKEN?: string;
    EDGEPROM_DEV?: string;
    EDGEPROM_VERSION?: string;
    EDGEPROM_REVISION?: string;
    EDGEPROM_BRANCH?: string;
    EDGEPROM_BUILD_DATE?: string;
    /** "true" serves PromQL's experimental functions (Prometheus's promql-experimental-functions). */
    EDGEPROM_EXPERIMENTAL_FUNCTIONS?: string;
    /** Largest write body accepted as sent (bytes; default 16 MiB) and after decompression (default 64 MiB). */
    EDGEPROM_MAX_WRITE_BODY_BYTES?: string;
    EDGEPROM_MAX_WRITE_DECODED_BYTES?: string;
    /** "false": do not start scraping and push refreshes from the first request (tests drive alarms themselves). */
    EDGEPROM_AUTOSTART?: string;
    /** Replaces the bundled edgeprom.yml when set (a Prometheus-format configuration). */
    EDGEPROM_CONFIG_YAML?: string;
  }
}
