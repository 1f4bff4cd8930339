// Where a call goes and as whom, decided at call time (never captured in the serialized provider): the
// resource's own regionId, else ALIBABA_CLOUD_REGION_ID, else the stack's alicloud:region; credentials
// from the environment's default chain, else the stack's alicloud:accessKey/secretKey.

export interface StackConfig {
  region?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
}

let stackConfig: StackConfig = {};

/** Called by every dynamic provider module's `configure` with the engine's config. */
export function configureFromStack(config: { get(key: string): string | undefined }): void {
  const get = (k: string): string | undefined => {
    try {
      const v = config.get(k);
      return v === undefined || v === "" ? undefined : v;
    } catch {
      return undefined;
    }
  };
  stackConfig = {
    region: get("alicloud:region"),
    accessKey: get("alicloud:accessKey"),
    secretKey: get("alicloud:secretKey"),
    securityToken: get("alicloud:securityToken"),
  };
}

export function currentStackConfig(): StackConfig {
  return stackConfig;
}

export function resetStackConfig(): void {
  stackConfig = {};
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

/** Region ids look like cn-hangzhou or ap-southeast-1. */
export const REGION_PATTERN = /^[a-z]{2,}(-[a-z0-9]+)+$/;

export function resolveRegion(explicit?: string): string {
  const region = explicit || process.env.ALIBABA_CLOUD_REGION_ID || stackConfig.region;
  if (!region) {
    throw new ConfigurationError(
      "No Alibaba Cloud region: set the resource's regionId, the ALIBABA_CLOUD_REGION_ID environment variable, or `pulumi config set alicloud:region <region>`.",
    );
  }
  if (!REGION_PATTERN.test(region)) throw new ConfigurationError(`"${region}" is not a region id (expected something like cn-hangzhou).`);
  return region;
}

/** ALICLOUD_RELEASE_ENDPOINT (e.g. http://127.0.0.1:4566) sends every product's calls there: the emulator. */
export function endpointOverride(): { protocol: "http" | "https"; host: string } | undefined {
  const raw = process.env.ALICLOUD_RELEASE_ENDPOINT;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw.includes("://") ? raw : `https://${raw}`);
  } catch {
    throw new ConfigurationError(`ALICLOUD_RELEASE_ENDPOINT="${raw}" is not a URL (expected e.g. http://127.0.0.1:4566).`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigurationError(`ALICLOUD_RELEASE_ENDPOINT must be http:// or https://, got ${raw}`);
  return { protocol: url.protocol === "http:" ? "http" : "https", host: url.host };
}
