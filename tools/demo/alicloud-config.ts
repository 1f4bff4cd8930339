// Stack config that points @pulumi/alicloud's real provider plugin (pulumi-resource-alicloud, under the Pulumi CLI)
// at the emulator: every product's endpoint is the emulator's host (it routes by API version), over HTTP. The
// local engine does not need it: its alicloud double reads ALICLOUD_RELEASE_ENDPOINT. Not exercised on machines
// without the CLI (the plugin cannot be installed there).
export function alicloudEmulatorConfig(url: string): Record<string, string> {
  const host = new URL(url).host;
  return {
    "alicloud:protocol": "HTTP",
    "alicloud:skipRegionValidation": "true",
    "alicloud:endpoints": JSON.stringify([{ ecs: host, vpc: host, dds: host, rKvstore: host, sts: host }]),
  };
}
