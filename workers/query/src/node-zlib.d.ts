// The part of Node's zlib that the query worker uses; workerd provides it under the `nodejs_compat` flag. The Workers
// typecheck has no Node types, so this declares just that.
declare module "node:zlib" {
  export function gzipSync(data: string | Uint8Array, options?: { level?: number }): Uint8Array;
}
