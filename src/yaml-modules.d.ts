// wrangler bundles `*.yml` files as text (the `[[rules]]` in wrangler.toml): `edgeprom.yml` ships inside the Worker.
declare module "*.yml" {
  const text: string;
  export default text;
}
